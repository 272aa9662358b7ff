import { stuffingContract } from '../contract/stuffing.contract';
import { startNodeHarness } from './harness';

// Behind one trusted proxy, so each test's networks arrive as X-Forwarded-For.
stuffingContract((env) => startNodeHarness({ TRUST_PROXY: '1', ...env }), { floodRequests: 10_000, floodConcurrency: 32 });
