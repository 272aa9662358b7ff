import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from '../../schema';

/** The database handle every query function takes. Built once per process/isolate by an entry file. */
export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

/**
 * Wraps an already-created libSQL client (the entry file picks the Node build with an embedded
 * file, or the web build over HTTP) in Drizzle. Given a client, this driver creates none itself.
 */
export function createDb(client: Client): Db {
  return drizzle({ client, schema });
}
