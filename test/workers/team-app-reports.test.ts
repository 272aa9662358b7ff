import { teamAppReportsContract } from '../contract/team-app-reports.contract';
import { startWorkersHarness } from './harness';

teamAppReportsContract(() => startWorkersHarness());
