import { snippetContract } from '../contract/snippets.contract';
import { startNodeHarness } from './harness';

snippetContract(() => startNodeHarness());
