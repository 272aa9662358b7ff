/**
 * TEST-ONLY libSQL server: Hrana over HTTP (JSON) in front of embedded database files opened with
 * the `libsql` package. Product code never imports this file.
 *
 * Why it exists: production reaches Turso over HTTP with `@libsql/client/web`, and tests running
 * inside Cloudflare's workerd must reach their database the same way, but no libSQL server (sqld)
 * can be installed here. So this speaks as much of the protocol as that client uses
 * (https://github.com/tursodatabase/libsql/blob/main/docs/HRANA_3_SPEC.md, "HTTP", JSON encoding).
 *
 * Test-only endpoints, for tests running inside workerd (which cannot call into this process):
 * - `POST /databases` creates a fresh temp-file database and answers 201 `{url}` (see createDatabase).
 * - `GET <url>round-trips` answers `{pipelines}`: how many pipeline requests (HTTP round trips) that
 *   database has been sent so far, so a test can prove what one request to the app costs. Asking
 *   is not counted, and neither are the version probes (client 0.18 never sends them).
 * - `POST <url>outage` with `{"down": true}` stops that database's endpoint and `{"down": false}`
 *   starts it again: while down, every other request to it has its connection closed without an
 *   answer (what a client sees of a stopped or crashed server: workerd's fetch throws "Network
 *   connection lost.", Node's ECONNRESET), and is not counted (the test-only endpoints still answer). Data and other databases are untouched,
 *   so a test can stop and restart its own database while other test files run.
 *
 * What the client (@libsql/client 0.18) actually does, and how this server answers:
 * - Each database lives under `/db/<id>/`. The trailing slash is required: the client resolves
 *   `v2/pipeline` relative to the URL it was given, so without it the id would be dropped.
 * - It speaks v2 JSON: `POST <url>v2/pipeline`. (Asked for v3, it would probe `GET v3-protobuf` and
 *   switch to protobuf on a 200, so that path answers 404.) `GET v2`, `GET v3` answer 200 and
 *   `v3/pipeline` is served too, as the same JSON.
 * - Streams: every response carries a fresh baton; the client sends it back to continue the stream.
 * - Errors look like sqld's: `{message: "SQLite error: ...", code: "SQLITE_CONSTRAINT"}` (the primary
 *   code, as Turso sends it), `SQL_PARSE_ERROR` for syntax errors.
 *
 * Connections: libsql's API is synchronous, so a SQLite busy-wait would freeze the event loop and
 * the connection holding the lock could never finish. Connections therefore use busy_timeout 0 and
 * a statement that hits SQLITE_BUSY is retried asynchronously for up to 5 s. Each request borrows a
 * connection from its database's pool (a pipeline normally runs start to end without yielding, so
 * the pool stays at one connection); a stream keeps the connection as its own only while a
 * transaction is open on it, which is what `client.transaction()` needs.
 */
import Database from 'libsql';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HranaServer {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Creates a fresh temp-file database; returns the URL for `createClient({ url })` (ends with "/"). */
  createDatabase(): string;
  /** Stops the server, closes every connection and deletes the database files. */
  close(): Promise<void>;
}

type Conn = Database.Database;
type Value =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };
interface Stmt {
  sql?: string;
  sql_id?: number;
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
}
type Cond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: Cond }
  | { type: 'and' | 'or'; conds: Cond[] }
  | { type: 'is_autocommit' };
type Request =
  | { type: 'close' | 'get_autocommit' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; batch: { steps: { condition?: Cond | null; stmt: Stmt }[] } }
  | { type: 'sequence' | 'describe'; sql?: string; sql_id?: number }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number };
interface ProtoError {
  message: string;
  code: string;
}
interface StmtResult {
  cols: { name: string; decltype: string | null }[];
  rows: Value[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
  query_duration_ms: number;
}
interface Db {
  path: string;
  idle: Conn[];
  /** Pipeline requests received, malformed or failed ones included: each is a round trip. */
  pipelines: number;
  /** Set by `POST <url>outage`: the database's requests are refused as if the server were stopped. */
  down?: boolean;
}
interface Stream {
  db: Db;
  conn?: Conn; // set only while a transaction is open on it
  sqls: Map<number, string>;
  timer?: NodeJS.Timeout;
}

const BUSY_TIMEOUT_MS = 5_000;
const STREAM_IDLE_MS = 10_000;
const MAX_IDLE_CONNECTIONS = 4;

/** A protocol-level failure: an error result for one request, or an HTTP error (`status`). */
class StmtError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

function fromHrana(value: Value): unknown {
  switch (value.type) {
    case 'null': return null;
    case 'integer': return BigInt(value.value);
    case 'float': return Number(value.value);
    case 'text': return value.value;
    case 'blob': return Buffer.from(value.base64, 'base64');
    default: throw new StmtError('HRANA_PROTO_ERROR', `Unknown value type ${(value as { type: unknown }).type}`);
  }
}

/** Connections run with safe integers, so every INTEGER is a bigint and every number is a REAL. */
function toHrana(value: unknown): Value {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) return { type: 'blob', base64: Buffer.from(value).toString('base64') };
  return { type: 'text', value: String(value) };
}

