import { serve } from '@hono/node-server';
import { createClient } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../worker/app';
import { createDb } from '../../worker/db';
import { createWorkspace } from '../../worker/db/workspaces';
import { startNodeServer } from '../../worker/entry-node';
import { UNKNOWN_CLIENT } from '../../worker/lib/signals';
import type { Harness } from '../contract/harness';
import { testKeys } from '../contract/keys';

/** The Node service on a temp libSQL file, over real HTTP on a free port. */
export async function startNodeHarness(extraEnv: Record<string, string> = {}): Promise<Harness & { dir: string; url: string; db: ReturnType<typeof createDb> }> {
  const dir = mkdtempSync(join(tmpdir(), 'clickback-test-'));
  const running = await startNodeServer({
    env: { DATABASE_URL: `file:${join(dir, 'test.db')}`, PUBLIC_URL: 'https://feedback.example.com', ...testKeys(), ...extraEnv },
    port: 0,
    log: () => {},
    devKeysFile: join(dir, 'unused-dev-keys.json'),
  });
  const fetchFrom = (base: string) => (path: string, init?: RequestInit) => fetch(`${base}${path}`, { redirect: 'manual', ...init });
  return {
    runtime: 'node',
    dir,
    url: running.url,
    db: running.db,
    fetch: fetchFrom(running.url),
    linkKeys: running.config.linkKeys,
    formKeys: running.config.formKeys,
    async newWorkspace(name = 'Test') {
      const { workspace, apiKey } = await createWorkspace(running.db, name, new Date());
      return { id: workspace.id, apiKey };
    },
    async withDatabaseDown() {
      // Same config, but the database is a libSQL server that is not there.
      const client = createClient({ url: 'http://127.0.0.1:9' });
      const app = createApp({ db: createDb(client), config: running.config, clock: () => new Date(), clientInfo: () => UNKNOWN_CLIENT, logError: () => {} });
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      const { port } = server.address() as AddressInfo;
      return {
        fetch: fetchFrom(`http://127.0.0.1:${port}`),
        close: () => new Promise<void>((done) => server.close(() => done())),
      };
    },
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
