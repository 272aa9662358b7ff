import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaces } from './workspaces';

/**
 * Addresses a workspace must never survey again (erasure with `suppress`): only a keyed hash of
 * the normalized address is kept (HMAC-SHA256 under a key derived from `LINK_KEYS`), so the table
 * cannot be read back into addresses, nor checked against a list of guesses without the key.
 * Minting a link for a suppressed address is refused and its clicks record nothing.
 */
export const suppressedRecipients = sqliteTable(
  'suppressed_recipients',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** base64url HMAC-SHA256 of the lower-cased address, under the key of `kid`. */
    hash: text('hash').notNull(),
    /** The link key the hash was made with (the ring's first when suppressed). */
    kid: text('kid').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.hash] })],
);
