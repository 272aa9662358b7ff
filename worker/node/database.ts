import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Client, createClient } from '@libsql/client';

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
 * The server then hands WAL checkpoints to a worker thread (`./checkpointer.ts`).
 */
export async function openNodeDatabase(url: string, authToken?: string): Promise<Client> {
  if (!url.startsWith('file:')) return createClient({ url, authToken });
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const client = createClient({ url, concurrency: 1, timeout: 5000 });
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute('PRAGMA synchronous = NORMAL');
  return client;
}
