/**
 * TEST-ONLY libSQL server: the Hrana-over-HTTP protocol (v2, JSON) on top of embedded database
 * files opened with the `libsql` package.
 *
 * Why: inside workerd the service reaches its database over HTTP with `@libsql/client/web`, exactly
 * as it reaches Turso in production, and no libSQL server (sqld) can be installed from the
 * registries here. Product code never imports this file.
 *
 * Protocol: https://github.com/tursodatabase/libsql/blob/main/docs/HRANA_2_SPEC.md ("HTTP" and
 * "JSON encoding"). The client first probes `v3-protobuf`; answering 404 makes it fall back to
 * `v2/pipeline` with JSON. Each database lives under its own prefix, `/db/<id>/`, and
 * `GET /db/<id>/round-trips` tells how many pipeline requests it has served, so tests can count a
 * click's round trips to the database.
 */
import Database from 'libsql';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Value = { type: 'null' } | { type: 'integer'; value: string } | { type: 'float'; value: number } | { type: 'text'; value: string } | { type: 'blob'; base64: string };
interface Stmt {
  sql?: string;
  sql_id?: number;
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
}
type Condition = { type: 'ok' | 'error'; step: number } | { type: 'not'; cond: Condition } | { type: 'and' | 'or'; conds: Condition[] } | { type: 'is_autocommit' };
type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; batch: { steps: { condition?: Condition | null; stmt: Stmt }[] } }
  | { type: 'sequence'; sql?: string; sql_id?: number }
  | { type: 'describe'; sql?: string; sql_id?: number }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: 'get_autocommit' };

type Connection = InstanceType<typeof Database>;

interface Stream {
  db: Connection;
  sqls: Map<number, string>;
  idleTimer?: NodeJS.Timeout;
}

export interface LibsqlHttpServer {
  /** Base URL of the server, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Creates a fresh temp-file database; returns the URL to give `createClient({ url })`. */
  createDatabase(): string;
  close(): Promise<void>;
}

class SqlError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const STREAM_IDLE_MS = 15_000;

function toJsValue(value: Value): unknown {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(value.value);
    case 'float':
      return Number(value.value);
    case 'text':
      return value.value;
    case 'blob':
      return Buffer.from(value.base64, 'base64');
    default:
      throw new SqlError(`unknown value type ${(value as { type: string }).type}`, 'HRANA_PROTO_ERROR');
  }
}

function toHranaValue(value: unknown): Value {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'integer', value: String(value) } : { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) return { type: 'blob', base64: Buffer.from(value).toString('base64') };
  return { type: 'text', value: String(value) };
}

function sqlOf(stream: Stream, holder: { sql?: string; sql_id?: number }): string {
  if (holder.sql !== undefined) return holder.sql;
  const sql = holder.sql_id === undefined ? undefined : stream.sqls.get(holder.sql_id);
  if (sql === undefined) throw new SqlError('SQL text not found', 'HRANA_PROTO_ERROR');
  return sql;
}

function execute(stream: Stream, stmt: Stmt) {
  const started = performance.now();
  const sql = sqlOf(stream, stmt);
  try {
    const prepared = stream.db.prepare(sql);
    const args: unknown[] | Record<string, unknown> = stmt.named_args?.length
      ? Object.fromEntries(stmt.named_args.map(({ name, value }) => [name.replace(/^[:@$]/, ''), toJsValue(value)]))
      : (stmt.args ?? []).map(toJsValue);
    if (prepared.reader) {
      prepared.safeIntegers(true);
      const columns = prepared.columns();
      const rows = (prepared.raw(true).all(args) as unknown[][]).map((row) => row.map(toHranaValue));
      return {
        cols: columns.map((c) => ({ name: c.name, decltype: c.type ?? null })),
        rows: stmt.want_rows === false ? [] : rows,
        affected_row_count: 0,
        last_insert_rowid: null,
        rows_read: rows.length,
        rows_written: 0,
        query_duration_ms: performance.now() - started,
      };
    }
    const info = prepared.run(args);
    return {
      cols: [],
      rows: [],
      affected_row_count: Number(info.changes),
      last_insert_rowid: info.lastInsertRowid === undefined || info.lastInsertRowid === null ? null : String(info.lastInsertRowid),
      rows_read: 0,
      rows_written: Number(info.changes),
      query_duration_ms: performance.now() - started,
    };
  } catch (error) {
    if (error instanceof SqlError) throw error;
    const e = error as { message?: string; code?: string };
    throw new SqlError(e.message ?? String(error), e.code ?? 'SQLITE_ERROR');
  }
}

function evaluate(cond: Condition, results: unknown[], errors: unknown[], db: Connection): boolean {
  switch (cond.type) {
    case 'ok':
      return results[cond.step] != null;
    case 'error':
      return errors[cond.step] != null;
    case 'not':
      return !evaluate(cond.cond, results, errors, db);
    case 'and':
      return cond.conds.every((c) => evaluate(c, results, errors, db));
    case 'or':
      return cond.conds.some((c) => evaluate(c, results, errors, db));
    case 'is_autocommit':
      return !db.inTransaction;
  }
}

