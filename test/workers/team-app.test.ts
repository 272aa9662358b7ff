import { teamAppContract } from '../contract/team-app.contract';
import { startWorkersHarness } from './harness';

teamAppContract((env) => startWorkersHarness(env));
