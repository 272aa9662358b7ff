import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { openDatabaseThread } from './database-thread';

/** How long a statement waits for a lock another process (the CLI) holds. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database on Node: an embedded file (`file:…`) or a remote libSQL/Turso URL.
 *
 * For a file, the client gets ONE connection (`concurrency: 1`): the embedded engine is called
 * synchronously, so more connections add no parallelism, and per-connection pragmas set with
 * `execute()` only stick when every call uses the same connection. WAL lets the CLI read while the
 * server writes; `synchronous = NORMAL` is durable across application crashes in WAL mode and only
 * risks the last commits on power loss (https://sqlite.org/pragma.html#pragma_synchronous).
 * Foreign keys are as the libSQL engine defaults them: enforced (`PRAGMA foreign_keys` reads 1).
 *
 * The server opens it with `thread: true`: the connection then lives on a worker thread
 * (`./database-thread.ts`) so statements never run on the event loop, and WAL checkpoints run on
 * another (`./checkpointer.ts`). The CLI and scripts use the connection in-process.
 */
export async function openNodeDatabase(url: string, authToken?: string, options: { thread?: boolean } = {}): Promise<Client> {
  if (!url.startsWith('file:')) return createClient({ url, authToken });
  const path = databaseFilePath(url);
  if (path) mkdirSync(dirname(path), { recursive: true });
  const onThread = options.thread && path !== null;
  const client = onThread ? openDatabaseThread({ url, busyTimeoutMs: BUSY_TIMEOUT_MS }) : createClient({ url, concurrency: 1, timeout: BUSY_TIMEOUT_MS });
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute('PRAGMA synchronous = NORMAL');
  return client;
}

/** The absolute path of a `file:` database URL; null for a remote or in-memory database. */
export function databaseFilePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  return path && path !== ':memory:' ? resolve(path) : null;
}
