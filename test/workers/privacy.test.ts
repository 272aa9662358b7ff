import { privacyContract } from '../contract/privacy.contract';
import { startWorkersHarness } from './harness';

privacyContract((env) => startWorkersHarness(env));
