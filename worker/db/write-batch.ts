import type { Client, InStatement, ResultSet } from '@libsql/client';

/**
 * Runs one unit of write statements atomically (a libSQL batch in write mode, which takes the
 * write lock up front) and returns one result per statement.
 */
export type WriteBatch = (statements: InStatement[]) => Promise<ResultSet[]>;

/** One round trip per unit: what the Worker does against Turso. */
export function directWrites(client: Client): WriteBatch {
  return function writeDirect(statements) {
    return client.batch(statements, 'write');
  };
}

/**
 * Group commit for an embedded database: units that arrive while the engine is busy are written
 * in ONE transaction, so a burst of clicks pays for one BEGIN/COMMIT and one set of WAL page writes
 * instead of one per click (the same idea as group commit in PostgreSQL or InnoDB).
 *
 * Each unit stays atomic: if the shared transaction fails, it was rolled back whole and every unit
 * is retried alone, so one bad unit cannot fail or half-write the others. A lone unit is flushed on
 * the next turn of the event loop, so a quiet server adds no latency.
 */
export function groupCommitWrites(client: Client, maxStatements = 600): WriteBatch {
  type Unit = { statements: InStatement[]; resolve: (results: ResultSet[]) => void; reject: (error: unknown) => void };
  let queue: Unit[] = [];
  let scheduled = false;

  async function flush() {
    scheduled = false;
    while (queue.length) {
      const units: Unit[] = [];
      let count = 0;
      while (queue.length && (units.length === 0 || count + queue[0]!.statements.length <= maxStatements)) {
        const unit = queue.shift()!;
        units.push(unit);
        count += unit.statements.length;
      }
      if (units.length === 1) {
        await runAlone(units[0]!);
        continue;
      }
      try {
        const results = await client.batch(units.flatMap((u) => u.statements), 'write');
        let offset = 0;
        for (const unit of units) {
          unit.resolve(results.slice(offset, offset + unit.statements.length));
          offset += unit.statements.length;
        }
      } catch {
        for (const unit of units) await runAlone(unit);
      }
    }
  }

  async function runAlone(unit: Unit) {
    try {
      unit.resolve(await client.batch(unit.statements, 'write'));
    } catch (error) {
      unit.reject(error);
    }
  }

  return function writeGrouped(statements) {
    return new Promise<ResultSet[]>((resolve, reject) => {
      queue.push({ statements, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });
  };
}
