import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from '../../schema';
import { groupCommit, oneByOne, type WriteOne } from './group-commit';
import { upsertVotes, type VoteInput, type VoteOutcome } from './responses';

/**
 * The database handle every query function takes. Built once per process/isolate by an entry file.
 * `$recordVote` is the capture path's write (see `upsertVotes`), grouped or not.
 */
export type Db = LibSQLDatabase<typeof schema> & { $client: Client; $recordVote: WriteOne<VoteInput, VoteOutcome> };

/**
 * Wraps an already-created libSQL client (the entry file picks the Node build with an embedded
 * file, or the web build over HTTP) in Drizzle. Given a client, this driver creates none itself.
 * `groupCommit` is for an embedded file, written on the server's own thread; over HTTP each click
 * is its own single round trip.
 */
export function createDb(client: Client, options: { groupCommit?: boolean } = {}): Db {
  const db = drizzle({ client, schema }) as Db;
  const writeMany = (votes: VoteInput[]) => upsertVotes(db, votes);
  db.$recordVote = options.groupCommit ? groupCommit(writeMany, { inFlight: 2 }) : oneByOne(writeMany);
  return db;
}
