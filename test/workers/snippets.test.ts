import { SNIPPET_SUITE_ENV, snippetContract } from '../contract/snippets.contract';
import { startWorkersHarness } from './harness';

snippetContract(() => startWorkersHarness(SNIPPET_SUITE_ENV));
