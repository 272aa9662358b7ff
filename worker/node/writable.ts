import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The Node start refuses a database it cannot write, with a message that says what to fix, instead
 * of starting and answering every click with 503 (and leaving a `-shm` behind that the next start
 * cannot write either).
 */
export class DatabaseNotWritableError extends Error {
  constructor(path: string, why: string) {
    super(
      `cannot write the database ${path}: ${why}. The service writes the database file, its -wal and -shm files beside it, and creates them in that folder: give the service's user read and write access (chmod 600 on the files, 700 on the folder), or free disk space`,
    );
    this.name = 'DatabaseNotWritableError';
  }
}

/** Before the database is opened: each of its files that exists, and its folder, must be writable by this process. */
export function assertDatabaseFilesWritable(path: string): void {
  const blocked: string[] = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch {
      blocked.push(file);
    }
  }
  // A folder that does not exist yet is created on open (and a failure to create it says so).
  if (existsSync(dirname(path))) {
    try {
      accessSync(dirname(path), constants.W_OK | constants.X_OK);
    } catch {
      blocked.push(`${dirname(path)} (the folder)`);
    }
  }
  if (blocked.length) throw new DatabaseNotWritableError(path, `no write permission on ${blocked.join(', ')}`);
}
