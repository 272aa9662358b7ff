import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, LibsqlError, type Client } from '@libsql/client/web';
import { startHranaServer, type HranaServer } from './hrana-server';

describe('test Hrana server', () => {
  let server: HranaServer;
  let dbUrl: string;
  let client: Client;

  beforeAll(async () => {
    server = await startHranaServer();
    dbUrl = server.createDatabase();
    client = createClient({ url: dbUrl });
    await client.execute('CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER, r REAL, t TEXT UNIQUE, b BLOB)');
  });

  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  /** Raw Hrana pipeline over fetch, for the parts @libsql/client does not expose. */
  async function pipeline(url: string, requests: object[], baton?: string | null) {
    const res = await fetch(new URL('v2/pipeline', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ baton: baton ?? null, requests }),
    });
    return { status: res.status, body: (await res.json()) as { baton: string | null; results: any[]; message?: string } };
  }

  it('serves each database under its own /db/<id>/ prefix, and the client stays under it', async () => {
    expect(dbUrl).toMatch(new RegExp(`^${server.url}/db/[0-9a-f]+/$`));
    const seen: string[] = [];
    const spy = createClient({
      url: dbUrl,
      fetch: (req: Request) => {
        seen.push(req.url);
        return fetch(req);
      },
    });
    await spy.execute('SELECT 1');
    await spy.batch(['SELECT 1', 'SELECT 2'], 'read');
    spy.close();
    expect(seen.length).toBeGreaterThan(0);
    for (const u of seen) expect(u).toBe(`${dbUrl}v2/pipeline`);
    // Without the trailing slash the id would be dropped: a clear 404, not another database.
    const noSlash = createClient({ url: dbUrl.slice(0, -1) });
    await expect(noSlash.execute('SELECT 1')).rejects.toThrow(/No database/);
    noSlash.close();
    // Version probes: v2/v3 JSON answer, v3-protobuf must not (or a v3 client would switch to protobuf).
    expect((await fetch(`${dbUrl}v2`)).status).toBe(200);
    expect((await fetch(`${dbUrl}v3`)).status).toBe(200);
    expect((await fetch(`${dbUrl}v3-protobuf`)).status).toBe(404);
  });

  it('inserts with positional and named args and reads typed rows back', async () => {
    const big = 9007199254740993n; // 2^53 + 1: survives only as a string on the wire
    const ins = await client.execute({ sql: 'INSERT INTO items (n, r, t, b) VALUES (?, ?, ?, ?)', args: [big, 1.0, 'one', new Uint8Array([0, 1, 255])] });
    expect(ins.rowsAffected).toBe(1);
    expect(ins.lastInsertRowid).toBe(1n);
    await client.execute({ sql: 'INSERT INTO items (n, r, t, b) VALUES (:n, @r, $t, :b)', args: { n: 2, r: 2.5, t: 'two', b: null } });
    await client.execute({ sql: 'INSERT INTO items (n, t) VALUES (?, ?)', args: [null, 'three'] });

    const wide = createClient({ url: dbUrl, intMode: 'bigint' });
    const rs = await wide.execute('SELECT id, n, r, typeof(r) AS rtype, t, b FROM items ORDER BY id');
    wide.close();
    expect(rs.columns).toEqual(['id', 'n', 'r', 'rtype', 't', 'b']);
    expect(rs.columnTypes).toEqual(['INTEGER', 'INTEGER', 'REAL', '', 'TEXT', 'BLOB']);
    expect(rs.rowsAffected).toBe(0);
    expect(rs.lastInsertRowid).toBeUndefined();
    const [r1, r2, r3] = rs.rows;
    expect(r1!.n).toBe(big);
    expect(r1!.r).toBe(1);
    expect(r1!.rtype).toBe('real'); // 1.0 was sent and stored as a float
    expect(new Uint8Array(r1!.b as ArrayBuffer)).toEqual(new Uint8Array([0, 1, 255]));
    expect(r2).toMatchObject({ id: 2n, n: 2n, r: 2.5, t: 'two', b: null });
    expect(r3).toMatchObject({ n: null, r: null, t: 'three' });

    const small = await client.execute({ sql: 'SELECT n FROM items WHERE t = ?', args: ['two'] });
    expect(small.rows[0]!.n).toBe(2); // default intMode: numbers
  });

  it('reports a unique violation as a LibsqlError with the SQLite code, not as an HTTP failure', async () => {
    const error = await client.execute({ sql: 'INSERT INTO items (t) VALUES (?)', args: ['one'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    expect((error as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
    expect((error as LibsqlError).message).toMatch(/UNIQUE constraint failed: items\.t/);
    const syntax = await client.execute('SELEC 1').catch((e: unknown) => e);
    expect((syntax as LibsqlError).code).toBe('SQL_PARSE_ERROR');
  });

  it('runs a write batch atomically: a failing statement rolls back the earlier ones', async () => {
    const before = await client.execute('SELECT count(*) AS c FROM items');
    const error = await client
      .batch([{ sql: 'INSERT INTO items (t) VALUES (?)', args: ['four'] }, { sql: 'INSERT INTO items (t) VALUES (?)', args: ['one'] }], 'write')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    expect((error as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
    const after = await client.execute('SELECT count(*) AS c FROM items');
    expect(after.rows[0]!.c).toBe(before.rows[0]!.c);

    const ok = await client.batch([{ sql: 'INSERT INTO items (t) VALUES (?)', args: ['four'] }, 'SELECT t FROM items WHERE t = \'four\''], 'write');
    expect(ok[0]!.rowsAffected).toBe(1);
    expect(ok[1]!.rows[0]!.t).toBe('four');
  });

  it('does INSERT ... ON CONFLICT DO UPDATE and SELECT changes() in one batch', async () => {
    await client.execute('CREATE TABLE votes (link TEXT PRIMARY KEY, score INTEGER NOT NULL)');
    const upsert = (score: number) =>
      client.batch(
        [
          { sql: 'INSERT INTO votes (link, score) VALUES (?, ?) ON CONFLICT (link) DO UPDATE SET score = excluded.score WHERE score IS NOT excluded.score', args: ['L1', score] },
          'SELECT changes() AS changed',
        ],
        'write',
      );
    expect((await upsert(5))[1]!.rows[0]!.changed).toBe(1);
    expect((await upsert(5))[1]!.rows[0]!.changed).toBe(0); // same vote again: no change
    const changed = await upsert(3);
    expect(changed[0]!.rowsAffected).toBe(1);
    expect(changed[1]!.rows[0]!.changed).toBe(1);
    expect((await client.execute('SELECT score FROM votes')).rows[0]!.score).toBe(3);
  });

  it('keeps an interactive transaction on its own connection: commit and rollback', async () => {
    await client.execute('CREATE TABLE tx (v TEXT)');
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO tx VALUES (?)', args: ['kept'] });
    // Another stream does not see the uncommitted row.
    expect((await client.execute('SELECT count(*) AS c FROM tx')).rows[0]!.c).toBe(0);
    expect((await tx.execute('SELECT count(*) AS c FROM tx')).rows[0]!.c).toBe(1);
    await tx.commit();

    const rolled = await client.transaction('write');
    await rolled.execute({ sql: 'INSERT INTO tx VALUES (?)', args: ['dropped'] });
    await rolled.rollback();
    expect((await client.execute('SELECT v FROM tx')).rows.map((r) => r.v)).toEqual(['kept']);
  });

  it('lets a write batch wait (without freezing the server) until an open transaction commits', async () => {
    await client.execute('CREATE TABLE waits (v INTEGER)');
    const tx = await client.transaction('write');
    await tx.execute('INSERT INTO waits VALUES (1)');
    const other = createClient({ url: dbUrl });
    const waiting = other.batch(['INSERT INTO waits VALUES (2)'], 'write');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The server still answers (reads do not need the write lock) while the batch waits.
    expect((await client.execute('SELECT count(*) AS c FROM waits')).rows[0]!.c).toBe(0);
    await tx.commit();
    await waiting;
    other.close();
    expect((await client.execute('SELECT v FROM waits ORDER BY v')).rows.map((r) => r.v)).toEqual([1, 2]);
  });

  it('lands 50 concurrent write batches', async () => {
    await client.execute('CREATE TABLE counter (k INTEGER PRIMARY KEY, hits INTEGER NOT NULL)');
    const clients = Array.from({ length: 50 }, () => createClient({ url: dbUrl }));
    const started = performance.now();
    const results = await Promise.allSettled(
      clients.map((c, i) =>
        c.batch(
          [
            { sql: 'INSERT INTO counter (k, hits) VALUES (0, 1) ON CONFLICT (k) DO UPDATE SET hits = hits + 1', args: [] },
            { sql: 'INSERT INTO counter (k, hits) VALUES (?, 1)', args: [i + 1] },
          ],
          'write',
        ),
      ),
    );
    const elapsed = performance.now() - started;
    for (const c of clients) c.close();
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await client.execute('SELECT (SELECT hits FROM counter WHERE k = 0) AS hits, count(*) AS n FROM counter');
    expect(rows.rows[0]).toMatchObject({ hits: 50, n: 51 });
    expect(elapsed).toBeLessThan(5_000);
  });

  it('keeps two databases of one server independent', async () => {
    const a = createClient({ url: server.createDatabase() });
    const b = createClient({ url: server.createDatabase() });
    await a.execute('CREATE TABLE only_in_a (x)');
    await b.execute('CREATE TABLE only_in_b (x)');
    const tables = async (c: Client) => (await c.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")).rows.map((r) => r.name);
    expect(await tables(a)).toEqual(['only_in_a']);
    expect(await tables(b)).toEqual(['only_in_b']);
    a.close();
    b.close();
  });

  it('creates a database on POST /databases (for tests inside workerd)', async () => {
    const res = await fetch(`${server.url}/databases`, { method: 'POST' });
    expect(res.ok).toBe(true);
    const { url } = (await res.json()) as { url: string };
    expect(url).toMatch(/\/db\/[0-9a-f]+\/$/);
    const c = createClient({ url });
    await c.executeMultiple('CREATE TABLE t (x); INSERT INTO t VALUES (42);');
    expect((await c.execute('SELECT x FROM t')).rows[0]!.x).toBe(42);
    c.close();
  });

  it('counts pipeline requests per database at GET <url>round-trips (for tests inside workerd)', async () => {
    const url = server.createDatabase();
    const other = server.createDatabase();
    async function roundTrips(dbUrl: string) {
      const res = await fetch(new URL('round-trips', dbUrl));
      const text = await res.text();
      expect(res.status, text).toBe(200);
      return (JSON.parse(text) as { pipelines: number }).pipelines;
    }
    expect(await roundTrips(url)).toBe(0);
    let sent = 0;
    const c = createClient({
      url,
      fetch: (req: Request) => {
        sent += 1;
        return fetch(req);
      },
    });
    await c.execute('CREATE TABLE t (x)');
    await c.batch(['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (2)', 'SELECT count(*) FROM t'], 'write');
    c.close();
    expect(sent).toBe(2); // a batch, transaction and all, is one round trip
    expect(await roundTrips(url)).toBe(sent);
    expect(await roundTrips(url)).toBe(sent); // asking is not counted
    expect(await roundTrips(other)).toBe(0);
    // A malformed pipeline reached the database all the same: it is a round trip too.
    const bad = await fetch(new URL('v2/pipeline', url), { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
    expect(await roundTrips(url)).toBe(sent + 1);
    expect((await fetch(`${server.url}/db/0123456789abcdef/round-trips`)).status).toBe(404);
  });

  it('speaks the raw protocol: batons, store_sql, named args next to ?, describe, get_autocommit, close', async () => {
    const url = server.createDatabase();
    const first = await pipeline(url, [
      { type: 'store_sql', sql_id: 1, sql: 'SELECT ?1 AS a, :b AS b, @c AS c' },
      { type: 'execute', stmt: { sql_id: 1, named_args: [{ name: ':b', value: { type: 'text', value: 'B' } }, { name: 'c', value: { type: 'integer', value: '3' } }] } },
      { type: 'execute', stmt: { sql: 'BEGIN' } },
      { type: 'get_autocommit' },
      { type: 'describe', sql: 'SELECT :x AS x, ? AS y' },
    ]);
    expect(first.status).toBe(200);
    expect(first.body.baton).toEqual(expect.any(String));
    const [stored, exec, , autocommit, described] = first.body.results;
    expect(stored).toEqual({ type: 'ok', response: { type: 'store_sql' } });
    expect(exec.response.result.rows).toEqual([[{ type: 'null' }, { type: 'text', value: 'B' }, { type: 'integer', value: '3' }]]);
    expect(autocommit.response.is_autocommit).toBe(false);
    expect(described.response.result).toMatchObject({ params: [{ name: ':x' }, { name: null }], is_readonly: true, is_explain: false });

    const second = await pipeline(url, [{ type: 'get_autocommit' }, { type: 'execute', stmt: { sql: 'COMMIT' } }, { type: 'get_autocommit' }, { type: 'close' }, { type: 'get_autocommit' }], first.body.baton);
    expect(second.body.results.map((r) => r.response?.is_autocommit ?? r.response?.type ?? r.error.code)).toEqual([false, 'execute', true, 'close', 'STREAM_CLOSED']);
    expect(second.body.baton).toBeNull();

    const stale = await pipeline(url, [{ type: 'get_autocommit' }], first.body.baton);
    expect(stale.status).toBe(400);
    expect(stale.body.message).toMatch(/expired/);
  });

  it('refuses every call after close(), which is how tests simulate "the database is down"', async () => {
    const doomed = await startHranaServer();
    const c = createClient({ url: doomed.createDatabase() });
    await c.execute('SELECT 1');
    await doomed.close();
    await expect(c.execute('SELECT 1')).rejects.toThrow();
    c.close();
  });

  it('stops and restarts one database at POST <url>outage, keeping its data and leaving the others up', async () => {
    const url = server.createDatabase();
    const c = createClient({ url });
    const other = createClient({ url: dbUrl });
    await c.execute('CREATE TABLE kept (n INTEGER)');
    await c.execute('INSERT INTO kept VALUES (1)');
    const stop = await fetch(new URL('outage', url), { method: 'POST', body: JSON.stringify({ down: true }) });
    expect(stop.status, await stop.clone().text()).toBe(200);
    const before = (await (await fetch(new URL('round-trips', url))).json()) as { pipelines: number };
    await expect(c.execute('SELECT n FROM kept')).rejects.toThrow();
    expect(((await (await fetch(new URL('round-trips', url))).json()) as { pipelines: number }).pipelines).toBe(before.pipelines);
    expect((await other.execute('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    const start = await fetch(new URL('outage', url), { method: 'POST', body: JSON.stringify({ down: false }) });
    expect(start.status, await start.clone().text()).toBe(200);
    expect((await c.execute('SELECT n FROM kept')).rows.map((row) => row.n)).toEqual([1]);
    const bad = await fetch(new URL('outage', url), { method: 'POST', body: JSON.stringify({ down: 'yes' }) });
    expect(bad.status, await bad.clone().text()).toBe(400);
    c.close();
    other.close();
  });
});
