import { humansContract } from '../contract/humans.contract';
import { startWorkersHarness } from './harness';

humansContract(() => startWorkersHarness());