function handle(stream: Stream, req: StreamRequest): unknown {
  switch (req.type) {
    case 'execute':
      return { type: 'execute', result: execute(stream, req.stmt) };
    case 'batch': {
      const results: unknown[] = [];
      const errors: unknown[] = [];
      req.batch.steps.forEach((step, i) => {
        results[i] = null;
        errors[i] = null;
        if (step.condition && !evaluate(step.condition, results, errors, stream.db)) return;
        try {
          results[i] = execute(stream, step.stmt);
        } catch (error) {
          const e = error as SqlError;
          errors[i] = { message: e.message, code: e.code };
        }
      });
      return { type: 'batch', result: { step_results: results, step_errors: errors } };
    }
    case 'sequence':
      try {
        stream.db.exec(sqlOf(stream, req));
      } catch (error) {
        const e = error as { message?: string; code?: string };
        throw new SqlError(e.message ?? String(error), e.code ?? 'SQLITE_ERROR');
      }
      return { type: 'sequence' };
    case 'describe': {
      const prepared = stream.db.prepare(sqlOf(stream, req));
      const cols = prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : [];
      return { type: 'describe', result: { params: [], cols, is_explain: false, is_readonly: prepared.reader } };
    }
    case 'store_sql':
      stream.sqls.set(req.sql_id, req.sql);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(req.sql_id);
      return { type: 'close_sql' };
    case 'get_autocommit':
      return { type: 'get_autocommit', is_autocommit: !stream.db.inTransaction };
    case 'close':
      return { type: 'close' };
    default:
      throw new SqlError(`unsupported request ${(req as { type: string }).type}`, 'HRANA_PROTO_ERROR');
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startLibsqlHttpServer(options: { host?: string; port?: number } = {}): Promise<LibsqlHttpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'clickback-libsql-http-'));
  const databases = new Map<string, string>(); // id → file path
  const pipelineCounts = new Map<string, number>(); // id → HTTP round trips served (for tests that count them)
  const streams = new Map<string, Stream>(); // baton → stream
  let baseUrl = '';

  function createDatabase(): string {
    const id = randomUUID().replace(/-/g, '').slice(0, 16);
    databases.set(id, join(dir, `${id}.db`));
    return `${baseUrl}/db/${id}/`;
  }

  function openStream(path: string): Stream {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    return { db, sqls: new Map() };
  }

  function closeStream(baton: string | undefined, stream: Stream) {
    clearTimeout(stream.idleTimer);
    if (baton) streams.delete(baton);
    if (stream.db.inTransaction) stream.db.exec('ROLLBACK');
    stream.db.close();
  }

  async function pipeline(path: string, req: IncomingMessage, res: ServerResponse) {
    const body = (await readJson(req)) as { baton: string | null; requests: StreamRequest[] };
    const existing = body.baton ? streams.get(body.baton) : undefined;
    if (body.baton && !existing) return send(res, 400, { message: 'unknown or expired baton' });
    const stream = existing ?? openStream(path);
    if (body.baton) streams.delete(body.baton);
    clearTimeout(stream.idleTimer);
    let closed = false;
    const results = body.requests.map((request) => {
      if (closed) return { type: 'error', error: { message: 'stream closed', code: 'STREAM_CLOSED' } };
      try {
        const response = handle(stream, request);
        if (request.type === 'close') closed = true;
        return { type: 'ok', response };
      } catch (error) {
        const e = error as SqlError;
        return { type: 'error', error: { message: e.message, code: e.code ?? 'SQLITE_ERROR' } };
      }
    });
    let baton: string | null = null;
    if (closed) closeStream(undefined, stream);
    else {
      baton = randomUUID();
      streams.set(baton, stream);
      stream.idleTimer = setTimeout(() => closeStream(baton!, stream), STREAM_IDLE_MS);
      stream.idleTimer.unref();
    }
    send(res, 200, { baton, base_url: null, results });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/databases') return send(res, 201, { url: createDatabase() });
    const match = /^\/db\/([0-9a-f]+)\/(.*)$/.exec(url.pathname);
    const path = match ? databases.get(match[1]!) : undefined;
    if (!match || !path) return send(res, 404, { message: 'no such database' });
    if (req.method === 'GET' && match[2] === 'v2') return send(res, 200, {});
    if (req.method === 'GET' && match[2] === 'round-trips') return send(res, 200, { pipelines: pipelineCounts.get(match[1]!) ?? 0 });
    if (req.method === 'POST' && match[2] === 'v2/pipeline') {
      pipelineCounts.set(match[1]!, (pipelineCounts.get(match[1]!) ?? 0) + 1);
      pipeline(path, req, res).catch((error: unknown) => send(res, 400, { message: String(error) }));
      return;
    }
    send(res, 404, { message: 'not found' }); // includes the v3-protobuf probe
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    createDatabase,
    async close() {
      for (const [baton, stream] of [...streams]) closeStream(baton, stream);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
