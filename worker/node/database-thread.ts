import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  type Client,
  type InArgs,
  type InStatement,
  LibsqlBatchError,
  LibsqlError,
  type Replicated,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode,
} from '@libsql/client';
import { ResultSetImpl } from '@libsql/core/util';

/**
 * The embedded database on its own thread, behind libSQL's own `Client` interface.
 *
 * `@libsql/client` runs an embedded file synchronously on the calling thread: preparing, running
 * and committing a click's statements took about half of the event loop's time per click, time
 * in which no other request was parsed or answered. Here the same engine (`libsql`) runs on a
 * worker thread with the client's semantics (`./database-thread.worker.cjs`), and this class
 * forwards `execute`, `batch`, `migrate` and `executeMultiple` to it by message, so the event loop
 * only encodes the statements and decodes the results, and group commit (`db/group-commit.ts`)
 * gathers the clicks that arrive while a write is under way. The thread keeps prepared statements
 * (the client prepares every statement on every call, which cost more than running the click's).
 *
 * Results come back as libSQL's own shapes (rows readable by index and by column name), and
 * errors as `LibsqlError`/`LibsqlBatchError` with their codes, so Drizzle, the query functions and
 * `isDatabaseUnavailable` see no difference. Interactive transactions are not offered: the product
 * writes with `batch()` only (an interactive transaction on the embedded engine can stall every
 * other writer for its whole length).
 */
export interface DatabaseThreadOptions {
  /** A `file:` URL. */
  url: string;
  /** How long a statement waits for a lock held by another process (the CLI), in ms. */
  busyTimeoutMs: number;
}

type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: SerializedError };
interface SerializedError {
  name?: string;
  message: string;
  code?: string;
  extendedCode?: string;
  rawCode?: number;
  statementIndex?: number;
}
interface PlainResult {
  columns: string[];
  columnTypes: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}

export function openDatabaseThread(options: DatabaseThreadOptions): Client {
  const require = createRequire(import.meta.url);
  const worker = new Worker(new URL('./database-thread.worker.cjs', import.meta.url), {
    workerData: { url: options.url, busyTimeoutMs: options.busyTimeoutMs, libsqlModule: require.resolve('libsql'), coreConfigModule: require.resolve('@libsql/core/config') },
  });
  return new ThreadClient(worker);
}

class ThreadClient implements Client {
  closed = false;
  readonly protocol = 'file';
  #worker: Worker;
  #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  #failure: Error | null = null;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(toLibsqlError(reply.error));
    });
    // A thread that dies takes its connection with it: everything waiting, and everything after,
    // fails as the database being unavailable (a 503, never a half-written click).
    const fail = (error: Error) => {
      this.#failure = new LibsqlError(`the database thread stopped: ${error.message}`, 'CLIENT_CLOSED');
      for (const waiting of this.#pending.values()) waiting.reject(this.#failure);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  #call<T>(request: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new LibsqlError('The client is closed', 'CLIENT_CLOSED'));
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, ...request });
    });
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
    return toResultSet(await this.#call<PlainResult>({ op: 'execute', stmt }));
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<ResultSet[]> {
    const plain = stmts.map((stmt) => (Array.isArray(stmt) ? { sql: stmt[0], args: stmt[1] ?? [] } : stmt));
    return (await this.#call<PlainResult[]>({ op: 'batch', stmts: plain, mode })).map(toResultSet);
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return (await this.#call<PlainResult[]>({ op: 'migrate', stmts })).map(toResultSet);
  }

  async executeMultiple(sql: string): Promise<void> {
    await this.#call({ op: 'executeMultiple', sql });
  }

  transaction(): Promise<Transaction> {
    return Promise.reject(new LibsqlError('Interactive transactions are not available on the database thread: write with batch().', 'TRANSACTION_UNSUPPORTED'));
  }

  async sync(): Promise<Replicated> {
    return undefined;
  }

  reconnect(): void {
    throw new LibsqlError('The database thread cannot reconnect: open a new client.', 'RECONNECT_UNSUPPORTED');
  }

  /** Closes the connection on the thread (after what was already sent), then the thread itself. */
  close(): void {
    if (this.closed) return;
    const closing = this.#call({ op: 'close' });
    this.closed = true;
    void closing.catch(() => undefined).finally(() => void this.#worker.terminate());
  }
}

/** libSQL's own result class, so `toJSON` and every other detail match the in-process client. */
function toResultSet(plain: PlainResult): ResultSet {
  return new ResultSetImpl(plain.columns, plain.columnTypes, plain.rows.map((values) => toRow(values, plain.columns)), plain.rowsAffected, plain.lastInsertRowid);
}

/** libSQL's row shape: values by index (not enumerable) and by column name (enumerable). */
function toRow(values: unknown[], columns: string[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, 'length', { value: values.length });
  values.forEach((value, i) => {
    Object.defineProperty(row, i, { value });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
  });
  return row as unknown as Row;
}

function toLibsqlError(e: SerializedError): Error {
  const code = e.code ?? 'UNKNOWN';
  // LibsqlError puts "CODE: " before the message; the thread's message already has it.
  const message = e.message.startsWith(`${code}: `) ? e.message.slice(code.length + 2) : e.message;
  if (e.name === 'LibsqlBatchError' && e.statementIndex !== undefined) return new LibsqlBatchError(message, e.statementIndex, code, e.extendedCode, e.rawCode);
  if (e.name === 'LibsqlError' || e.name === 'LibsqlBatchError') return new LibsqlError(message, code, e.extendedCode, e.rawCode);
  const error = new Error(e.message);
  if (e.name) error.name = e.name;
  return error;
}
