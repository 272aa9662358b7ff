import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from './app';
import type { AppContext } from './app-env';
import { ConfigError, loadConfig, type Config, type RawEnv } from './config';
import { createDb, type Db } from './db';
import { applyMigrations } from './db/migrate';
import { memoryRateLimiter, NO_RATE_LIMIT } from './lib/rate-limiter';
import { clientAddress, UNKNOWN_CLIENT, type ClientInfo } from './lib/signals';
import { createDispatcher, type Dispatcher } from './services/deliver';
import { pruneVoteEvidence } from './services/signature-links';
import { createBackground } from './node/background';
import { ensureFirstWorkspace } from './node/bootstrap';
import { checkpointInBackground } from './node/checkpointer';
import { guardedFetch, nodeUrlChecker } from './node/check-url';
import { startDispatchLoop } from './node/dispatch-loop';
import { openNodeDatabase } from './node/database';
import { withDevKeys } from './node/dev-keys';
import { loadMigrations } from './node/migrations';

/**
 * The Node entry: `npm start` runs this file. Builds the app's dependencies for Node (embedded
 * libSQL file by default, socket address as the client's network) and serves it with
 * @hono/node-server. `startNodeServer` is also what tests and the benchmark start.
 */
export const DEFAULT_DATABASE_URL = 'file:./data/clickback.db';

export interface NodeServerOptions {
  env: RawEnv;
  /** Overrides PORT; 0 = any free port. */
  port?: number;
  clock?: () => Date;
  log?: (line: string) => void;
  /** Where development keys are kept when LINK_KEYS/FORM_KEYS are unset. */
  devKeysFile?: string;
  /** Create a default workspace on an empty database (the `npm start` experience). */
  bootstrap?: boolean;
  /** The outbound HTTP client for webhooks (default: `guardedFetch`, which refuses private addresses at connect time). */
  fetch?: typeof fetch;
  /** How often the webhook timer looks for due deliveries (default 1000 ms; 0 = no timer). */
  dispatchIntervalMs?: number;
  /** How often old signature-vote counters are pruned (default hourly; 0 = no timer). */
  maintenanceIntervalMs?: number;
}

export interface NodeServer {
  url: string;
  config: Config;
  db: Db;
  dispatcher: Dispatcher;
  server: ServerType;
  /** Prunes signature-vote counters past the evidence window now (what the hourly timer runs). */
  maintain(): Promise<number>;
  /** Resolves when the background work started so far (first webhook attempts) has finished. */
  idle(): Promise<void>;
  /** Stops accepting requests, waits for background webhook attempts, closes the database. */
  close(): Promise<void>;
}

/** The client's network as Node sees it: the socket's peer address. */
function nodeClientInfo(trustProxy: number) {
  return function nodeClientInfo(c: AppContext): ClientInfo {
    let socket: string | null = null;
    try {
      socket = getConnInfo(c).remote.address ?? null;
    } catch {
      // app.request() in tests has no socket
    }
    return { ...UNKNOWN_CLIENT, ip: clientAddress(c.req.raw.headers, socket, trustProxy) };
  };
}

export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const clock = options.clock ?? (() => new Date());
  const env = withDevKeys(options.env, options.devKeysFile ?? resolve('data/dev-keys.json'), log);
  const config = loadConfig(env, { databaseUrl: DEFAULT_DATABASE_URL });
  const client = await openNodeDatabase(config.databaseUrl, config.databaseAuthToken, { thread: true });
  const checkpoints = await checkpointInBackground(client, config.databaseUrl);
  const applied = await applyMigrations(client, loadMigrations());
  if (applied.length) log(`notice: applied database migrations ${applied.join(', ')}`);
  // An embedded file is written on this thread: group concurrent clicks into one commit.
  const db = createDb(client, { groupCommit: config.databaseUrl.startsWith('file:') });
  if (options.bootstrap) await ensureFirstWorkspace(db, clock(), log);

  const logError = (message: string, fields: Record<string, unknown>) => console.error(JSON.stringify({ level: 'error', message, ...fields }));
  const dispatcher = createDispatcher({
    db,
    clock,
    fetch: options.fetch ?? guardedFetch({ allowInsecure: config.allowInsecureWebhooks }),
    checkUrl: nodeUrlChecker({ allowInsecure: config.allowInsecureWebhooks }),
    logError,
  });
  const background = createBackground();
  // One process serves every request, so a counter in its memory sees a network's whole rate.
  const voteLimiter = config.voteRateLimit > 0 ? memoryRateLimiter({ limit: config.voteRateLimit, now: () => clock().getTime() }) : NO_RATE_LIMIT;
  const app = createApp({ db, config, clock, clientInfo: nodeClientInfo(config.trustProxy), dispatcher, voteLimiter, background: (_c, task) => background.run(task), logError });
  const interval = options.dispatchIntervalMs ?? 1000;
  const loop = interval > 0 ? startDispatchLoop({ db, dispatcher, clock, intervalMs: interval, logError }) : null;
  const maintain = () => pruneVoteEvidence({ db, clock });
  const maintenanceMs = options.maintenanceIntervalMs ?? 3_600_000;
  const maintenance = maintenanceMs > 0 ? setInterval(() => void maintain().catch((error: unknown) => logError('vote evidence pruning failed', { error: String(error) })), maintenanceMs) : null;
  maintenance?.unref();
  const port = options.port ?? config.port;
  const server = await new Promise<ServerType>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, () => resolveServer(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      void loop?.stop();
      if (maintenance) clearInterval(maintenance);
      void checkpoints?.stop();
      client.close();
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use: stop the other process or set PORT`) : error);
    });
  });
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    config,
    db,
    dispatcher,
    server,
    maintain,
    idle: () => background.drain(),
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      await loop?.stop();
      if (maintenance) clearInterval(maintenance);
      await background.drain();
      client.close();
      await checkpoints?.stop();
    },
  };
}

async function main() {
  try {
    const running = await startNodeServer({ env: process.env, bootstrap: true });
    console.log(`clickback listening on ${running.url} (database ${redact(running.config.databaseUrl)}, links ${running.config.publicUrl})`);
    const stop = async (signal: string) => {
      console.log(`${signal}: shutting down`);
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    console.error(error instanceof ConfigError || (error instanceof Error && error.message.includes('already in use')) ? `clickback: ${error.message}` : error);
    process.exit(1);
  }
}

/** Hides credentials that might be embedded in a URL. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/([?&]authToken=)[^&]*/i, '$1***');
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) void main();
