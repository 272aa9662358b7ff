import { SNIPPET_SUITE_ENV, snippetContract } from '../contract/snippets.contract';
import { startNodeHarness } from './harness';

snippetContract(() => startNodeHarness(SNIPPET_SUITE_ENV));
