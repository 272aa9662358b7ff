import { serve } from '@hono/node-server';
import { request as httpRequest } from 'node:http';
import { createClient } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../worker/app';
import { createDb } from '../../worker/db';
import { claimDeliveries } from '../../worker/db/webhooks';
import { createWorkspace } from '../../worker/db/workspaces';
import { createDispatcher, type Dispatcher, LEASE_MS, MAX_ATTEMPTS } from '../../worker/services/deliver';
import { startNodeServer } from '../../worker/entry-node';
import { nodeUrlChecker } from '../../worker/node/check-url';
import { openNodeDatabase } from '../../worker/node/database';
import { NO_RATE_LIMIT } from '../../worker/lib/rate-limiter';
import { UNKNOWN_CLIENT } from '../../worker/lib/signals';
import { checkingApiAnswers } from '../contract/client';
import type { Harness } from '../contract/harness';
import { createInvite, createSetupLink } from '../../worker/services/auth';
import { testKeys } from '../contract/keys';
import { startWebhookReceiver } from '../support/webhook-receiver';

/**
 * The Node service on a temp libSQL file, over real HTTP on a free port, with a clock the test can
 * move and a real webhook receiver. The dispatch timer is off unless `dispatchIntervalMs` is given:
 * tests run the dispatcher themselves, at the moments they choose.
 */
export async function startNodeHarness(
  extraEnv: Record<string, string> = {},
  options: { dispatchIntervalMs?: number } = {},
): Promise<
  Harness & {
    dir: string;
    url: string;
    db: ReturnType<typeof createDb>;
    clock: () => Date;
    /**
     * Another dispatcher on the same database file, through its own connection, sharing nothing in
     * memory with the server's (as a second process would); `timeoutMs` shortens the receiver's deadline.
     */
    otherDispatcher(options?: { timeoutMs?: number }): Promise<Dispatcher>;
  }
> {
  const dir = mkdtempSync(join(tmpdir(), 'clickback-test-'));
  const databaseUrl = `file:${join(dir, 'test.db')}`;
  const otherClients: { close(): void }[] = [];
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const receiver = await startWebhookReceiver();
  const loggedErrors: Harness['loggedErrors'] = [];
  const running = await startNodeServer({
    // Every request of a suite comes from one test network: the vote rate limit is off unless a
    // suite sets it (`stuffing.contract.ts` proves it).
    env: { DATABASE_URL: databaseUrl, PUBLIC_URL: 'https://feedback.example.com', ALLOW_INSECURE_WEBHOOKS: '1', VOTE_RATE_LIMIT: '0', ...testKeys(), ...extraEnv },
    port: 0,
    clock,
    log: () => {},
    devKeysFile: join(dir, 'unused-dev-keys.json'),
    dispatchIntervalMs: options.dispatchIntervalMs ?? 0,
    logError: (message, fields) => loggedErrors.push({ message, fields }),
  });
  const fetchFrom = (base: string) => checkingApiAnswers((path: string, init?: RequestInit) => rawFetch(`${base}${path}`, init));
  return {
    runtime: 'node',
    dir,
    url: running.url,
    db: running.db,
    clock,
    fetch: fetchFrom(running.url),
    loggedErrors,
    receiverUrl: receiver.url,
    advanceClock(ms) {
      offset += ms;
    },
    async dispatch() {
      await running.idle();
      await running.dispatcher.tick();
    },
    settle: () => running.idle(),
    async maintain() {
      await running.maintain();
    },
    async otherDispatcher(options = {}) {
      const client = await openNodeDatabase(databaseUrl);
      otherClients.push(client);
      return createDispatcher({
        db: createDb(client),
        clock,
        publicUrl: running.config.publicUrl,
        fetch,
        checkUrl: nodeUrlChecker({ allowInsecure: running.config.allowInsecureWebhooks }),
        logError: () => {},
        timeoutMs: options.timeoutMs,
      });
    },
    async crashAfterClaim() {
      const now = clock().getTime();
      const jobs = await claimDeliveries(running.db, { now, leaseUntil: now + LEASE_MS, maxSteps: MAX_ATTEMPTS, limit: 1000, owner: 'clm_crashed' });
      return jobs.length;
    },
    linkKeys: running.config.linkKeys,
    formKeys: running.config.formKeys,
    async newWorkspace(name = 'Test') {
      const { workspace, apiKey } = await createWorkspace(running.db, name, new Date());
      return { id: workspace.id, apiKey };
    },
    setupLink(workspaceId) {
      return createSetupLink(running.db, { workspaceId, now: clock(), publicUrl: running.config.publicUrl });
    },
    inviteLink(workspaceId, email, role) {
      return createInvite(running.db, { workspaceId, email, role, now: clock(), publicUrl: running.config.publicUrl });
    },
    async query(sql, args = []) {
      return (await running.db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
    },
    async withDatabaseDown() {
      // Same config, but the database is a libSQL server that is not there.
      const client = createClient({ url: 'http://127.0.0.1:9' });
      const db = createDb(client);
      const app = createApp({ db, config: running.config, clock: () => new Date(), clientInfo: () => UNKNOWN_CLIENT, logError: () => {}, dispatcher: running.dispatcher, voteLimiter: NO_RATE_LIMIT, background: () => {} });
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
      for (const client of otherClients) client.close();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fetch that sends exactly the headers given, over node:http. Node's own fetch (undici) replaces
 * the Fetch Metadata headers with its own (`Sec-Fetch-Mode: cors`), so a test could not send what
 * a browser's navigation sends. Redirects are never followed.
 */
export function rawFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  // A stream is sent as it comes, without Content-Length (chunked), like a client that does not know the length.
  const stream = init.body instanceof ReadableStream ? init.body : undefined;
  const body = init.body === undefined || init.body === null || stream ? undefined : String(init.body);
  if (body !== undefined && !headers.has('content-length') && !headers.has('transfer-encoding')) headers.set('content-length', String(Buffer.byteLength(body)));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
        }
        const status = res.statusCode ?? 500;
        const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
        resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: out }));
      });
    });
    req.on('error', reject);
    if (init.signal) init.signal.addEventListener('abort', () => req.destroy(new Error('aborted')));
    if (!stream) return void req.end(body);
    void (async function sendStream() {
      try {
        for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
          // The server may answer (413) and close before the stream ends: stop writing then.
          if (req.destroyed || req.writableEnded) return;
          if (!req.write(chunk)) await new Promise((done) => req.once('drain', done));
        }
        req.end();
      } catch (error) {
        req.destroy(error as Error);
      }
    })();
  });
}
