import { type Http2Bindings, type HttpBindings, type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from './app';
import type { AppContext } from './app-env';
import { ConfigError, loadConfig, type Config, type RawEnv } from './config';
import { createDb, type Db } from './db';
import { probeWrite } from './db/health';
import { applyMigrations } from './db/migrate';
import { isDatabaseUnavailable } from './lib/errors';
import { memoryRateLimiter, NO_RATE_LIMIT } from './lib/rate-limiter';
import { clientAddress, UNKNOWN_CLIENT, type ClientInfo } from './lib/signals';
import { createDispatcher, type Dispatcher } from './services/deliver';
import { pruneVoteEvidence } from './services/signature-links';
import { createBackground } from './node/background';
import { ensureFirstWorkspace } from './node/bootstrap';
import { checkpointInBackground } from './node/checkpointer';
import { guardedFetch, nodeUrlChecker } from './node/check-url';
import { startDispatchLoop } from './node/dispatch-loop';
import { databaseFilePath, openNodeDatabase } from './node/database';
import { holdInstanceLock } from './node/instance-lock';
import { assertDatabaseFilesWritable, DatabaseNotWritableError } from './node/writable';
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
  /** Where unexpected errors are reported (default: one JSON line on stderr); tests collect them. */
  logError?: (message: string, fields: Record<string, unknown>) => void;
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
  /**
   * Stops accepting requests, answers those in flight and closes keep-alive connections, gives the
   * webhook timer and background webhook attempts until the shutdown deadline, closes the database.
   */
  close(): Promise<void>;
}

/** The client's network as Node sees it: the socket's peer address. */
function nodeClientInfo(proxy: { hops: number; cloudflare: boolean }) {
  return function nodeClientInfo(c: AppContext): ClientInfo {
    let socket: string | null = null;
    try {
      socket = getConnInfo(c).remote.address ?? null;
    } catch {
      // app.request() in tests has no socket
    }
    return { ...UNKNOWN_CLIENT, ip: clientAddress(c.req.raw.headers, socket, proxy) };
  };
}

export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const clock = options.clock ?? (() => new Date());
  const env = withDevKeys(options.env, options.devKeysFile ?? resolve('data/dev-keys.json'), log);
  const config = loadConfig(env, { databaseUrl: DEFAULT_DATABASE_URL });
  const databasePath = databaseFilePath(config.databaseUrl);
  if (databasePath) assertDatabaseFilesWritable(databasePath);
  const client = await openNodeDatabase(config.databaseUrl, config.databaseAuthToken, { thread: true, synchronous: config.databaseSynchronous });
  // An embedded file is written on this thread: group concurrent clicks into one commit.
  const db = createDb(client, { groupCommit: databasePath !== null });
  try {
    const applied = await applyMigrations(client, loadMigrations());
    if (applied.length) log(`notice: applied database migrations ${applied.join(', ')}`);
    // A read-only file or a full disk still answers reads: prove a write before taking clicks.
    await probeWrite(db, clock());
  } catch (error) {
    client.close();
    if (databasePath && isDatabaseUnavailable(error)) throw new DatabaseNotWritableError(databasePath, (error as Error).message);
    throw error;
  }
  const lock = databasePath ? holdInstanceLock(databasePath) : null;
  const checkpoints = await checkpointInBackground(client, config.databaseUrl);
  if (options.bootstrap) await ensureFirstWorkspace(db, clock(), log, config.publicUrl);

  const logError = options.logError ?? ((message: string, fields: Record<string, unknown>) => console.error(JSON.stringify({ level: 'error', message, ...fields })));
  const dispatcher = createDispatcher({
    db,
    clock,
    fetch: options.fetch ?? guardedFetch({ allowInsecure: config.allowInsecureWebhooks }),
    checkUrl: nodeUrlChecker({ allowInsecure: config.allowInsecureWebhooks }),
    logError,
    publicUrl: config.publicUrl,
  });
  const background = createBackground();
  // One process serves every request, so a counter in its memory sees a network's whole rate.
  const voteLimiter = config.voteRateLimit > 0 ? memoryRateLimiter({ limit: config.voteRateLimit, now: () => clock().getTime() }) : NO_RATE_LIMIT;
  const app = createApp({
    db,
    config,
    clock,
    clientInfo: nodeClientInfo({ hops: config.trustProxy, cloudflare: config.trustProxyCloudflare }),
    dispatcher,
    voteLimiter,
    background: (_c, task) => background.run(task),
    logError,
  });
  const interval = options.dispatchIntervalMs ?? 1000;
  const loop = interval > 0 ? startDispatchLoop({ db, dispatcher, clock, intervalMs: interval, logError }) : null;
  const maintain = () => pruneVoteEvidence({ db, clock });
  const maintenanceMs = options.maintenanceIntervalMs ?? 3_600_000;
  const maintenance = maintenanceMs > 0 ? setInterval(() => void maintain().catch((error: unknown) => logError('vote evidence pruning failed', { error: String(error) })), maintenanceMs) : null;
  maintenance?.unref();
  const port = options.port ?? config.port;
  let closing = false;
  // While closing, every answer also ends its connection: a client that keeps clicking over a
  // keep-alive connection would otherwise hold the process open (RFC 9112 §9.6).
  const serveRequest = (request: Request, env: HttpBindings | Http2Bindings) => {
    if (closing) env.outgoing.setHeader('Connection', 'close');
    return app.fetch(request, env);
  };
  const server = await new Promise<ServerType>((resolveServer, reject) => {
    const s = serve({ fetch: serveRequest, port, hostname: '0.0.0.0' }, () => resolveServer(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      void loop?.stop();
      if (maintenance) clearInterval(maintenance);
      void checkpoints?.stop();
      client.close();
      lock?.release();
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
      closing = true;
      if (maintenance) clearInterval(maintenance);
      const http = server as Server;
      const stopped = new Promise<void>((done) => http.close(() => done()));
      http.closeIdleConnections();
      const deadlineMs = config.shutdownDeadlineSeconds * 1000;
      // Requests in flight are answered; a connection still open at the deadline is cut.
      const cut = setTimeout(() => http.closeAllConnections(), deadlineMs);
      await stopped;
      clearTimeout(cut);
      // Webhook sends get the rest of the deadline; one cut short keeps its lease and is sent
      // again after the next start (receivers de-duplicate by webhook-id).
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all([loop?.stop(), background.drain()]),
        new Promise<void>((done) => {
          timer = setTimeout(done, deadlineMs);
        }),
      ]);
      clearTimeout(timer);
      client.close();
      await checkpoints?.stop();
      lock?.release();
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
    const explained = error instanceof ConfigError || error instanceof DatabaseNotWritableError || (error instanceof Error && error.message.includes('already in use'));
    console.error(explained ? `clickback: ${error.message}` : error);
    process.exit(1);
  }
}

/** Hides credentials that might be embedded in a URL. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/([?&]authToken=)[^&]*/i, '$1***');
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) void main();
