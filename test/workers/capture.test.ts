import { captureContract } from '../contract/capture.contract';
import { startWorkersHarness } from './harness';

captureContract(() => startWorkersHarness());
