import { hostileInputContract } from '../contract/hostile-input.contract';
import { startWorkersHarness } from './harness';

hostileInputContract((env) => startWorkersHarness(env));
