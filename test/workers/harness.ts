import { createExecutionContext, createScheduledController, env as bindings, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { inject } from 'vitest';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { createDb } from '../../worker/db';
import { applyMigrations } from '../../worker/db/migrate';
import { createWorkspace } from '../../worker/db/workspaces';
import { createWorker, type Env } from '../../worker/entry-workers';
import { claimDeliveries } from '../../worker/db/webhooks';
import { checkWebhookUrl } from '../../worker/lib/url-safety';
import { createDispatcher, type Dispatcher, LEASE_MS, MAX_ATTEMPTS } from '../../worker/services/deliver';
import type { Harness } from '../contract/harness';
import { createInvite, createSetupLink } from '../../worker/services/auth';
import { testKeys } from '../contract/keys';
import { MIGRATIONS } from './migrations';

const ORIGIN = 'https://feedback.example.com';

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
  const env: Env = { DATABASE_URL: url, PUBLIC_URL: ORIGIN, ALLOW_INSECURE_WEBHOOKS: '1', VOTE_RATE_LIMIT: '0', VOTE_RATE_LIMITER: bindings.VOTE_RATE_LIMITER, ...keys, ...extraEnv };
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const loggedErrors: Harness['loggedErrors'] = [];
  const worker = createWorker({ clock, logError: (message, fields) => loggedErrors.push({ message, fields }) });
  const clients: { close(): void }[] = [client];

  const fetchWith = (e: Env) =>
    async function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }), e, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    };

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
      // Nothing listens on port 9: every database call fails like an outage.
      return { fetch: fetchWith({ ...env, DATABASE_URL: 'http://127.0.0.1:9' }), close: async () => {} };
    },
    async close() {
      for (const c of clients) c.close();
    },
  };
}
