import { webhooksContract } from '../contract/webhooks.contract';
import { startWorkersHarness } from './harness';

// The contract checks delivery itself: feedback.negative goes out at once (the settle window has
// its own tests in test/contract/humans.contract.ts).
webhooksContract(() => startWorkersHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));
