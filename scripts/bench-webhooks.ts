/**
 * `npm run bench:webhooks`: how soon a negative click reaches a webhook receiver, on Node with the
 * embedded database.
 *
 * 1. Starts the service in a CHILD process (`--serve` mode of this file) on a fresh temp database,
 *    with ALLOW_INSECURE_WEBHOOKS=1 so it may call a receiver on 127.0.0.1, and
 *    NEGATIVE_SETTLE_SECONDS=0 and VOTE_SETTLE_SECONDS=0: this measures delivery, not the (deliberate, default 60 s and 6 s) waits
 *    that lets a scanner burst be caught before `feedback.negative` goes out;
 * 2. starts a webhook receiver in THIS process that verifies every message with the
 *    `standardwebhooks` library, and registers it through the API for `feedback.negative`;
 * 3. mints N distinct links on a csat3 survey (one message each) and clicks each one's NEGATIVE
 *    answer (score 1) exactly once, in a burst at C connections with browser-like headers, after
 *    a warm-up burst of a tenth as many (at most 200) that is checked but not timed;
 * 4. waits for the webhooks (at most WAIT_MS after the last click: long enough for one retry) and
 *    reports the time from sending each click to its verified receipt (p50/p99/max), deliveries
 *    per second (receipts over the span from the first click to the last receipt), duplicates
 *    (a `webhook-id` received twice, or a second message for the same click), missing messages
 *    and bad signatures; exit 1 if any is not 0.
 *
 * Options: --clicks N (default 2000), --connections C (default 64), --json (only the JSON line).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../worker/config';
import { createDb } from '../worker/db';
import { insertSurvey } from '../worker/db/surveys';
import { createWorkspace } from '../worker/db/workspaces';
import { openNodeDatabase } from '../worker/node/database';
import { mintLinks } from '../worker/services/links';
import { BROWSER_HEADERS, benchEnv, percentile, runAutocannon, serveInChild, spawnService, stopService } from './bench-support';

/** How long to wait for the last webhooks after the last click: a failed first attempt is retried 5 s later. */
const WAIT_MS = 30_000;
/** After the last expected message, how long to keep listening for duplicates. */
const SETTLE_MS = 1_000;

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    clicks: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '64' },
    json: { type: 'boolean' },
  },
});

/** What the receiver saw, per click (by the subject its link was minted for). */
interface Tally {
  /** When each click's message was received and verified (performance.now()), by subject. */
  receivedAt: Map<string, number>;
  webhookIds: Set<string>;
  /** A `webhook-id` that came again. */
  duplicateIds: number;
  /** A second message (another `webhook-id`) for a click already received. */
  duplicateClicks: number;
  badSignatures: number;
  /** Verified, but not a `feedback.negative` for one of our clicks. */
  unexpected: number;
}

/**
 * A receiver as a CRM would run it: verifies each message's signature with the `standardwebhooks`
 * library (refusing it with 400 otherwise, so it would be retried), then answers 204.
 */
