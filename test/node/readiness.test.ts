import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../worker/entry-node';
import { DatabaseNotWritableError } from '../../worker/node/writable';
import { Api, BROWSER_HEADERS, pathOf } from '../contract/client';
import { testKeys } from '../contract/keys';
import { startNodeHarness } from './harness';

/**
 * A database the service cannot write: as root (CI) permissions do not stop a write, so the tests
 * set the immutable attribute (`chattr +i`), which refuses writes to root as well, through new and
 * already open file descriptors alike.
 */
const dir = mkdtempSync(join(tmpdir(), 'clickback-readiness-'));
const immutable = (path: string, on: boolean) => execFileSync('chattr', [on ? '+i' : '-i', path]);
const canSetImmutable = (() => {
  try {
    const probe = join(dir, 'probe');
    execFileSync('touch', [probe]);
    immutable(probe, true);
    immutable(probe, false);
    return true;
  } catch {
    return false;
  }
})();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!canSetImmutable)('readiness proves the database takes a write (chattr +i available)', () => {
  it('/readyz answers 503 while the WAL cannot be written, and 200 again once it can', async () => {
    const h = await startNodeHarness();
    const wal = join(h.dir, 'test.db-wal');
    try {
      expect((await h.fetch('/readyz')).status).toBe(200);
      expect(existsSync(wal)).toBe(true);
      immutable(wal, true);
      const down = await h.fetch('/readyz');
      const body = await down.text();
      expect(down.status, body).toBe(503);
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'DB_UNAVAILABLE' } });
      expect(down.headers.get('retry-after')).toBe('30');
      expect((await h.fetch('/healthz')).status).toBe(200); // alive, not ready
      immutable(wal, false);
      expect((await h.fetch('/readyz')).status).toBe(200);
    } finally {
      if (existsSync(wal)) immutable(wal, false);
      await h.close();
    }
  });

  it('a click while the disk refuses writes is an honest 503 (Node has no queue), and nothing is half-written', async () => {
    const h = await startNodeHarness();
    const wal = join(h.dir, 'test.db-wal');
    try {
      const api = new Api(h, (await h.newWorkspace()).apiKey);
      const survey = await api.createSurvey({ scale: 'thumbs' });
      const { links } = await api.mint(survey.id, 'DISK-1', 'disk@example.com');
      immutable(wal, true);
      const res = await h.fetch(pathOf(links[0]!.url), { headers: BROWSER_HEADERS });
      const html = await res.text();
      expect(res.status, html).toBe(503);
      expect(html).toContain('Your answer could not be saved right now.');
      expect(res.headers.get('retry-after')).toBe('30');
      expect((await h.fetch('/readyz')).status).toBe(503);
      immutable(wal, false);
      expect((await api.responses('?subject=DISK-1')).data).toEqual([]);
    } finally {
      if (existsSync(wal)) immutable(wal, false);
      await h.close();
    }
  });

  it.each([
    ['the database file', ''],
    ['its WAL', '-wal'],
  ])('the start refuses a database whose %s it cannot write, and says what to fix', async (_name, suffix) => {
    const home = mkdtempSync(join(dir, 'start-'));
    const env = { DATABASE_URL: `file:${join(home, 'app.db')}`, ...testKeys() };
    const first = await startNodeServer({ env, port: 0, log: () => {}, dispatchIntervalMs: 0 });
    await first.close();
    const target = join(home, `app.db${suffix}`);
    if (!existsSync(target)) execFileSync('touch', [target]);
    immutable(target, true);
    try {
      const refused = startNodeServer({ env, port: 0, log: () => {}, dispatchIntervalMs: 0 });
      await expect(refused).rejects.toBeInstanceOf(DatabaseNotWritableError);
      await expect(refused).rejects.toThrow(new RegExp(`cannot write the database .*app\\.db: no write permission on .*app\\.db${suffix}\\b.*chmod 600`));
      expect(existsSync(join(home, 'app.db.pid'))).toBe(false);
    } finally {
      immutable(target, false);
    }
  });
});

describe('the Node start on a fresh install', () => {
  it('creates the folder of the database and starts (the writability check waits for the folder to exist)', async () => {
    const url = `file:${join(dir, 'fresh', 'data', 'clickback.db')}`;
    const running = await startNodeServer({ env: { DATABASE_URL: url, ...testKeys() }, port: 0, log: () => {}, dispatchIntervalMs: 0 });
    try {
      expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
