import type { Config } from '../config';
import type { Db } from '../db';
import type { VoteQueue } from './queued-votes';

/** What services need from the composition root; tests inject a frozen clock here. */
export interface ServiceDeps {
  db: Db;
  config: Config;
  clock: () => Date;
  /** Where a click's vote goes when the database cannot be reached (Workers only; `queued-votes.ts`). */
  voteQueue?: VoteQueue;
  logError?: (message: string, fields: Record<string, unknown>) => void;
}
