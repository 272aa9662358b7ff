import { followUpsContract } from '../contract/followups.contract';
import { startNodeHarness } from './harness';

// Events go out at once: the settle windows have their own tests (test/contract/humans.contract.ts).
followUpsContract(() => startNodeHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));
