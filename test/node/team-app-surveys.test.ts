import { teamAppSurveysContract } from '../contract/team-app-surveys.contract';
import { startNodeHarness } from './harness';

teamAppSurveysContract(() => startNodeHarness());
