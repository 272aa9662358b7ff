import { createRequire } from 'node:module';
import type { Client } from '@libsql/client';
import { Worker } from 'node:worker_threads';
import { databaseFilePath } from './database';

/**
 * WAL checkpoints off the event loop.
 *
 * In WAL mode every commit appends pages to the `-wal` file, and by default the connection that
 * commits copies them back into the database file once the WAL passes 1000 pages: an
 * `fsync`-bound pause of several milliseconds, taken synchronously on the thread that happens to
 * commit (https://sqlite.org/wal.html#automatic_checkpoint). On the Node server that thread is
 * the event loop, so every few group commits all requests waited for the disk (measured: 110 µs
 * of a vote's 145 µs write was that pause).
 *
 * So the serving connection turns automatic checkpoints off and this worker thread, on its own
 * connection to the same file, runs PASSIVE checkpoints on a timer: they copy what no reader still
 * needs without blocking the writer, and the writer restarts the WAL from its beginning once it has
 * all been copied. Under sustained load that moment rarely comes (new frames arrive while a passive
 * checkpoint copies: the WAL grew to the backstop's ~80 MB), so once the WAL holds more than
 * `WAL_RESTART_PAGES` the thread runs a TRUNCATE checkpoint: it waits for the write in progress,
 * copies the little the passive runs left, and truncates the file to zero, so the next write starts
 * it afresh (https://sqlite.org/pragma.html#pragma_wal_checkpoint). The serving connection keeps a
 * far higher automatic threshold (`SAFETY_CHECKPOINT_PAGES`) as a backstop should this thread ever
 * stall.
 */

/** Checkpoint cadence: at a few thousand votes a second, the WAL stays under ~10 MB. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The serving connection's own automatic checkpoint, reached only if the worker stalls (~80 MB). */
export const SAFETY_CHECKPOINT_PAGES = 20_000;
/** Past this many WAL pages (16 MiB of 4 KiB pages) the thread truncates the WAL. */
export const WAL_RESTART_PAGES = 4096;

// The worker's code is CommonJS evaluated as a string: it must run the same whether the server
// was started by tsx, by vitest or from a bundle, none of which a `.ts` worker file would survive.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const { createClient } = require(workerData.clientModule);
const client = createClient({ url: workerData.url, timeout: 5000 });
let busy = Promise.resolve();
let frameBytes = 0;
function walBytes() {
  const stat = statSync(workerData.walPath, { throwIfNoEntry: false });
  return stat ? stat.size : 0;
}
function checkpoint() {
  busy = busy.then(async () => {
    if (!frameBytes) frameBytes = Number((await client.execute('PRAGMA page_size')).rows[0][0]) + 24;
    const passive = await client.execute('PRAGMA wal_checkpoint(PASSIVE)');
    // Columns: busy, frames in the WAL, frames checkpointed. The file is measured as well: once a
    // passive run has copied everything, the writer restarts the WAL from its beginning without
    // shrinking the file, so a quiet WAL may hold few frames in a file still at its largest.
    const frames = Number(passive.rows[0][1]);
    if (frames > workerData.restartPages || walBytes() > workerData.restartPages * frameBytes) {
      await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    }
  }).catch((error) => {
    parentPort.postMessage({ error: String(error && error.message || error) });
  });
  return busy;
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.postMessage({ ready: true });
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  // A last checkpoint, so a stopped server leaves a small WAL behind.
  checkpoint().then(() => { client.close(); parentPort.postMessage({ stopped: true }); });
});
`;

export interface Checkpointer {
  /** Resolves once the thread is up and its timer runs (starting a thread takes a moment). */
  ready: Promise<void>;
  /** Stops the timer after a final checkpoint. */
  stop(): Promise<void>;
}

/**
 * For the server's connection to an embedded file: raises its automatic checkpoint to the backstop
 * and starts the checkpoint thread. Returns null for a remote database (Turso checkpoints itself).
 */
export async function checkpointInBackground(
  client: Client,
  url: string,
  options: { restartPages?: number; intervalMs?: number } = {},
): Promise<Checkpointer | null> {
  if (databaseFilePath(url) === null) return null;
  await client.execute(`PRAGMA wal_autocheckpoint = ${SAFETY_CHECKPOINT_PAGES}`);
  return startCheckpointer(url, options);
}

/** Starts checkpointing `url` (an embedded `file:` database, not in memory) on a worker thread. */
export function startCheckpointer(
  url: string,
  options: { intervalMs?: number; restartPages?: number; logError?: (message: string, fields: Record<string, unknown>) => void } = {},
): Checkpointer {
  const clientModule = createRequire(import.meta.url).resolve('@libsql/client');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url, walPath: `${databaseFilePath(url)}-wal`, clientModule, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS, restartPages: options.restartPages ?? WAL_RESTART_PAGES },
  });
  worker.unref();
  const logError = options.logError ?? ((message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })));
  let stopped: (() => void) | null = null;
  let started!: () => void;
  const ready = new Promise<void>((done) => (started = done));
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  worker.on('message', (message: { error?: string; stopped?: boolean; ready?: boolean }) => {
    if (message.error) logError('WAL checkpoint failed', { error: message.error });
    if (message.ready) started();
    if (message.stopped) stopped?.();
  });
  worker.on('error', (error) => logError('WAL checkpoint thread failed', { error: String(error) }));
  return {
    ready: Promise.race([ready, exited]),
    async stop() {
      // The thread answers after its last checkpoint; if it already died, its exit is the answer.
      const answered = new Promise<void>((done) => (stopped = done));
      worker.postMessage('stop');
      await Promise.race([answered, exited]);
      await worker.terminate();
    },
  };
}
