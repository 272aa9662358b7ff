import type { Config } from '../config';
import type { Db } from '../db';
import type { VoteQueue } from './queued-votes';

/** What services need from the composition root; tests inject a frozen clock here. */
export interface ServiceDeps {
  db: Db;
  config: Config;
  clock: () => Date;
  /**
   * Runs after an erasure, so the erased bytes leave the files too: on Node a TRUNCATE checkpoint
   * (`node/database.ts`), which copies the zeroed pages (`secure_delete`) into the database file
   * and empties the WAL that still held the old ones. Unset on Workers: the database is a service.
   */
  compact?: () => Promise<void>;
  /** Where a click's vote goes when the database cannot be reached (Workers only; `queued-votes.ts`). */
  voteQueue?: VoteQueue;
  logError?: (message: string, fields: Record<string, unknown>) => void;
}
