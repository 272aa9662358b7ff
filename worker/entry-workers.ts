import type { ExecutionContext } from 'hono';
import { createClient } from '@libsql/client/web';
import { createApp } from './app';
import type { AppContext } from './app-env';
import { type Config, loadConfig } from './config';
import { createDb, type Db } from './db';
import { bindingRateLimiter, memoryRateLimiter, NO_RATE_LIMIT, type RateLimitBinding, type RateLimiter } from './lib/rate-limiter';
import { UNKNOWN_CLIENT, type ClientInfo } from './lib/signals';
import { checkWebhookUrl } from './lib/url-safety';
import { createDispatcher, type Dispatcher } from './services/deliver';
import { pruneVoteEvidence } from './services/signature-links';
import { applyRetention } from './services/privacy';
import { pruneQueuedVotes, type QueuedVote, type VoteMessage, writeQueuedVotes } from './services/queued-votes';

/**
 * The Cloudflare Workers entry. The database is Turso (or any libSQL server) reached over HTTP with
 * `@libsql/client/web`; settings and secrets arrive as bindings (`wrangler.toml` vars and
 * `wrangler secret put`). Workspaces and API keys are created with the CLI pointed at the same
 * database.
 */
export interface Env {
  /** `libsql://…` or `https://…`. */
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  PUBLIC_URL?: string;
  LINK_KEYS: string;
  FORM_KEYS: string;
  LINK_TTL_DAYS?: string;
  /** `1` allows http:// webhook endpoints on loopback (development with `wrangler dev`). */
  ALLOW_INSECURE_WEBHOOKS?: string;
  /** Seconds a `feedback.negative` webhook waits before it is sent (default 60). */
  NEGATIVE_SETTLE_SECONDS?: string;
  VOTE_SETTLE_SECONDS?: string;
  /** Per-source daily caps of signature-link votes (`config.ts`). */
  SIGNATURE_VOTES_PER_NETWORK?: string;
  SIGNATURE_VOTES_PER_BROWSER?: string;
  /** `0` turns the vote rate limit off; otherwise its per-minute limit when `VOTE_RATE_LIMITER` is missing. */
  VOTE_RATE_LIMIT?: string;
  /** Days an event keeps its request signals (default 30). */
  SIGNAL_RETENTION_DAYS?: string;
  /** Days a response is kept after its last activity (default: kept). */
  RESPONSE_RETENTION_DAYS?: string;
  /** The rate-limiting binding of the vote routes (`[[ratelimits]]` in wrangler.toml). */
  VOTE_RATE_LIMITER?: RateLimitBinding;
  /**
   * The producer binding of the vote queue (`[[queues.producers]]` in wrangler.toml): clicks made
   * while the database cannot be reached wait there. Without it such a click is a 503, as on Node.
   */
  VOTE_QUEUE?: QueueBinding;
}

/** The part of a Cloudflare Queue producer binding used here. */
export interface QueueBinding {
  send(body: unknown, options?: { contentType?: 'json' | 'text' | 'bytes' | 'v8'; delaySeconds?: number }): Promise<void>;
}

/** The part of a Cloudflare Queues `MessageBatch` the consumer reads. */
export interface VoteMessageBatch {
  readonly queue: string;
  readonly messages: readonly VoteMessage[];
}

/** The `simple.period` of `VOTE_RATE_LIMITER` in wrangler.toml: what a refused client is asked to wait. */
export const VOTE_RATE_PERIOD_SECONDS = 60;

type App = ReturnType<typeof createApp>;
type Built = { key: string; app: App; dispatcher: Dispatcher; db: Db; config: Config };

