import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { databaseFilePath } from './database';
import { runningInstance } from './instance-lock';

/**
 * Backups of the embedded database, for `npm run cli -- backup <file>` and `restore <file>`.
 * Only for `file:` databases: a Turso database is backed up by Turso (point-in-time recovery).
 */

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** The file path of a `file:` database URL, or a BackupError for a remote or in-memory one. */
function databaseFile(url: string): string {
  if (!url.startsWith('file:')) throw new BackupError('backup and restore work on the embedded file only; a Turso database is backed up by Turso (point-in-time recovery, see docs/operations.md)');
  const path = databaseFilePath(url);
  if (!path) throw new BackupError('DATABASE_URL names no database file');
  return path;
}

/**
 * A consistent copy of the database while the service runs and takes clicks. `VACUUM INTO` reads
 * one snapshot (a read transaction: WAL lets the service keep committing meanwhile) and writes a
 * compact, self-contained file with no WAL beside it (https://sqlite.org/lang_vacuum.html#vacuuminto).
 * Every vote committed before the backup began is in it.
 * @returns the target's path and size in bytes.
 */
export async function backupDatabase(databaseUrl: string, target: string): Promise<{ path: string; bytes: number }> {
  const source = databaseFile(databaseUrl);
  if (!existsSync(source)) throw new BackupError(`there is no database at ${source}`);
  const path = resolve(target);
  if (existsSync(path)) throw new BackupError(`${path} already exists; choose a new file name`);
  mkdirSync(dirname(path), { recursive: true });
  const client = createClient({ url: `file:${source}`, timeout: 5000 });
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [path] });
  } finally {
    client.close();
  }
  await checkIntegrity(path);
  return { path, bytes: statSync(path).size };
}

/**
 * Puts a backup in place of the database. Refused while the service runs on that file (it holds
 * the instance lock), and refused for a file that is not a sound clickback database. The current
 * database, with its WAL, is kept beside it as `<name>.before-restore-<time>`.
 * @returns where the previous database was moved, or null when there was none.
 */
export async function restoreDatabase(databaseUrl: string, source: string, now = new Date()): Promise<{ keptAs: string | null }> {
  const target = databaseFile(databaseUrl);
  const from = resolve(source);
  if (!existsSync(from)) throw new BackupError(`there is no file at ${from}`);
  const holder = runningInstance(target);
  if (holder !== null) throw new BackupError(`the service (pid ${holder}) is running on ${target}: stop it first, then restore`);
  await checkIntegrity(from);
  const client = createClient({ url: `file:${from}` });
  try {
    const found = await client.execute(`SELECT count(*) AS n FROM sqlite_schema WHERE name IN ('_migrations', 'responses', 'workspaces')`);
    if (Number(found.rows[0]?.n) !== 3) throw new BackupError(`${from} is not a clickback database`);
  } finally {
    client.close();
  }
  let keptAs: string | null = null;
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, keptAs);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${keptAs}${suffix}`);
    }
  }
  copyFileSync(from, target);
  return { keptAs };
}

async function checkIntegrity(path: string): Promise<void> {
  const client = createClient({ url: `file:${path}` });
  try {
    const result = await client.execute('PRAGMA integrity_check');
    const verdict = result.rows.map((row) => String(row[0])).join('; ');
    if (verdict !== 'ok') throw new BackupError(`${path} fails its integrity check: ${verdict.slice(0, 300)}`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${path} is not a readable database (${(error as Error).message})`);
  } finally {
    client.close();
  }
}
