import { reportsContract } from '../contract/reports.contract';
import { startWorkersHarness } from './harness';

reportsContract(() => startWorkersHarness());
