import type { Context } from 'hono';
import type { Config } from './config';
import type { Db } from './db';
import type { Workspace } from './db/workspaces';
import type { RateLimiter } from './lib/rate-limiter';
import type { ClientInfo } from './lib/signals';
import type { Dispatcher } from './services/deliver';
import type { VoteQueue } from './services/queued-votes';

/** Hono typing shared by the app and its routes. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** Set by requireApiKey on /api routes. */
    workspace: Workspace;
  };
};

export type AppContext = Context<AppEnv>;

/**
 * Everything the portable app needs, built by an entry file (the composition root). Routes get
 * these, never `c.env` or `process.env`.
 */
export interface AppDeps {
  db: Db;
  config: Config;
  /** The current time; tests freeze it. */
  clock: () => Date;
  /** Network facts of the request, which only the runtime knows (socket address, `request.cf`). */
  clientInfo: (c: AppContext) => ClientInfo;
  /** Sends due webhook deliveries (the same dispatcher the timer or Cron Trigger runs). */
  dispatcher: Dispatcher;
  /**
   * Keeps work going after the response is sent, without delaying it: `ctx.waitUntil` on Workers,
   * tracked promises (drained on shutdown) on Node. The task must not throw.
   */
  background: (c: AppContext, task: Promise<unknown>) => void;
  /**
   * Counts requests to the vote routes per network (`middleware/vote-rate-limit.ts`): the Workers
   * rate-limiting binding, or an in-memory limiter on Node (`lib/rate-limiter.ts`).
   */
  voteLimiter: RateLimiter;
  /** After an erasure: see `ServiceDeps.compact` (Node: a TRUNCATE checkpoint). */
  compact?: () => Promise<void>;
  /**
   * Where a click's vote goes when the database cannot be reached, to be written when it answers
   * again (`services/queued-votes.ts`): the Cloudflare Queue binding `VOTE_QUEUE` on Workers.
   * Absent on Node, where the database is a local file: an unwritable file stays an honest 503.
   */
  voteQueue?: VoteQueue;
  /** Where unexpected errors are reported (defaults to console.error). */
  logError?: (message: string, fields: Record<string, unknown>) => void;
}