function toProtoError(error: unknown): ProtoError {
  if (error instanceof StmtError) return { message: error.message, code: error.code };
  const { message = String(error), code } = error as { message?: string; code?: unknown };
  if (/syntax error|incomplete input|unrecognized token/.test(message)) {
    return { message: `SQL string could not be parsed: ${message}`, code: 'SQL_PARSE_ERROR' };
  }
  if (code === 'SQLITE_OK') return { message: 'SQL string does not contain any statement', code: 'SQL_NO_STATEMENT' };
  const primary = typeof code === 'string' ? (/^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code) : 'SQLITE_ERROR';
  return { message: `SQLite error: ${message}`, code: primary };
}

function openConnection(path: string): Conn {
  const conn = new Database(path);
  // No synchronous busy-waiting (see the header); WAL is set once, when the file is created.
  conn.exec('PRAGMA busy_timeout = 0; PRAGMA synchronous = NORMAL');
  conn.defaultSafeIntegers(true);
  return conn;
}

/**
 * Parameter index → name (null for a bare `?`), numbered as SQLite does: `?` takes the next index,
 * `?NNN` is NNN, a new `:a`/`@a`/`$a` takes the next index and a repeated one keeps its own.
 * Strings, quoted identifiers and comments are skipped. (Asking SQLite with `EXPLAIN` instead is
 * not an option: libsql never finishes an EXPLAIN of a write, which then holds back the commit of
 * every later autocommit write on that connection.)
 */
function parameters(sql: string): Map<number, string | null> {
  const token = /'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|\?(\d*)|(?<![\p{L}\p{N}_$])[:@$][\p{L}\p{N}_$]+/gu;
  const params = new Map<number, string | null>();
  const named = new Map<string, number>();
  let max = 0;
  for (const [text, digits] of sql.matchAll(token)) {
    if (digits !== undefined) {
      const index = digits === '' ? max + 1 : Number(digits);
      max = Math.max(max, index);
      if (!params.has(index)) params.set(index, digits === '' ? null : text);
    } else if (/^[:@$]/.test(text) && !named.has(text)) {
      named.set(text, ++max);
      params.set(max, text);
    }
  }
  return params;
}

const bare = (name: string) => name.replace(/^[:@$]/, '');

/**
 * Always binds positionally: libsql's object binding aborts the whole process (a Rust panic) when
 * the statement also contains `?`, so named arguments are mapped to their indexes first.
 */
function bindings(sql: string, stmt: Stmt): unknown[] {
  const named = stmt.named_args ?? [];
  if (named.length === 0) return (stmt.args ?? []).map(fromHrana);
  if (stmt.args?.length) {
    throw new StmtError('ARGS_BOTH_POSITIONAL_AND_NAMED', 'Specifying both positional and named arguments is not supported');
  }
  const values = new Map(named.map((arg) => [bare(arg.name), fromHrana(arg.value)] as const));
  const args: unknown[] = [];
  for (const [index, name] of parameters(sql)) {
    if (name !== null && values.has(bare(name))) args[index - 1] = values.get(bare(name));
  }
  return Array.from(args, (value) => (value === undefined ? null : value));
}

/** The single row of a bookkeeping query such as `SELECT changes()`. */
function oneRow(conn: Conn, sql: string): bigint[] {
  return (conn.prepare(sql).raw(true).all() as bigint[][])[0]!;
}

async function execute(conn: Conn, sql: string, stmt: Stmt): Promise<StmtResult> {
  const started = performance.now();
  const args = bindings(sql, stmt);
  const prepared = conn.prepare(sql);
  const [totalBefore] = oneRow(conn, 'SELECT total_changes()');
  const cols = prepared.reader ? prepared.columns().map((col) => ({ name: col.name, decltype: col.type ?? null })) : [];
  // Retry this same statement: one that failed with SQLITE_BUSY stays "in progress" until it is
  // run again (libsql has no reset), and would make the connection's COMMIT fail.
  const rows = await retryWhileBusy(conn, () => (prepared.reader ? (prepared.raw(true).all(args) as unknown[][]) : (prepared.run(args), [])));
  // Only report changes and a rowid if this statement wrote (changes() keeps the last DML's count).
  const [total, changes, rowid] = oneRow(conn, 'SELECT total_changes(), changes(), last_insert_rowid()');
  const affected = total !== totalBefore ? Number(changes) : 0;
  return {
    cols,
    rows: stmt.want_rows === false ? [] : rows.map((row) => row.map(toHrana)),
    affected_row_count: affected,
    last_insert_rowid: total !== totalBefore ? String(rowid) : null,
    rows_read: rows.length,
    rows_written: affected,
    query_duration_ms: performance.now() - started,
  };
}

