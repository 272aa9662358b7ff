import { webhooksContract } from '../contract/webhooks.contract';
import { startWorkersHarness } from './harness';

webhooksContract(() => startWorkersHarness());
