import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../worker/config';
import { createDb } from '../../worker/db';
import { applyMigrations } from '../../worker/db/migrate';
import { insertSurvey } from '../../worker/db/surveys';
import { createWorkspace } from '../../worker/db/workspaces';
import { nodeUrlChecker } from '../../worker/node/check-url';
import { openNodeDatabase } from '../../worker/node/database';
import { loadMigrations } from '../../worker/node/migrations';
import { createDispatcher } from '../../worker/services/deliver';
import { mintLinks } from '../../worker/services/links';
import { BROWSER_HEADERS } from '../contract/client';
import { testKeys } from '../contract/keys';
import { Inbox } from '../contract/receiver';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { rawFetch } from './harness';

/**
 * Crash safety of the Node service, as its operator would meet it: the real `npm start` entry in a
 * child process, killed with SIGKILL in the middle of a click load and started again on the same
 * file; then stopped with SIGTERM under load. Every click that was answered 303 must be stored with
 * its answer, the file must pass `PRAGMA integrity_check`, and every webhook event of those clicks
 * must reach the receiver after the restart.
 */

const ENTRY = join(import.meta.dirname, '../../worker/entry-node.ts');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** `npm start`'s entry in a child process; resolves once it listens. */
async function startService(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('clickback listening on')) resolve();
    });
  });
  return child;
}

interface Load {
  /** Subjects whose click was answered 303. */
  answered: string[];
  /** Resolves when every worker has stopped (the queue ran dry or the server went away). */
  done: Promise<void>;
}

/** Clicks each path once, `concurrency` at a time, with a person's browser headers. */
function clickLoad(base: string, clicks: { subject: string; path: string }[], concurrency = 8): Load {
  const answered: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < clicks.length) {
      const click = clicks[next++]!;
      try {
        const res = await rawFetch(`${base}${click.path}`, { headers: BROWSER_HEADERS });
        if (res.status === 303) answered.push(click.subject);
      } catch {
        return; // the server is gone
      }
    }
  };
  return { answered, done: Promise.all(Array.from({ length: concurrency }, worker)).then(() => undefined) };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

describe('crash safety of the Node service (the npm start entry in a child process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickback-crash-'));
  let env: NodeJS.ProcessEnv;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let inbox: Inbox;
  const links: { subject: string; path: string }[] = [];
  const stored = async (subjects: string[]) => {
    const client = await openNodeDatabase(env.DATABASE_URL!);
    try {
      const rows = (await client.execute(`SELECT subject, score, status FROM responses`)).rows;
      const bySubject = new Map(rows.map((row) => [String(row.subject), `${row.score}/${row.status}`]));
      return subjects.filter((subject) => bySubject.get(subject) !== '1/counted');
    } finally {
      client.close();
    }
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    inbox = new Inbox(receiver.url);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      ...testKeys(),
      DATABASE_URL: `file:${join(dir, 'crash.db')}`,
      PORT: String(port),
      PUBLIC_URL: base,
      ALLOW_INSECURE_WEBHOOKS: '1',
      NEGATIVE_SETTLE_SECONDS: '0',
      VOTE_SETTLE_SECONDS: '0',
      SHUTDOWN_DEADLINE_SECONDS: '2',
      // The whole load comes from one address: the per-network vote rate limit is not under test.
      VOTE_RATE_LIMIT: '0',
    };
    // The workspace, survey, webhook endpoint and 1,200 messages' links, written before the service starts.
    const config = loadConfig(env);
    const client = await openNodeDatabase(config.databaseUrl);
    await applyMigrations(client, loadMigrations());
    const db = createDb(client);
    const now = new Date();
    const { workspace, apiKey } = await createWorkspace(db, 'Crash', now);
    env.TEST_API_KEY = apiKey;
    const survey = await insertSurvey(db, workspace.id, { name: 'CSAT', scale: 'csat3', question: 'How did we do?', questionI18n: {}, locale: null }, now);
    for (let i = 0; i < 1200; i++) {
      const minted = await mintLinks({ db, config, clock: () => now }, workspace.id, { surveyId: survey.id, subject: `T-${i}`, recipient: `c${i}@example.com` });
      links.push({ subject: `T-${i}`, path: new URL(minted.links.find((link) => link.score === 1)!.url).pathname });
    }
    client.close();
  }, 60_000);

  afterAll(async () => {
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILL mid-load, restart, SIGTERM under load: every answered click stored, the file intact, every webhook delivered', async () => {
    let child = await startService(env);
    const registered = await fetch(`${base}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: inbox.url }),
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    await inbox.configure({ secrets: [((await registered.json()) as { secret: string }).secret] });

    // 1. SIGKILL in the middle of the load.
    const first = clickLoad(base, links.slice(0, 600));
    await until(() => first.answered.length >= 250, 30_000);
    child.kill('SIGKILL');
    await first.done;
    const killedAnswered = [...first.answered];
    expect(killedAnswered.length).toBeLessThan(600); // the kill did land mid-load
    expect(await stored(killedAnswered)).toEqual([]);
    const check = await openNodeDatabase(env.DATABASE_URL!);
    expect((await check.execute('PRAGMA integrity_check')).rows[0]?.[0]).toBe('ok');
    check.close();

    // 2. Restart on the same file, load again, and SIGTERM in the middle: it drains and exits soon.
    child = await startService(env);
    const second = clickLoad(base, links.slice(600));
    await until(() => second.answered.length >= 150, 30_000);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const termAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const drainMs = Date.now() - termAt;
    await second.done;
    expect(code).toBe(0);
    expect(drainMs, `SIGTERM took ${drainMs} ms`).toBeLessThan(5000);
    expect(await stored(second.answered)).toEqual([]);

    // 3. Every webhook of every answered click arrives: what the restarted service sent, and what the
    //    killed one had claimed (sent again once its 60 s lease runs out: a dispatcher with a later clock).
    const client = await openNodeDatabase(env.DATABASE_URL!);
    const dispatcher = createDispatcher({
      db: createDb(client),
      clock: () => new Date(Date.now() + 120_000),
      publicUrl: 'https://feedback.example.com',
      fetch,
      checkUrl: nodeUrlChecker({ allowInsecure: true }),
      logError: () => {},
    });
    const want = new Set([...killedAnswered, ...second.answered]);
    const delivered = async () => new Set((await inbox.receipts()).map((r) => (r.body as { data: { response: { subject: string } } }).data.response.subject));
    for (let round = 0; round < 20; round++) {
      await dispatcher.run();
      const got = await delivered();
      if ([...want].every((subject) => got.has(subject))) break;
      await new Promise((done) => setTimeout(done, 200));
    }
    client.close();
    const got = await delivered();
    expect([...want].filter((subject) => !got.has(subject))).toEqual([]);
    // A message sent again after the crash carries the same webhook-id: receivers de-duplicate by it.
    // (Clicks committed but not yet answered when the process died are delivered too.)
    const idsBySubject = new Map<string, Set<string>>();
    for (const r of await inbox.receipts()) {
      const subject = (r.body as { data: { response: { subject: string } } }).data.response.subject;
      idsBySubject.set(subject, (idsBySubject.get(subject) ?? new Set()).add(r.webhookId));
    }
    expect([...idsBySubject].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    console.log(
      `crash safety: ${killedAnswered.length} clicks answered before SIGKILL, ${second.answered.length} before SIGTERM (exit ${code} after ${drainMs} ms); all stored; ${(await inbox.receipts()).length} webhook messages for ${want.size} events`,
    );
  }, 120_000);
});
