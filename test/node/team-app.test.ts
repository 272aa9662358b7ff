import { teamAppContract } from '../contract/team-app.contract';
import { startNodeHarness } from './harness';

teamAppContract((env) => startNodeHarness(env));
