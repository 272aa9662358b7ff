import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * While the Node service runs on a database file it keeps its process id in `<file>.pid`, so that
 * tools that must not run beside it (`restore`) can refuse. A file left by a killed process names a
 * process that no longer exists and is ignored.
 */
export function holdInstanceLock(databasePath: string): { release(): void } {
  const file = `${databasePath}.pid`;
  writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return {
    release() {
      // Another instance may have started on the same file meanwhile: leave its lock alone.
      if (readPid(file) === process.pid) rmSync(file, { force: true });
    },
  };
}

/** The process id of a running service on this database file, or null. */
export function runningInstance(databasePath: string): number | null {
  const pid = readPid(`${databasePath}.pid`);
  if (pid === null) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; ESRCH: it is gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
