/**
 * `npm run db:migrate`: applies the committed migrations (schema/migrations) to DATABASE_URL — the
 * local file by default, or Turso with `DATABASE_URL=libsql://… DATABASE_AUTH_TOKEN=…`.
 */
import { applyMigrations } from '../worker/db/migrate';
import { DEFAULT_DATABASE_URL } from '../worker/entry-node';
import { openNodeDatabase } from '../worker/node/database';
import { loadMigrations } from '../worker/node/migrations';

const url = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
const client = await openNodeDatabase(url, process.env.DATABASE_AUTH_TOKEN?.trim() || undefined);
try {
  const applied = await applyMigrations(client, loadMigrations());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  client.close();
}
