import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Migration } from '../db/migrate';

/** The committed drizzle-kit migrations, read from `schema/migrations` in journal order. */
export function loadMigrations(dir = fileURLToPath(new URL('../../schema/migrations/', import.meta.url))): Migration[] {
  const journal = JSON.parse(readFileSync(`${dir}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.map(({ tag }) => ({ tag, sql: readFileSync(`${dir}/${tag}.sql`, 'utf8') }));
}