/** Connections left with a statement stuck in SQLITE_BUSY: closed instead of reused. */
const stuck = new WeakSet<Conn>();

/** Runs `fn`, retrying (without blocking the event loop) while the database is locked elsewhere. */
async function retryWhileBusy<T>(conn: Conn, fn: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
    try {
      return fn();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      if (Date.now() >= deadline) {
        stuck.add(conn);
        throw error;
      }
      await sleep(delay);
    }
  }
}

function sqlOf(stream: Stream, holder: { sql?: string; sql_id?: number }): string {
  if (holder.sql !== undefined && holder.sql !== null) return holder.sql;
  const sql = holder.sql_id === undefined ? undefined : stream.sqls.get(holder.sql_id);
  if (sql === undefined) throw new StmtError('SQL_NOT_FOUND', `SQL text ${holder.sql_id} not found`);
  return sql;
}

function holds(cond: Cond, results: unknown[], errors: unknown[], conn: Conn): boolean {
  switch (cond.type) {
    case 'ok': return results[cond.step] != null;
    case 'error': return errors[cond.step] != null;
    case 'not': return !holds(cond.cond, results, errors, conn);
    case 'and': return cond.conds.every((c) => holds(c, results, errors, conn));
    case 'or': return cond.conds.some((c) => holds(c, results, errors, conn));
    case 'is_autocommit': return !conn.inTransaction;
    default: throw new StmtError('HRANA_PROTO_ERROR', `Unknown condition ${(cond as { type: unknown }).type}`);
  }
}

