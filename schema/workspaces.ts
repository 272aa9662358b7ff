import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** A tenant. Nothing crosses workspaces: every other table carries `workspace_id`. */
export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(), // ws_…
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(), // epoch ms
  /** IANA time zone of reports' days, weeks and months (issue 15); owners and admins set it. */
  timeZone: text('time_zone').notNull().default('UTC'),
});

/** Admin API keys. Only a SHA-256 digest is stored; the key itself is shown once. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(), // key_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    hash: text('hash').notNull(), // hex SHA-256 of the full key
    prefix: text('prefix').notNull(), // first characters, to recognise a key in lists
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_idx').on(t.hash), index('api_keys_workspace_id_idx').on(t.workspaceId)],
);