export interface WorkerOptions {
  /** The current time; tests move it forward to reach retries. Default: the real clock. */
  clock?: () => Date;
  /** Where unexpected errors are reported (default: one JSON line on the console); tests collect them. */
  logError?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * The Worker: `fetch` serves the app; `scheduled` (the Cron Trigger in wrangler.toml) sends the
 * webhook deliveries that are due, retries included, and prunes old signature-vote counters and
 * queued-vote receipts; `queue` writes the votes of clicks made while the database could not be
 * reached (`VOTE_QUEUE`, `services/queued-votes.ts`). After a write that queued deliveries, the
 * first attempt is made at once in `ctx.waitUntil`, after the response has gone.
 */
export function createWorker(options: WorkerOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  /**
   * One app (and one database client) per isolate, rebuilt only if the bindings change: building
   * per request would re-validate config and re-import keys on every click.
   */
  let cached: Built | undefined;

  function build(env: Env): Built {
    const raw = {
      DATABASE_URL: env.DATABASE_URL,
      DATABASE_AUTH_TOKEN: env.DATABASE_AUTH_TOKEN,
      PUBLIC_URL: env.PUBLIC_URL,
      LINK_KEYS: env.LINK_KEYS,
      FORM_KEYS: env.FORM_KEYS,
      LINK_TTL_DAYS: env.LINK_TTL_DAYS,
      ALLOW_INSECURE_WEBHOOKS: env.ALLOW_INSECURE_WEBHOOKS,
      NEGATIVE_SETTLE_SECONDS: env.NEGATIVE_SETTLE_SECONDS,
      VOTE_SETTLE_SECONDS: env.VOTE_SETTLE_SECONDS,
      SIGNATURE_VOTES_PER_NETWORK: env.SIGNATURE_VOTES_PER_NETWORK,
      SIGNATURE_VOTES_PER_BROWSER: env.SIGNATURE_VOTES_PER_BROWSER,
      VOTE_RATE_LIMIT: env.VOTE_RATE_LIMIT,
      SIGNAL_RETENTION_DAYS: env.SIGNAL_RETENTION_DAYS,
      RESPONSE_RETENTION_DAYS: env.RESPONSE_RETENTION_DAYS,
    };
    // Bindings are the isolate's, not the request's: kept by the app like its config.
    const key = JSON.stringify({ ...raw, limiter: env.VOTE_RATE_LIMITER !== undefined, queue: env.VOTE_QUEUE !== undefined });
    if (cached?.key === key) return cached;
    const config = loadConfig(raw);
    const client = createClient({ url: config.databaseUrl, authToken: config.databaseAuthToken });
    const db = createDb(client);
    const dispatcher = createDispatcher({
      db,
      clock,
      fetch: (input, init) => fetch(input, init),
      // No DNS step: a Worker's fetch cannot reach private networks; the URL itself is still checked.
      checkUrl: async (url) => void checkWebhookUrl(url, { allowInsecure: config.allowInsecureWebhooks }),
      logError: options.logError,
      publicUrl: config.publicUrl,
    });
    const app = createApp({
      db,
      config,
      clock,
      clientInfo: workersClientInfo,
      dispatcher,
      voteLimiter: workersVoteLimiter(env, config.voteRateLimit, clock),
      background: (c, task) => c.executionCtx.waitUntil(task),
      logError: options.logError,
      voteQueue: env.VOTE_QUEUE ? workersVoteQueue(env.VOTE_QUEUE) : undefined,
    });
    cached = { key, app, dispatcher, db, config };
    return cached;
  }

  return {
    fetch(request: Request, env: Env, ctx: ExecutionContext) {
      return build(env).app.fetch(request, env, ctx);
    },
    scheduled(_controller: { cron: string; scheduledTime: number }, env: Env, ctx: ExecutionContext) {
      const built = build(env);
      ctx.waitUntil(built.dispatcher.tick());
      // One indexed DELETE a minute that finds nothing most of the time: cheaper than deciding when.
      ctx.waitUntil(
        pruneVoteEvidence({ db: built.db, clock }).catch((error: unknown) => console.error(JSON.stringify({ level: 'error', message: 'vote evidence pruning failed', error: String(error) }))),
      );
      // Retention: one bounded batch a minute (a few indexed statements that find nothing most of
      // the time); a backlog drains at up to 500 rows of each kind a minute.
      ctx.waitUntil(
        applyRetention({ db: built.db, config: built.config, clock }).catch((error: unknown) =>
          console.error(JSON.stringify({ level: 'error', message: 'retention failed', error: String(error) })),
        ),
      );
      ctx.waitUntil(
        pruneQueuedVotes({ db: built.db, clock }).catch((error: unknown) => console.error(JSON.stringify({ level: 'error', message: 'queued vote receipts pruning failed', error: String(error) }))),
      );
    },
    /**
     * The consumer of the vote queue (`[[queues.consumers]]` in wrangler.toml): writes the votes of
     * clicks made during a database outage, in click order, through the same write as a live
     * click; what is still unwritable is retried with a delay (`writeQueuedVotes`). Webhooks the
     * writes queued are sent after, as after a live click.
     */
    async queue(batch: VoteMessageBatch, env: Env, ctx: ExecutionContext) {
      const built = build(env);
      const summary = await writeQueuedVotes({ db: built.db, config: built.config, clock, logError: options.logError }, batch.messages);
      if (summary.webhooksQueued) {
        ctx.waitUntil(built.dispatcher.run().catch((error: unknown) => (options.logError ?? logJson)('webhook dispatch failed', { queue: batch.queue, error: String(error) })));
      }
    },
  };
}

/**
 * JSON, not the default structured clone (`v8`): a message on the dead-letter queue can then be
 * read in the dashboard or with `wrangler queues`, and replayed by hand.
 */
function workersVoteQueue(binding: QueueBinding) {
  return {
    send: (message: QueuedVote) => binding.send(message, { contentType: 'json' }),
  };
}

function logJson(message: string, fields: Record<string, unknown>) {
  console.error(JSON.stringify({ level: 'error', message, ...fields }));
}

/**
 * The binding counts for every isolate of a location (an isolate's memory would see only its own
 * share of a flood); without it (a plain `wrangler dev` config), the isolate's own counter.
 */
function workersVoteLimiter(env: Env, limit: number, clock: () => Date): RateLimiter {
  if (limit === 0) return NO_RATE_LIMIT;
  if (env.VOTE_RATE_LIMITER) return bindingRateLimiter(env.VOTE_RATE_LIMITER, VOTE_RATE_PERIOD_SECONDS);
  return memoryRateLimiter({ limit, now: () => clock().getTime() });
}

/** Cloudflare puts the visitor's address in CF-Connecting-IP and its network in `request.cf`. */
function workersClientInfo(c: AppContext): ClientInfo {
  const cf = (c.req.raw as Request & { cf?: { asn?: unknown; asOrganization?: unknown; country?: unknown } }).cf;
  return {
    ...UNKNOWN_CLIENT,
    ip: c.req.header('cf-connecting-ip') ?? null,
    asn: typeof cf?.asn === 'number' ? cf.asn : null,
    asOrganization: typeof cf?.asOrganization === 'string' ? cf.asOrganization : null,
    country: typeof cf?.country === 'string' ? cf.country : null,
  };
}

export default createWorker();
