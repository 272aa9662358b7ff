import { createExecutionContext, createMessageBatch, createScheduledController, env as bindings, getQueueResult, type QueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { inject } from 'vitest';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { createDb } from '../../worker/db';
import { applyMigrations } from '../../worker/db/migrate';
import { createWorkspace } from '../../worker/db/workspaces';
import { createWorker, type Env, type QueueBinding } from '../../worker/entry-workers';
import { claimDeliveries } from '../../worker/db/webhooks';
import { checkWebhookUrl } from '../../worker/lib/url-safety';
import { createDispatcher, type Dispatcher, LEASE_MS, MAX_ATTEMPTS } from '../../worker/services/deliver';
import { checkingApiAnswers } from '../contract/client';
import type { Harness } from '../contract/harness';
import { createInvite, createSetupLink } from '../../worker/services/auth';
import { testKeys } from '../contract/keys';
import { MIGRATIONS } from './migrations';

const ORIGIN = 'https://feedback.example.com';
/** The vote queue's name in wrangler.toml. */
const VOTE_QUEUE_NAME = 'clickback-votes';

/** A message as the queue holds it: what the producer sent, with the id and time the queue gave it. */
export interface SentMessage {
  id: string;
  timestamp: number;
  body: unknown;
}

/**
 * The Workers entry inside workerd, with its own database (a fresh temp file behind the test
 * libSQL HTTP endpoint) reached through `@libsql/client/web`, as in production, and a clock the
 * test can move (the entry's one seam). `dispatch()` calls the Worker's `scheduled` handler.
 */
export async function startWorkersHarness(extraEnv: Partial<Env> = {}): Promise<
  Harness & {
    roundTrips(): Promise<number>;
    /**
     * Another dispatcher on the same database, with its own client, sharing nothing in memory with
     * the Worker's (as another isolate would); `timeoutMs` shortens the receiver's deadline.
     */
    otherDispatcher(options?: { timeoutMs?: number }): Promise<Dispatcher>;
    /** Stops (`true`) or restarts (`false`) this harness's database endpoint (the test server's outage switch). */
    setDatabaseDown(down: boolean): Promise<void>;
    /** The messages the Worker sent to its vote queue so far (`VOTE_QUEUE`). */
    queuedMessages: SentMessage[];
    /**
     * Delivers these messages to the Worker's queue consumer as one batch (miniflare's
     * `MessageBatch`, `attempts` times delivered), and returns what it acked and retried once its
     * `waitUntil` work (webhook delivery) has settled.
     */
    consumeQueue(messages: SentMessage[], attempts?: number): Promise<QueueResult>;
  }
> {
  const created = await fetch(`${inject('hranaUrl')}/databases`, { method: 'POST' });
  const { url } = (await created.json()) as { url: string };
  const client = createClient({ url });
  await applyMigrations(client, MIGRATIONS);
  const db = createDb(client);
  const keys = testKeys();
  // The rate-limiting binding of wrangler.toml, as deployed; off (VOTE_RATE_LIMIT=0) unless a suite
  // turns it on: every request of a suite comes from one network.
  // The producer binding is the seam the test holds: it keeps what was sent, serialized as the
  // Worker asks (JSON), so the test decides when the consumer gets which batch (and can deliver
  // one twice). The consumer itself receives miniflare's own MessageBatch (`consumeQueue`).
  const queuedMessages: SentMessage[] = [];
  const voteQueue: QueueBinding = {
    async send(body, options) {
      if (options?.contentType !== 'json') throw new Error(`the vote queue expects JSON messages, got ${options?.contentType}`);
      queuedMessages.push({ id: crypto.randomUUID().replaceAll('-', ''), timestamp: Date.now(), body: JSON.parse(JSON.stringify(body)) });
    },
  };
  const env: Env = {
    DATABASE_URL: url,
    PUBLIC_URL: ORIGIN,
    ALLOW_INSECURE_WEBHOOKS: '1',
    VOTE_RATE_LIMIT: '0',
    VOTE_RATE_LIMITER: bindings.VOTE_RATE_LIMITER,
    VOTE_QUEUE: voteQueue,
    ...keys,
    ...extraEnv,
  };
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const loggedErrors: Harness['loggedErrors'] = [];
  const worker = createWorker({ clock, logError: (message, fields) => loggedErrors.push({ message, fields }) });
  const clients: { close(): void }[] = [client];

  const fetchWith = (e: Env) =>
    checkingApiAnswers(async function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }), e, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    });

  async function runCron() {
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: '* * * * *', scheduledTime: clock().getTime() }), env, ctx);
    await waitOnExecutionContext(ctx);
  }

  return {
    runtime: 'workers',
    fetch: fetchWith(env),
    loggedErrors,
    receiverUrl: inject('receiverUrl'),
    advanceClock(ms) {
      offset += ms;
    },
    dispatch: runCron,
    // The Cron Trigger prunes too (and sends what is due).
    maintain: runCron,
    // Each request's waitUntil work is awaited by fetch() already.
    settle: async () => {},
    async otherDispatcher(options = {}) {
      const own = createClient({ url });
      clients.push(own);
      return createDispatcher({
        db: createDb(own),
        clock,
        publicUrl: 'https://feedback.example.com',
        fetch: (input, init) => fetch(input, init),
        checkUrl: async (target) => void checkWebhookUrl(target, { allowInsecure: true }),
        logError: () => {},
        timeoutMs: options.timeoutMs,
      });
    },
    async crashAfterClaim() {
      const now = clock().getTime();
      const jobs = await claimDeliveries(db, { now, leaseUntil: now + LEASE_MS, maxSteps: MAX_ATTEMPTS, limit: 1000, owner: 'clm_crashed' });
      return jobs.length;
    },
    /** HTTP requests the database has served so far. */
    async roundTrips() {
      const res = await fetch(new URL('round-trips', url));
      return ((await res.json()) as { pipelines: number }).pipelines;
    },
    linkKeys: parseKeyRing('LINK_KEYS', keys.LINK_KEYS),
    formKeys: parseKeyRing('FORM_KEYS', keys.FORM_KEYS),
    async newWorkspace(name = 'Test') {
      const { workspace, apiKey } = await createWorkspace(db, name, new Date());
      return { id: workspace.id, apiKey };
    },
    setupLink(workspaceId) {
      return createSetupLink(db, { workspaceId, now: clock(), publicUrl: env.PUBLIC_URL ?? ORIGIN });
    },
    inviteLink(workspaceId, email, role) {
      return createInvite(db, { workspaceId, email, role, now: clock(), publicUrl: env.PUBLIC_URL ?? ORIGIN });
    },
    async query(sql, args = []) {
      return (await client.execute({ sql, args })).rows.map((row) => ({ ...row }));
    },
    async withDatabaseDown() {
      // Nothing listens on port 9: every database call fails like an outage. The vote queue is
      // unavailable too, so nothing can keep a vote: the case that must stay an honest 503.
      const queueDown: QueueBinding = {
        send: async () => {
          throw new Error('Queue send failed: internal error');
        },
      };
      return { fetch: fetchWith({ ...env, DATABASE_URL: 'http://127.0.0.1:9', VOTE_QUEUE: queueDown }), close: async () => {} };
    },
    async setDatabaseDown(down) {
      const res = await fetch(new URL('outage', url), { method: 'POST', body: JSON.stringify({ down }) });
      if (res.status !== 200) throw new Error(`outage switch: ${res.status} ${await res.text()}`);
    },
    queuedMessages,
    async consumeQueue(messages, attempts = 1) {
      const batch = createMessageBatch(
        VOTE_QUEUE_NAME,
        messages.map((m) => ({ id: m.id, timestamp: m.timestamp, attempts, body: m.body })),
      );
      const ctx = createExecutionContext();
      await worker.queue(batch as never, env, ctx);
      return getQueueResult(batch, ctx);
    },
    async close() {
      for (const c of clients) c.close();
    },
  };
}
