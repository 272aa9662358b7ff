/**
 * Group commit: calls that arrive while the database is busy are written together, in one
 * transaction, so a burst of clicks pays once for BEGIN/COMMIT, the WAL page writes and the
 * preparation of each statement, instead of once per click (the idea of group commit in
 * PostgreSQL or InnoDB). For the embedded database on Node, where every statement runs on the
 * server's own thread.
 *
 * Each item stays atomic: if a group's transaction fails it was rolled back whole, and every item
 * is retried alone, so one bad item cannot fail or half-write the others. A lone item is written
 * on the next turn of the event loop, so a quiet server adds no latency. Groups are capped at 32:
 * a larger group blocks the event loop longer per commit and measured slower, not faster.
 */
export type WriteMany<T, R> = (items: T[]) => Promise<R[]>;
export type WriteOne<T, R> = (item: T) => Promise<R>;

/** No grouping: one write per call (the Worker against Turso: one round trip per click). */
export function oneByOne<T, R>(writeMany: WriteMany<T, R>): WriteOne<T, R> {
  return async function writeAlone(item) {
    const [result] = await writeMany([item]);
    return result as R;
  };
}

/** The next turn of the event loop, after pending I/O callbacks (workerd has no `setImmediate`). */
const nextTurn: (run: () => void) => void = typeof setImmediate === 'function' ? (run) => void setImmediate(run) : (run) => void setTimeout(run, 0);

export interface GroupCommitOptions {
  /** The most items in one group. */
  maxItems?: number;
  /**
   * How many groups may be handed to the database before the first is written. 1 waits for each
   * write; 2 lets the next group queue behind the one being written, so a database on its own
   * thread (`node/database-thread.ts`) never waits for the event loop between two groups. The
   * database writes them in order either way.
   */
  inFlight?: number;
}

export function groupCommit<T, R>(writeMany: WriteMany<T, R>, options: GroupCommitOptions = {}): WriteOne<T, R> {
  const maxItems = options.maxItems ?? 32;
  const inFlight = options.inFlight ?? 1;
  type Pending = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];
  let scheduled = false;
  let writing = 0;

  async function writeAlone(entry: Pending) {
    try {
      const [result] = await writeMany([entry.item]);
      entry.resolve(result as R);
    } catch (error) {
      entry.reject(error);
    }
  }

  async function writeGroup(group: Pending[]) {
    if (group.length === 1) return writeAlone(group[0]!);
    try {
      const results = await writeMany(group.map((entry) => entry.item));
      group.forEach((entry, i) => entry.resolve(results[i] as R));
    } catch {
      for (const entry of group) await writeAlone(entry);
    }
  }

  /** Starts a write of what has queued, on the next turn, if fewer than `inFlight` are under way. */
  function schedule() {
    if (scheduled || writing >= inFlight || queue.length === 0) return;
    scheduled = true;
    nextTurn(() => {
      scheduled = false;
      if (writing >= inFlight || queue.length === 0) return;
      const group = queue.slice(0, maxItems);
      queue = queue.slice(group.length);
      writing++;
      void writeGroup(group).finally(() => {
        writing--;
        schedule();
      });
      schedule();
    });
  }

  return function writeGrouped(item) {
    return new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
  };
}
