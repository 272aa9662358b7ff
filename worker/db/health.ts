import type { Db } from './index';

/**
 * Proves the database takes a write: one row rewritten in its own commit. `SELECT 1` answers from a
 * read-only file or a full disk too, so a readiness check built on it kept a service in rotation
 * that answered every click with 503.
 */
export async function probeWrite(db: Db, now: Date): Promise<void> {
  await db.$client.execute({
    sql: 'INSERT INTO health_checks (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at',
    args: [now.getTime()],
  });
}
