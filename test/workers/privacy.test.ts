import { privacyContract } from '../contract/privacy.contract';
import { suppressionHashContract } from '../contract/suppression-hash.contract';
import { startWorkersHarness } from './harness';

privacyContract((env) => startWorkersHarness(env));
suppressionHashContract();