async function handle(stream: Stream, conn: Conn, req: Request): Promise<object> {
  switch (req.type) {
    case 'execute': {
      const sql = sqlOf(stream, req.stmt);
      return { type: 'execute', result: await execute(conn, sql, req.stmt) };
    }
    case 'batch': {
      const results: (StmtResult | null)[] = [];
      const errors: (ProtoError | null)[] = [];
      for (const step of req.batch.steps) {
        const i = results.push(null) - 1;
        errors.push(null);
        if (step.condition && !holds(step.condition, results, errors, conn)) continue;
        try {
          const sql = sqlOf(stream, step.stmt);
          results[i] = await execute(conn, sql, step.stmt);
        } catch (error) {
          errors[i] = toProtoError(error);
        }
      }
      return { type: 'batch', result: { step_results: results, step_errors: errors } };
    }
    case 'sequence': {
      const sql = sqlOf(stream, req);
      await retryWhileBusy(conn, () => conn.exec(sql));
      return { type: 'sequence' };
    }
    case 'describe': {
      // Minimal: parameters from the SQL text, columns from SQLite, read-only by the first keyword.
      const sql = sqlOf(stream, req);
      const prepared = conn.prepare(sql);
      const params = parameters(sql);
      const count = Math.max(0, ...params.keys());
      return {
        type: 'describe',
        result: {
          params: Array.from({ length: count }, (_, i) => ({ name: params.get(i + 1) ?? null })),
          cols: prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : [],
          is_explain: /^\s*EXPLAIN\b/i.test(sql),
          is_readonly: /^\s*(SELECT|VALUES|EXPLAIN)\b/i.test(sql) || (/^\s*WITH\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql)),
        },
      };
    }
    case 'store_sql':
      stream.sqls.set(req.sql_id, req.sql);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(req.sql_id);
      return { type: 'close_sql' };
    case 'get_autocommit':
      return { type: 'get_autocommit', is_autocommit: !conn.inTransaction };
    case 'close':
      return { type: 'close' };
    default:
      throw new StmtError('HRANA_PROTO_ERROR', `Unknown request type ${(req as { type: unknown }).type}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // Exactly "application/json": the client only parses error bodies with that content type.
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHranaServer(options: { host?: string; port?: number; dir?: string } = {}): Promise<HranaServer> {
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'clickback-hrana-'));
  const databases = new Map<string, Db>();
  const streams = new Map<string, Stream>(); // baton → stream
  const inflight = new Set<Promise<unknown>>();
  let closed = false;
  let url = '';

  function createDatabase(): string {
    const id = randomBytes(8).toString('hex');
    const path = join(dir, `${id}.db`);
    const conn = openConnection(path);
    conn.exec('PRAGMA journal_mode = WAL'); // persistent: every later connection gets WAL too
    databases.set(id, { path, idle: [conn], pipelines: 0 });
    return `${url}/db/${id}/`;
  }

  function release(db: Db, conn: Conn): void {
    try {
      if (conn.inTransaction) conn.exec('ROLLBACK');
    } catch {
      stuck.add(conn);
    }
    if (closed || stuck.has(conn) || db.idle.length >= MAX_IDLE_CONNECTIONS) conn.close();
    else db.idle.push(conn);
  }

  function resume(db: Db, baton: string): Stream {
    const stream = streams.get(baton);
    if (!stream || stream.db !== db) throw new StmtError('STREAM_EXPIRED', 'The stream has expired or does not exist');
    streams.delete(baton); // batons are single-use: each response hands out a new one
    clearTimeout(stream.timer);
    return stream;
  }

  async function pipeline(db: Db, body: { baton?: string | null; requests: Request[] }) {
    const stream: Stream = body.baton ? resume(db, body.baton) : { db, sqls: new Map() };
    const conn = stream.conn ?? db.idle.pop() ?? openConnection(db.path);
    let open = true;
    const results: object[] = [];
    for (const req of body.requests) {
      if (!open) {
        results.push({ type: 'error', error: { message: 'The stream has been closed', code: 'STREAM_CLOSED' } });
        continue;
      }
      try {
        results.push({ type: 'ok', response: await handle(stream, conn, req) });
      } catch (error) {
        results.push({ type: 'error', error: toProtoError(error) });
      }
      if (req.type === 'close') open = false;
    }
    const keep = open && !closed && conn.inTransaction; // an interactive transaction keeps its connection
    stream.conn = keep ? conn : undefined;
    if (!keep) release(db, conn);
    if (!open || closed) return { baton: null, base_url: null, results };
    const baton = randomBytes(16).toString('hex');
    streams.set(baton, stream);
    stream.timer = setTimeout(() => {
      streams.delete(baton);
      if (stream.conn) release(db, stream.conn);
    }, STREAM_IDLE_MS).unref();
    return { baton, base_url: null, results };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (closed) return send(res, 503, { message: 'The server is closing', code: 'SERVER_CLOSING' });
    if (req.method === 'POST' && pathname === '/databases') {
      await readBody(req);
      return send(res, 201, { url: createDatabase() });
    }
    const match = /^\/db\/([^/]+)\/(.*)$/.exec(pathname);
    const db = match ? databases.get(match[1]!) : undefined;
    if (!match || !db) {
      return send(res, 404, { message: `No database at ${pathname} (database URLs end with "/")`, code: 'NOT_FOUND' });
    }
    const endpoint = match[2];
    if (req.method === 'POST' && endpoint === 'outage') {
      const { down } = JSON.parse((await readBody(req)) || '{}') as { down?: unknown };
      if (typeof down !== 'boolean') return send(res, 400, { message: 'Send {"down": true|false}', code: 'BAD_REQUEST' });
      db.down = down;
      return send(res, 200, { down });
    }
    if (req.method === 'GET' && endpoint === 'round-trips') return send(res, 200, { pipelines: db.pipelines });
    if (db.down) {
      req.socket.destroy();
      return;
    }
    if (req.method === 'GET' && (endpoint === 'v2' || endpoint === 'v3')) return send(res, 200, {});
    if (req.method !== 'POST' || (endpoint !== 'v2/pipeline' && endpoint !== 'v3/pipeline')) {
      return send(res, 404, { message: `Not found: ${req.method} ${pathname}`, code: 'NOT_FOUND' }); // incl. v3-protobuf
    }
    db.pipelines += 1; // counted on arrival: a request that fails still cost the caller a round trip
    let body: { baton?: string | null; requests: Request[] };
    try {
      body = JSON.parse(await readBody(req));
      if (!Array.isArray(body.requests)) throw new Error('"requests" must be an array');
    } catch (error) {
      return send(res, 400, { message: `Bad pipeline request: ${(error as Error).message}`, code: 'HRANA_PROTO_ERROR' });
    }
    const done = pipeline(db, body);
    inflight.add(done);
    try {
      send(res, 200, await done);
    } finally {
      inflight.delete(done);
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const status = error instanceof StmtError ? error.status : 500;
      const code = error instanceof StmtError ? error.code : 'INTERNAL_ERROR';
      if (!res.headersSent) send(res, status, { message: (error as Error).message ?? String(error), code });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${shownHost}:${(server.address() as AddressInfo).port}`;

  return {
    url,
    createDatabase,
    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inflight]); // never close a connection under a running pipeline
      server.closeAllConnections();
      await stopped;
      for (const stream of streams.values()) {
        clearTimeout(stream.timer);
        stream.conn?.close();
      }
      streams.clear();
      for (const db of databases.values()) for (const conn of db.idle.splice(0)) conn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
