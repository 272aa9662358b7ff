import { snippetContract } from '../contract/snippets.contract';
import { startWorkersHarness } from './harness';

snippetContract(() => startWorkersHarness());
