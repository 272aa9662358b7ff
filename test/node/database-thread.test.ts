import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../worker/lib/errors';
import { openDatabaseThread } from '../../worker/node/database-thread';

const dir = mkdtempSync(join(tmpdir(), 'clickback-thread-'));
let threaded: Client;
let inProcess: Client;

beforeAll(async () => {
  const url = `file:${join(dir, 'same.db')}`;
  threaded = openDatabaseThread({ url, busyTimeoutMs: 5000 });
  inProcess = createClient({ url, concurrency: 1 });
  await threaded.execute('PRAGMA journal_mode = WAL');
  await threaded.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB, big INTEGER)');
});
afterAll(() => {
  threaded.close();
  inProcess.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The error a call fails with (and a test failure if it succeeds). */
function failureOf<E = Error & { code: string; statementIndex?: number }>(call: Promise<unknown>): Promise<E> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as E,
  );
}

/** Everything a caller can observe of a result set, rows by index and by column name. */
function observe(result: Awaited<ReturnType<Client['execute']>>) {
  return {
    columns: result.columns,
    columnTypes: result.columnTypes,
    rowsAffected: result.rowsAffected,
    lastInsertRowid: result.lastInsertRowid,
    rows: result.rows.map((row) => ({ length: row.length, byIndex: Array.from({ length: row.length }, (_, i) => row[i]), byName: { ...row }, keys: Object.keys(row) })),
    json: JSON.stringify(result),
  };
}

describe('the database thread (worker/node/database-thread.ts)', () => {
  describe('happy path', () => {
    it('answers exactly as the in-process client does: rows by index and by name, types, counts', async () => {
      const insert = { sql: 'INSERT INTO t (name, score, data, big) VALUES (?, ?, ?, ?) RETURNING id, name, score', args: ['a', 1.5, new Uint8Array([1, 2, 3]), 2 ** 40] };
      const viaThread = await threaded.execute(insert);
      const viaProcess = await inProcess.execute({ ...insert, args: ['b', 1.5, new Uint8Array([1, 2, 3]), 2 ** 40] });
      expect(viaThread.rows[0]?.name).toBe('a');
      expect(observe(viaThread).columns).toEqual(observe(viaProcess).columns);
      expect(viaThread.rows[0]?.score).toBe(1.5);

      const select = 'SELECT id, name, score, data, big, NULL AS missing, id AS id FROM t ORDER BY id';
      const a = observe(await threaded.execute(select));
      const b = observe(await inProcess.execute(select));
      expect(a).toEqual(b);
      expect(a.rows[0]?.byIndex[3]).toBeInstanceOf(ArrayBuffer);
    });

    it('runs a write batch atomically and returns one result per statement', async () => {
      const results = await threaded.batch(
        [
          { sql: 'INSERT INTO t (name) VALUES (?)', args: ['c'] },
          ['UPDATE t SET score = ? WHERE name = ?', [2, 'c']],
          'SELECT count(*) AS n FROM t',
        ],
        'write',
      );
      expect(results.map((r) => r.rowsAffected)).toEqual([1, 1, 0]);
      expect(results[2]?.rows[0]?.n).toBe(3);
    });

    it('keeps the order of concurrent calls', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => threaded.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: [`n${i}`] })));
      const names = (await threaded.execute("SELECT name FROM t WHERE name LIKE 'n%' ORDER BY id")).rows.map((row) => row.name);
      expect(names).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}`));
    });
  });

  describe('rejects', () => {
    it('fails a batch as LibsqlBatchError with the statement index and code, and writes nothing', async () => {
      const before = (await threaded.execute('SELECT count(*) AS n FROM t')).rows[0]?.n;
      const error = await failureOf(
        threaded.batch(
          [
            { sql: 'INSERT INTO t (name) VALUES (?)', args: ['d'] },
            { sql: 'INSERT INTO t (name) VALUES (?)', args: ['a'] },
          ],
          'write',
        ),
      );
      expect(error.name).toBe('LibsqlBatchError');
      expect(error.statementIndex).toBe(1);
      expect(error.code).toMatch(/^SQLITE_CONSTRAINT/);
      expect(error.message).toMatch(/^SQLITE_CONSTRAINT[A-Z_]*: (?!SQLITE_CONSTRAINT[A-Z_]*: SQLITE_CONSTRAINT)/);
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect((await threaded.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(before);
    });

    it('reports a syntax error as LibsqlError, and keeps serving after it', async () => {
      const error = await failureOf(threaded.execute('SELEKT 1'));
      expect(error.name).toBe('LibsqlError');
      expect(error.code).toBe('SQLITE_ERROR');
      expect((await threaded.execute('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    });

    it('offers no interactive transactions (the product writes with batch)', async () => {
      await expect(threaded.transaction('write')).rejects.toThrow(/batch\(\)/);
    });

    it('a file that cannot be opened is the database being unavailable (503), not a crash', async () => {
      const broken = openDatabaseThread({ url: `file:${join(dir, 'no', 'such', 'dir', 'x.db')}`, busyTimeoutMs: 100 });
      const error = await failureOf(broken.execute('SELECT 1'));
      expect(isDatabaseUnavailable(error)).toBe(true);
      broken.close();
    });

    it('after close, every call fails as CLIENT_CLOSED', async () => {
      const client = openDatabaseThread({ url: `file:${join(dir, 'closing.db')}`, busyTimeoutMs: 100 });
      const last = client.execute('SELECT 1 AS one');
      client.close();
      expect((await last).rows[0]?.one).toBe(1);
      expect(client.closed).toBe(true);
      await expect(client.execute('SELECT 1')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    });
  });
});
