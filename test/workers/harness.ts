import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { inject } from 'vitest';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { createDb } from '../../worker/db';
import { applyMigrations } from '../../worker/db/migrate';
import { createWorkspace } from '../../worker/db/workspaces';
import worker, { type Env } from '../../worker/entry-workers';
import type { Harness } from '../contract/harness';
import { testKeys } from '../contract/keys';
import { MIGRATIONS } from './migrations';

const ORIGIN = 'https://feedback.example.com';

/**
 * The Workers entry inside workerd, with its own database (a fresh temp file behind the test
 * libSQL HTTP endpoint) reached through `@libsql/client/web`, as in production.
 */
export async function startWorkersHarness(): Promise<Harness & { roundTrips(): Promise<number> }> {
  const created = await fetch(`${inject('hranaUrl')}/databases`, { method: 'POST' });
  const { url } = (await created.json()) as { url: string };
  const client = createClient({ url });
  await applyMigrations(client, MIGRATIONS);
  const db = createDb(client);
  const keys = testKeys();
  const env: Env = { DATABASE_URL: url, PUBLIC_URL: ORIGIN, ...keys };

  const fetchWith = (e: Env) =>
    async function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }), e, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    };

  return {
    runtime: 'workers',
    fetch: fetchWith(env),
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
    async withDatabaseDown() {
      // Nothing listens on port 9: every database call fails like an outage.
      return { fetch: fetchWith({ ...env, DATABASE_URL: 'http://127.0.0.1:9' }), close: async () => {} };
    },
    async close() {
      client.close();
    },
  };
}
