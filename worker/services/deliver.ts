import { Webhook } from 'standardwebhooks';
import { type AttemptOutcome, type AttemptReport, claimDeliveries, type DeliveryJob, reportAttempts } from '../db/webhooks';
import { groupCommit } from '../db/group-commit';
import type { Db } from '../db';
import { randomBase32 } from '../lib/ids';
import { sweepOverdueFollowUps } from './followups';
import { slackMessage, webhookPayload } from './representations';

/**
 * The webhook dispatcher: claims due deliveries (with a lease, so two dispatchers never send the
 * same one at once), signs each with Standard Webhooks, POSTs it, and reports the outcome. The same
 * dispatcher runs on both runtimes: after a write that queued deliveries (in the background:
 * `ctx.waitUntil` on Workers, tracked promises on Node), from the Workers Cron Trigger, and from
 * the Node timer.
 */

/**
 * When each attempt is made, counted from the failure of the one before: the first at once, then
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later (8 attempts over about a day and a day and a
 * half with jitter). A manual retry starts the schedule again.
 */
export const RETRY_SCHEDULE_MS = [0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;
/** A receiver has this long to answer. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** A claim outlives the slowest request by a wide margin; a dispatcher that died is replaced after it. */
export const LEASE_MS = 60_000;
/** A `Retry-After` longer than this is not honoured beyond it. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** Deliveries claimed per round, and sent at once. */
const CLAIM_LIMIT = 64;
const CONCURRENCY = 16;
const RESPONSE_SNIPPET_BYTES = 1024;

export interface DispatcherDeps {
  db: Db;
  /** Schedules retries and leases; tests move it forward. */
  clock: () => Date;
  /** The outbound HTTP client (the runtime's `fetch`). */
  fetch: typeof fetch;
  /** Rejects a URL that must not be called (private address after DNS resolution, on Node). */
  checkUrl: (url: string) => Promise<void>;
  /** Uniform in [0, 1): the retry jitter. */
  random?: () => number;
  /** How long a receiver has to answer (default `REQUEST_TIMEOUT_MS`); tests shorten it. */
  timeoutMs?: number;
  logError?: (message: string, fields: Record<string, unknown>) => void;
  /** The service's public origin (`PUBLIC_URL`): the links to follow-ups in the team app. */
  publicUrl: string;
}

export interface DispatchSummary {
  attempted: number;
  succeeded: number;
  failed: number;
}

export interface Dispatcher {
  /**
   * Sends every due delivery. Calls made while a run is going on are folded into one more run
   * after it, so a burst of clicks costs a few claims, not one each.
   */
  run(): Promise<DispatchSummary>;
  /**
   * The clock's turn (the Node timer, the Workers Cron Trigger): queues `followup.overdue` for the
   * follow-ups whose due time passed, then `run()`. Only the timers sweep: a click's dispatch (and
   * the queue consumer's) sends what its write queued without reading the follow-ups.
   */
  tick(): Promise<DispatchSummary>;
  /** Claims and sends these deliveries now (a ping, a manual retry). */
  deliver(ids: string[]): Promise<DispatchSummary>;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const random = deps.random ?? Math.random;
  const timeoutMs = deps.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const logError = deps.logError ?? ((message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })));
  let running: Promise<DispatchSummary> | null = null;
  let again: Promise<DispatchSummary> | null = null;
  // Attempts that finish together report in one write: one commit (one round trip on Workers)
  // per group instead of one per delivery, which capped a burst at ~250 deliveries/s on Node.
  const report = groupCommit((reports: AttemptReport[]) => reportAttempts(deps.db, reports));

  async function pass(ids?: string[]): Promise<DispatchSummary> {
    const summary: DispatchSummary = { attempted: 0, succeeded: 0, failed: 0 };
    for (;;) {
      const now = deps.clock().getTime();
      const owner = `clm_${randomBase32(80)}`;
      const jobs = await claimDeliveries(deps.db, { now, leaseUntil: now + LEASE_MS, maxSteps: MAX_ATTEMPTS, limit: CLAIM_LIMIT, owner, ids });
      await eachLimited(jobs, CONCURRENCY, async (job) => {
        const outcome = await attempt(job);
        summary.attempted++;
        if (outcome.result === 'succeeded') summary.succeeded++;
        else summary.failed++;
        try {
          await report({ job, owner, outcome });
        } catch (error) {
          // The lease runs out and the delivery is attempted again: at least once, never lost.
          logError('webhook outcome not saved', { delivery: job.id, error: String(error) });
        }
      });
      if (ids || jobs.length < CLAIM_LIMIT) return summary;
    }
  }

  async function attempt(job: DeliveryJob): Promise<AttemptOutcome> {
    const payload = webhookPayload(job, deps.publicUrl);
    let body: string;
    let headers: Record<string, string>;
    if (job.endpoint.format === 'slack') {
      // A Slack incoming webhook takes a message, unsigned: its URL is the secret.
      body = JSON.stringify(slackMessage(payload));
      headers = { 'content-type': 'application/json', 'user-agent': 'clickback-webhooks/1' };
    } else {
      body = JSON.stringify(payload);
      // The signature's timestamp is the real time of sending: receivers check it against their
      // own clock (Standard Webhooks allows a few minutes of skew), whatever our scheduling clock says.
      // One reading for header and signature: two could fall on either side of a second boundary.
      const sentAt = new Date();
      headers = {
        'content-type': 'application/json',
        'user-agent': 'clickback-webhooks/1 (+https://www.standardwebhooks.com/)',
        'webhook-id': job.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': sign(job, body, sentAt),
      };
    }
    let status: number | null = null;
    let response: string | null = null;
    let retryAfterMs: number | null = null;
    let error: string;
    try {
      await deps.checkUrl(job.endpoint.url);
      const res = await deps.fetch(job.endpoint.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      response = await readStart(res, RESPONSE_SNIPPET_BYTES);
      const at = deps.clock().getTime();
      if (status >= 200 && status < 300) return { result: 'succeeded', at, status, response };
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), at);
      error =
        status >= 300 && status < 400
          ? `redirects are not followed (${status} to ${res.headers.get('location') ?? 'nowhere'})`
          : status === 410
            ? 'the receiver answered 410 Gone: endpoint paused'
            : `the receiver answered ${status}`;
    } catch (e) {
      error = describeFailure(e, timeoutMs);
    }
    const at = deps.clock().getTime();
    const last = job.step >= MAX_ATTEMPTS;
    const wait = last ? 0 : Math.max(RETRY_SCHEDULE_MS[job.step]! * (1 + 0.2 * random()), Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    return {
      result: last ? 'failed' : 'retry',
      at,
      nextAttemptAt: last ? null : Math.round(at + wait),
      status,
      error,
      response,
      pauseEndpoint: status === 410,
    };
  }

  /** During a rotation's grace period the old secret signs too (space-separated signatures). */
  function sign(job: DeliveryJob, body: string, timestamp: Date): string {
    const secrets = [job.endpoint.secret];
    const { previousSecret, previousSecretExpiresAt } = job.endpoint;
    if (previousSecret && previousSecretExpiresAt && previousSecretExpiresAt > deps.clock().getTime()) secrets.push(previousSecret);
    return secrets.map((secret) => new Webhook(secret).sign(job.id, timestamp, body)).join(' ');
  }

  function run(): Promise<DispatchSummary> {
    if (!running) {
      running = pass().finally(() => {
        running = null;
      });
      return running;
    }
    // A run is going on: it may have claimed before the caller's write. Queue one more after it.
    again ??= running
      .catch(() => undefined)
      .then(() => {
        again = null;
        return run();
      });
    return again;
  }

  async function tick(): Promise<DispatchSummary> {
    try {
      await sweepOverdueFollowUps(deps);
    } catch (error) {
      logError('overdue follow-ups not queued', { error: String(error) });
    }
    return run();
  }

  return { run, tick, deliver: (ids) => pass(ids) };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/** The start of the answer's body, as text: enough to debug, without reading a huge body. */
async function readStart(res: Response, maxBytes: number): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  const text = new TextDecoder().decode(bytes);
  return text || null;
}

/** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function describeFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
    if (e.name === 'UnsafeUrlError') return e.message;
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    return `could not connect: ${cause?.code ?? cause?.message ?? e.message}`.slice(0, 300);
  }
  return String(e).slice(0, 300);
}
