import type { Migration } from '../../worker/db/migrate';
import journal from '../../schema/migrations/meta/_journal.json';

/** The committed migrations, bundled into the test Worker (workerd has no filesystem). */
const files = import.meta.glob<string>('../../schema/migrations/*.sql', { query: '?raw', import: 'default', eager: true });

export const MIGRATIONS: Migration[] = journal.entries.map(({ tag }) => {
  const sql = files[`../../schema/migrations/${tag}.sql`];
  if (sql === undefined) throw new Error(`migration ${tag} is in the journal but not on disk`);
  return { tag, sql };
});
