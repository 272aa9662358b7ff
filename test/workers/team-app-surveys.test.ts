import { teamAppSurveysContract } from '../contract/team-app-surveys.contract';
import { startWorkersHarness } from './harness';

teamAppSurveysContract(() => startWorkersHarness());
