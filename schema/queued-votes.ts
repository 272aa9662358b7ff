import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Votes that reached the database through the Cloudflare Queue (a click made while the database
 * could not be reached; `services/queued-votes.ts`). The id is the click event id minted at click
 * time and carried in the message: the vote's write inserts it first, in the same atomic batch, so
 * a redelivered message (a queue retry after a partial failure, or a batch delivered twice) fails
 * that insert and the whole batch writes nothing. Rows are kept longer than a message can live in
 * the queue (`QUEUED_VOTE_RECEIPT_DAYS`), then pruned by the Cron Trigger.
 */
export const queuedVotes = sqliteTable(
  'queued_votes',
  {
    id: text('id').primaryKey(), // evt_… : the click event this vote wrote
    clickedAt: integer('clicked_at').notNull(), // epoch ms: when the customer clicked
    writtenAt: integer('written_at').notNull(), // epoch ms: when the consumer wrote it
  },
  (t) => [index('queued_votes_written_at_idx').on(t.writtenAt)],
);
