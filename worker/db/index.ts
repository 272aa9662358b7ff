import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from '../../schema';
import { directWrites, type WriteBatch } from './write-batch';

/**
 * The database handle every query function takes. Built once per process/isolate by an entry file.
 * `$write` runs the atomic multi-statement writes of the capture path (see write-batch.ts).
 */
export type Db = LibSQLDatabase<typeof schema> & { $client: Client; $write: WriteBatch };

/**
 * Wraps an already-created libSQL client (the entry file picks the Node build with an embedded
 * file, or the web build over HTTP) in Drizzle. Given a client, this driver creates none itself.
 */
export function createDb(client: Client, write: WriteBatch = directWrites(client)): Db {
  return Object.assign(drizzle({ client, schema }), { $write: write });
}
