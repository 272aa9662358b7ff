import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';

/**
 * One row that readiness checks write (`/readyz`, and the Node start): a `SELECT 1` answers even
 * when the database cannot take a write (a read-only file, a full disk), so readiness must prove a
 * write.
 */
export const healthChecks = sqliteTable('health_checks', {
  id: integer('id').primaryKey(), // always 1
  checkedAt: integer('checked_at').notNull(), // epoch ms
});
