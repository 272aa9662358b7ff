import { captureContract } from '../contract/capture.contract';
import { startNodeHarness } from './harness';

captureContract(() => startNodeHarness());
