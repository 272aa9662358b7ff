import { humansContract } from '../contract/humans.contract';
import { startNodeHarness } from './harness';

// Behind one trusted proxy, so the corpus's networks arrive as X-Forwarded-For.
humansContract(() => startNodeHarness({ TRUST_PROXY: '1' }));
