import type { Env } from '../../worker/entry-workers';
import { stuffingContract } from '../contract/stuffing.contract';
import { startWorkersHarness } from './harness';

stuffingContract((env) => startWorkersHarness(env as Partial<Env>), { floodRequests: 2_000, floodConcurrency: 16 });
