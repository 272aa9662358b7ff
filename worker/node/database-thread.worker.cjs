// The thread side of `database-thread.ts`: owns the embedded libSQL connection and runs what the
// event loop sends it. Plain CommonJS so it loads the same under tsx, vitest and plain node.
//
// It drives the `libsql` engine (the one `@libsql/client` uses for `file:` URLs) with the same
// semantics as `@libsql/client`'s sqlite3 client (`lib-cjs/sqlite3.js`: argument and value
// conversion, BEGIN per transaction mode, batch errors with the statement's index, migrations with
// foreign keys off), plus one thing that client cannot do: it keeps prepared statements. The
// client prepares every statement on every call; the click write is six large statements whose
// preparation cost more than running them. Statements are cached by their SQL text (a group of
// n clicks always produces the same text for the same n), least recently used first out.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsqlModule);
const { expandConfig } = require(workerData.coreConfigModule);

/** Prepared statements kept: six click statements × 32 group sizes, plus every other query. */
const STATEMENT_CACHE_SIZE = 512;

const config = expandConfig({ url: workerData.url }, true);
const db = new Database(config.path, { timeout: workerData.busyTimeoutMs });

/** sql → { stmt, returnsData, schemaChange, columns, columnTypes }, in order of last use (a Map keeps insertion order). */
const cache = new Map();

/** Statements after which cached ones may no longer match the schema. */
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i;

function prepared(sql) {
  let entry = cache.get(sql);
  if (entry) {
    cache.delete(sql);
    cache.set(sql, entry);
    return entry;
  }
  const stmt = db.prepare(sql);
  stmt.safeIntegers(true);
  let returnsData = true;
  try {
    stmt.raw(true);
  } catch {
    // raw() throws when the statement returns no data
    returnsData = false;
  }
  const columns = returnsData ? stmt.columns() : [];
  entry = { stmt, returnsData, schemaChange: SCHEMA_CHANGE.test(sql), columns: columns.map((c) => c.name), columnTypes: columns.map((c) => c.type ?? '') };
  cache.set(sql, entry);
  if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value);
  return entry;
}

const MIN_SAFE = -9007199254740991n;
const MAX_SAFE = 9007199254740991n;
const MIN_INTEGER = -9223372036854775808n;
const MAX_INTEGER = 9223372036854775807n;

/** An argument as the engine takes it (`valueToSql` of `@libsql/client`, intMode "number"). */
function toSql(value) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < MIN_INTEGER || value > MAX_INTEGER) throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

/** A column value as the client returns it (`valueFromSql`, intMode "number"). */
function fromSql(value) {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

function bindArgs(args) {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(toSql);
  const named = {};
  for (const name in args) named[name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.slice(1) : name] = toSql(args[name]);
  return named;
}

/** Runs one statement; the result is plain data (rows as arrays) for `database-thread.ts`. */
function run(stmt) {
  const { sql, args } = typeof stmt === 'string' ? { sql: stmt, args: [] } : stmt;
  try {
    const entry = prepared(sql);
    const bound = bindArgs(args);
    if (entry.returnsData) {
      const rows = entry.stmt.all(bound).map((row) => row.map(fromSql));
      return { columns: entry.columns, columnTypes: entry.columnTypes, rows, rowsAffected: 0, lastInsertRowid: undefined };
    }
    const info = entry.stmt.run(bound);
    // A schema change may change what a cached statement's columns are: prepare afresh after one.
    if (entry.schemaChange) cache.clear();
    return { columns: [], columnTypes: [], rows: [], rowsAffected: info.changes, lastInsertRowid: BigInt(info.lastInsertRowid) };
  } catch (error) {
    throw engineError(error);
  }
}


const BEGIN = { write: 'BEGIN IMMEDIATE', read: 'BEGIN TRANSACTION READONLY', deferred: 'BEGIN DEFERRED' };

/** Statements in one transaction; on any failure it is rolled back whole. */
function transaction(stmts, mode) {
  const begin = BEGIN[mode ?? 'deferred'];
  if (!begin) throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
  run(begin);
  try {
    const results = [];
    for (let i = 0; i < stmts.length; i++) {
      if (!db.inTransaction) throw batchError({ name: 'LibsqlError', code: 'TRANSACTION_CLOSED', message: 'The transaction has been rolled back' }, i);
      try {
        results.push(run(stmts[i]));
      } catch (error) {
        throw batchError(error, i);
      }
    }
    run('COMMIT');
    return results;
  } finally {
    if (db.inTransaction) run('ROLLBACK');
  }
}

// ---- errors, as `database-thread.ts` turns them back into LibsqlError / LibsqlBatchError ----

const BASE_CODES = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY', 17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE', 22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB', 27: 'SQLITE_NOTICE', 28: 'SQLITE_WARNING',
};

/** An engine error as the client reports it: base code, extended code and raw code. */
function engineError(error) {
  if (error instanceof Database.SqliteError) {
    const code = error.rawCode === undefined ? 'SQLITE_UNKNOWN' : (BASE_CODES[error.rawCode & 0xff] ?? `SQLITE_UNKNOWN_${error.rawCode & 0xff}`);
    return { name: 'LibsqlError', message: error.message, code, extendedCode: error.code, rawCode: error.rawCode };
  }
  return error;
}

function batchError(error, statementIndex) {
  if (error && error.name === 'LibsqlBatchError') return error;
  if (error && error.name === 'LibsqlError') return { ...error, name: 'LibsqlBatchError', statementIndex };
  return error;
}

function plainError(error) {
  return {
    name: error && error.name,
    message: String((error && error.message) || error),
    code: error && error.code,
    extendedCode: error && error.extendedCode,
    rawCode: error && error.rawCode,
    statementIndex: error && error.statementIndex,
  };
}

// Requests run one at a time, in arrival order: the engine is synchronous, and the order is what
// callers would see on the event loop.
parentPort.on('message', (request) => {
  try {
    let value;
    switch (request.op) {
      case 'execute':
        value = run(request.stmt);
        break;
      case 'batch':
        value = transaction(request.stmts, request.mode);
        break;
      case 'migrate':
        cache.clear();
        run('PRAGMA foreign_keys=off');
        try {
          value = transaction(request.stmts, 'deferred');
        } finally {
          run('PRAGMA foreign_keys=on');
        }
        break;
      case 'executeMultiple':
        cache.clear();
        try {
          db.exec(request.sql);
        } catch (error) {
          throw engineError(error);
        }
        break;
      case 'close':
        cache.clear();
        db.close();
        parentPort.postMessage({ id: request.id, ok: true });
        parentPort.close();
        return;
      default:
        throw new Error(`unknown operation ${request.op}`);
    }
    parentPort.postMessage({ id: request.id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id: request.id, ok: false, error: plainError(error) });
  }
});
