import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import type { DatabaseSynchronous } from '../config';
import { openDatabaseThread } from './database-thread';

/** How long a statement waits for a lock another process (the CLI) holds. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database on Node: an embedded file (`file:…`) or a remote libSQL/Turso URL.
 *
 * For a file, the client gets ONE connection (`concurrency: 1`): the embedded engine is called
 * synchronously, so more connections add no parallelism, and per-connection pragmas set with
 * `execute()` only stick when every call uses the same connection. WAL lets the CLI read while the
 * server writes. `synchronous` is `DATABASE_SYNCHRONOUS`: FULL syncs the WAL at every commit, so an
 * acknowledged vote survives a power cut; NORMAL (the default) is durable across application crashes
 * in WAL mode and only risks the last commits on power loss
 * (https://sqlite.org/pragma.html#pragma_synchronous). Group commit makes one sync serve every
 * click of a group.
 * Foreign keys are as the libSQL engine defaults them: enforced (`PRAGMA foreign_keys` reads 1).
 *
 * The server opens it with `thread: true`: the connection then lives on a worker thread
 * (`./database-thread.ts`) so statements never run on the event loop, and WAL checkpoints run on
 * another (`./checkpointer.ts`). The CLI and scripts use the connection in-process.
 */
export async function openNodeDatabase(url: string, authToken?: string, options: { thread?: boolean; synchronous?: DatabaseSynchronous } = {}): Promise<Client> {
  if (!url.startsWith('file:')) return createClient({ url, authToken });
  const path = databaseFilePath(url);
  if (path) keepPrivate(path);
  const onThread = options.thread && path !== null;
  const client = onThread ? openDatabaseThread({ url, busyTimeoutMs: BUSY_TIMEOUT_MS }) : createClient({ url, concurrency: 1, timeout: BUSY_TIMEOUT_MS });
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute(`PRAGMA synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // Deleted rows are overwritten with zeros rather than left in free space, so an erased address
  // or comment does not survive in the file (https://sqlite.org/pragma.html#pragma_secure_delete).
  // Per connection: this is the one that writes (the database thread's, or the CLI's).
  await client.execute('PRAGMA secure_delete = ON');
  return client;
}

/**
 * A TRUNCATE checkpoint: copies every WAL frame into the database file and empties the WAL, which
 * still held the pages as they were before an erasure. A reader mid-snapshot makes it report busy:
 * it is tried again a few times (each waits up to the busy timeout).
 */
export async function truncateWal(client: Client): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    if (Number(result.rows[0]?.[0] ?? 0) === 0) return;
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The absolute path of a `file:` database URL; null for a remote or in-memory database. */
export function databaseFilePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  return path && path !== ':memory:' ? resolve(path) : null;
}

/** Files next to the database that SQLite creates (https://sqlite.org/tempfiles.html). */
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'];

/**
 * The database holds webhook secrets and customers' emails: it and its WAL are readable by the
 * service's user only. A missing directory is created 0700 (an existing one is the operator's and
 * is left as it is); the file is created 0600 before the engine opens it, because SQLite gives the
 * `-wal`, `-shm` and `-journal` files it creates the database file's permissions; an existing file
 * and its companions are tightened to 0600, so an older install is fixed by its next start.
 */
function keepPrivate(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, ...COMPANION_SUFFIXES.map((suffix) => file + suffix)]) {
    try {
      chmodSync(path, 0o600);
    } catch (error) {
      // Missing: nothing to tighten. Another user's file (a CLI run under another account): theirs to fix.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw error;
    }
  }
}
