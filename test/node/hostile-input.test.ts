import { hostileInputContract } from '../contract/hostile-input.contract';
import { startNodeHarness } from './harness';

hostileInputContract((env) => startNodeHarness(env));
