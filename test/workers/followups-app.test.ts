import { followUpsAppContract } from '../contract/followups-app.contract';
import { startWorkersHarness } from './harness';

// Votes count at once here, so a negative answer opens its follow-up within the test (the settle window has its own tests).
followUpsAppContract(() => startWorkersHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));
