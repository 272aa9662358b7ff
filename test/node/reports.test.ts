import { reportsContract } from '../contract/reports.contract';
import { startNodeHarness } from './harness';

reportsContract(() => startNodeHarness());