async function startReceiver(tally: Tally): Promise<{ url: string; setSecret(secret: string): void; close(): Promise<void> }> {
  let verifier: Webhook | null = null;
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server = createServer(async (req, res) => {
    const raw = await read(req);
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    let payload: { type?: string; data?: { response?: { subject?: string } } };
    try {
      if (!verifier) throw new Error('no secret yet');
      payload = verifier.verify(raw, headers) as typeof payload;
    } catch {
      tally.badSignatures++;
      return res.writeHead(400).end('bad signature');
    }
    const at = performance.now();
    const id = headers['webhook-id'];
    if (tally.webhookIds.has(id)) tally.duplicateIds++;
    else {
      tally.webhookIds.add(id);
      const subject = payload.data?.response?.subject;
      if (payload.type !== 'feedback.negative' || !subject) tally.unexpected++;
      else if (tally.receivedAt.has(subject)) tally.duplicateClicks++;
      else tally.receivedAt.set(subject, at);
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/crm`,
    setSecret(secret) {
      verifier = new Webhook(secret);
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** One link to click: the subject it was minted for, and its negative answer's path. */
interface Click {
  subject: string;
  path: string;
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((tick) => setTimeout(tick, 10));
}

async function main() {
  const clicks = Number(args.clicks);
  const connections = Number(args.connections);
  if (!Number.isInteger(clicks) || clicks < 1 || !Number.isInteger(connections) || connections < 1) throw new Error('--clicks and --connections must be positive whole numbers');
  const say = (line: string) => {
    if (!args.json) console.log(line);
  };
  const dir = mkdtempSync(join(tmpdir(), 'clickback-bench-webhooks-'));
  const env = benchEnv(dir, { ALLOW_INSECURE_WEBHOOKS: '1', NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' });
  const tally: Tally = { receivedAt: new Map(), webhookIds: new Set(), duplicateIds: 0, duplicateClicks: 0, badSignatures: 0, unexpected: 0 };
  const receiver = await startReceiver(tally);
  let child: ChildProcess | undefined;
  try {
    const service = await spawnService(fileURLToPath(import.meta.url), env);
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;

    // Data: one workspace, one csat3 survey, one message per click (+ warm-up messages).
    const config = loadConfig(env);
    const client = await openNodeDatabase(config.databaseUrl);
    const db = createDb(client);
    const now = new Date();
    const { workspace, apiKey } = await createWorkspace(db, 'bench', now);
    const survey = await insertSurvey(db, workspace.id, { name: 'bench', scale: 'csat3', question: 'How did we do?', questionI18n: {}, locale: null }, now);

    // The endpoint is registered as a user would, through the API; its secret goes to the receiver.
    const registered = await fetch(`${base}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['feedback.negative'] }),
    });
    if (registered.status !== 201) throw new Error(`registering the webhook answered ${registered.status}: ${await registered.text()}`);
    receiver.setSecret(((await registered.json()) as { secret: string }).secret);

    const warmup = Math.min(200, Math.ceil(clicks / 10));
    const mint = async (subject: string, i: number): Promise<Click> => {
      const { links } = await mintLinks({ db, config, clock: () => now }, workspace.id, { surveyId: survey.id, subject, recipient: `customer${i}@example.com` });
      const negative = links.find((link) => link.score === 1);
      if (!negative) throw new Error('a csat3 survey has no score 1');
      return { subject, path: new URL(negative.url).pathname };
    };
    const mintStarted = performance.now();
    const warmupLinks: Click[] = [];
    for (let i = 0; i < warmup; i++) warmupLinks.push(await mint(`W-${i}`, i));
    const links: Click[] = [];
    for (let i = 0; i < clicks; i++) links.push(await mint(`T-${i}`, i));
    say(`minted ${warmup + clicks} links in ${Math.round(performance.now() - mintStarted)} ms; webhook → ${receiver.url}`);

    // Each link is clicked once; when its request is built (right before it is written) is its click time.
    const sentAt = new Map<string, number>();
    const burst = (batch: Click[]) => {
      let next = 0;
      return runAutocannon({
        url: base,
        connections,
        amount: batch.length,
        headers: BROWSER_HEADERS,
        requests: [
          {
            setupRequest(request) {
              const link = batch[next++]!;
              sentAt.set(link.subject, performance.now());
              request.path = link.path;
              return request;
            },
          },
        ],
      });
    };

    await burst(warmupLinks);
    await until(() => warmupLinks.every((link) => tally.receivedAt.has(link.subject)), WAIT_MS);
    const warmupReceived = warmupLinks.filter((link) => tally.receivedAt.has(link.subject)).length;

    const firstClick = performance.now();
    const run = await burst(links);
    await until(() => links.every((link) => tally.receivedAt.has(link.subject)), WAIT_MS);
    await new Promise((settle) => setTimeout(settle, SETTLE_MS));

    const received = links.filter((link) => tally.receivedAt.has(link.subject));
    const latencies = received.map((link) => tally.receivedAt.get(link.subject)! - sentAt.get(link.subject)!).sort((a, b) => a - b);
    const lastReceipt = Math.max(...received.map((link) => tally.receivedAt.get(link.subject)!));
    const [deliveries] = (await client.execute(`SELECT count(*) AS n, coalesce(sum(attempts), 0) AS attempts FROM webhook_deliveries`)).rows;
    client.close();

    const redirects = Number(run.statusCodeStats?.['303']?.count ?? 0);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const result = {
      clicks,
      connections,
      clicksPerSec: Math.round(clicks / run.seconds),
      receiptP50Ms: round(percentile(latencies, 0.5)),
      receiptP99Ms: round(percentile(latencies, 0.99)),
      receiptMaxMs: round(latencies.at(-1) ?? NaN),
      deliveriesPerSec: received.length ? Math.round(received.length / ((lastReceipt - firstClick) / 1000)) : 0,
      received: received.length,
      missing: clicks - received.length + (warmup - warmupReceived),
      duplicates: tally.duplicateIds + tally.duplicateClicks,
      badSignatures: tally.badSignatures,
      unexpected: tally.unexpected,
      attempts: Number(deliveries?.attempts ?? 0),
      deliveries: Number(deliveries?.n ?? 0),
      errors: run.errors + run.timeouts + (clicks - redirects),
    };

    say('');
    say(`burst: ${clicks} negative clicks at ${connections} connections in ${run.seconds.toFixed(2)} s (${result.clicksPerSec} clicks/s, ${redirects} answered 303)`);
    say(`click → verified receipt   p50 ${result.receiptP50Ms} ms   p99 ${result.receiptP99Ms} ms   max ${result.receiptMaxMs} ms`);
    say(`deliveries/s               ${result.deliveriesPerSec} (${result.received} receipts in ${((lastReceipt - firstClick) / 1000).toFixed(2)} s from the first click)`);
    say(`missing ${result.missing}, duplicates ${result.duplicates} (${tally.duplicateIds} by webhook-id, ${tally.duplicateClicks} by click), bad signatures ${result.badSignatures}, unexpected ${result.unexpected}`);
    say(`attempts ${result.attempts} for ${result.deliveries} deliveries (${warmup} of them warm-up), ${result.errors} click errors`);
    console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
    if (result.missing || result.duplicates || result.badSignatures || result.unexpected || result.errors) process.exitCode = 1;
  } finally {
    await stopService(child);
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.serve) await serveInChild();
else await main();
