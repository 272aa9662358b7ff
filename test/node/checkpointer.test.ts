import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointInBackground, SAFETY_CHECKPOINT_PAGES } from '../../worker/node/checkpointer';
import { openNodeDatabase } from '../../worker/node/database';

const dir = mkdtempSync(join(tmpdir(), 'clickback-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
async function eventually(check: () => boolean, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

describe('WAL checkpoints in the background (worker/node/checkpointer.ts)', () => {
  it('leaves the serving connection without automatic checkpoints and copies its pages on another thread', async () => {
    const file = join(dir, 'served.db');
    const client = await openNodeDatabase(`file:${file}`);
    const checkpoints = await checkpointInBackground(client, `file:${file}`);
    expect(checkpoints).not.toBeNull();
    expect((await client.execute('PRAGMA wal_autocheckpoint')).rows[0]?.[0]).toBe(SAFETY_CHECKPOINT_PAGES);

    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const sizeBefore = statSync(file).size;
    // ~2 MB of pages: far below the serving connection's own threshold, so only the thread copies them.
    for (let i = 0; i < 20; i++) {
      await client.batch(Array.from({ length: 25 }, (_, j) => ({ sql: 'INSERT INTO t (body) VALUES (?)', args: [`${i}-${j}-${'x'.repeat(4000)}`] })), 'write');
    }
    await eventually(() => statSync(file).size > sizeBefore + 1_000_000, 'the database file to receive the WAL pages');
    expect((await client.execute('SELECT count(*) FROM t')).rows[0]?.[0]).toBe(500);

    client.close();
    await checkpoints!.stop();
  });

  it('truncates the WAL once it passes the threshold, where passive checkpoints leave the file at its largest', async () => {
    const file = join(dir, 'sustained.db');
    const client = await openNodeDatabase(`file:${file}`, undefined, { thread: true });
    // 1 MiB instead of 16 MiB, checked every 10 ms instead of 200: scaled to a few MB of writes.
    const checkpoints = await checkpointInBackground(client, `file:${file}`, { restartPages: 256, intervalMs: 10 });
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    await checkpoints!.ready;
    // ~12 MB back to back: a passive checkpoint copies pages but never shrinks the file.
    for (let i = 0; i < 120; i++) {
      await client.batch(Array.from({ length: 25 }, (_, j) => ({ sql: 'INSERT INTO t (body) VALUES (?)', args: [`${i}-${j}-${'x'.repeat(4000)}`] })), 'write');
    }
    await eventually(() => statSync(`${file}-wal`).size < 1024 * 1024, 'the WAL to be truncated below its threshold', 30_000);
    expect((await client.execute('SELECT count(*) FROM t')).rows[0]?.[0]).toBe(3000);
    client.close();
    await checkpoints!.stop();
  });

  it('truncates a WAL file left at its largest after a restart, though it now holds few frames', async () => {
    const file = join(dir, 'restarted.db');
    const client = await openNodeDatabase(`file:${file}`);
    await client.execute('PRAGMA wal_autocheckpoint = 0');
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    for (let i = 0; i < 10; i++) {
      await client.batch(Array.from({ length: 25 }, (_, j) => ({ sql: 'INSERT INTO t (body) VALUES (?)', args: [`${i}-${j}-${'x'.repeat(4000)}`] })), 'write');
    }
    // Everything copied back: the next write starts the WAL over from its first frame, in a file that stays ~1 MB.
    await client.execute('PRAGMA wal_checkpoint(PASSIVE)');
    await client.execute("INSERT INTO t (body) VALUES ('small')");
    const frames = Number((await client.execute('PRAGMA wal_checkpoint(PASSIVE)')).rows[0]?.[1]);
    expect(frames).toBeLessThan(16);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(512 * 1024);

    const checkpoints = await checkpointInBackground(client, `file:${file}`, { restartPages: 64, intervalMs: 10 });
    await checkpoints!.ready;
    await eventually(() => statSync(`${file}-wal`).size < 64 * 1024, 'the restarted WAL file to be truncated', 30_000);
    expect((await client.execute('SELECT count(*) FROM t')).rows[0]?.[0]).toBe(251);
    client.close();
    await checkpoints!.stop();
  });

  it('does nothing for an in-memory or remote database', async () => {
    const memory = await openNodeDatabase('file::memory:');
    expect(await checkpointInBackground(memory, 'file::memory:')).toBeNull();
    memory.close();
    expect(await checkpointInBackground(memory, 'libsql://example.turso.io')).toBeNull();
  });

  it('stops promptly even when called twice', async () => {
    const file = join(dir, 'twice.db');
    const client = await openNodeDatabase(`file:${file}`);
    const checkpoints = (await checkpointInBackground(client, `file:${file}`))!;
    await checkpoints.stop();
    await checkpoints.stop();
    client.close();
  });
});
