import { Agent, createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspace } from '../../worker/db/workspaces';
import { startNodeServer } from '../../worker/entry-node';
import { Api, click } from '../contract/client';
import type { Harness } from '../contract/harness';
import { testKeys } from '../contract/keys';
import { rawFetch, startNodeHarness } from './harness';

/** GET over one keep-alive connection; resolves with the status and the Connection header. */
function keepAliveGet(agent: Agent, url: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    }).on('error', reject);
  });
}

describe('Node shutdown (SIGTERM runs the same close)', () => {
  it('answers requests in flight, closes keep-alive connections that keep clicking, and returns at once', async () => {
    const h = await startNodeHarness();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: { status: number; connection: string | undefined }[] = [];
    let stop = false;
    // A client that never stops: each answer is followed by the next request on the same socket.
    const clicking = (async () => {
      while (!stop) {
        try {
          answers.push(await keepAliveGet(agent, `${h.url}/healthz`));
        } catch {
          break; // refused once the server has closed
        }
      }
    })();
    try {
      while (answers.length < 20) await new Promise((done) => setTimeout(done, 5));
      const started = Date.now();
      await h.close();
      const elapsed = Date.now() - started;
      const count = answers.length;
      await clicking; // ends by itself: its connection was closed and a new one is refused
      expect(elapsed, `close took ${elapsed} ms`).toBeLessThan(2000);
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.length - count).toBeLessThanOrEqual(1);
    } finally {
      stop = true;
      agent.destroy();
    }
  });

  it('gives a webhook receiver that never answers the shutdown deadline, and leaves the delivery queued for the next start', async () => {
    const hanging: Server = createServer(() => {
      // never answers
    });
    await new Promise<void>((done) => hanging.listen(0, '127.0.0.1', done));
    const dir = mkdtempSync(join(tmpdir(), 'clickback-shutdown-'));
    const start = () =>
      startNodeServer({
        env: { DATABASE_URL: `file:${join(dir, 'test.db')}`, ALLOW_INSECURE_WEBHOOKS: '1', NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0', SHUTDOWN_DEADLINE_SECONDS: '1', ...testKeys() },
        port: 0,
        log: () => {},
        dispatchIntervalMs: 0,
      });
    let running = await start();
    try {
      const { apiKey } = await createWorkspace(running.db, 'CRM', new Date());
      const h = { runtime: 'node', fetch: (path: string, init?: RequestInit) => rawFetch(`${running.url}${path}`, init) } as Harness;
      const api = new Api(h, apiKey);
      const { json: endpoint } = await api.call('POST', '/webhooks', { url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook` }, 201);
      const survey = await api.createSurvey();
      await click(h, (await api.mint(survey.id, 'T-1', 'ann@example.com')).links[0]!.url);
      await new Promise((done) => setTimeout(done, 200)); // the first attempt is now waiting on the receiver

      const started = Date.now();
      await running.close();
      const elapsed = Date.now() - started;
      expect(elapsed, `close took ${elapsed} ms`).toBeGreaterThanOrEqual(900);
      expect(elapsed, `close took ${elapsed} ms`).toBeLessThan(3000);

      running = await start();
      const rows = (await running.db.$client.execute({ sql: 'SELECT status FROM webhook_deliveries WHERE endpoint_id = ?', args: [endpoint.id] })).rows;
      expect(rows.map((r) => r.status)).toEqual(['pending']);
    } finally {
      await running.close();
      hanging.closeAllConnections();
      await new Promise<void>((done) => hanging.close(() => done()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
