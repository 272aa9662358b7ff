import { teamAppReportsContract } from '../contract/team-app-reports.contract';
import { startNodeHarness } from './harness';

teamAppReportsContract(() => startNodeHarness());
