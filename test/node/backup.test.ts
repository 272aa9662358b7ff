import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../worker/db/workspaces';
import { startNodeServer } from '../../worker/entry-node';
import { BackupError, backupDatabase, restoreDatabase } from '../../worker/node/backup';
import { Api, BROWSER_HEADERS, click, pathOf } from '../contract/client';
import type { Harness } from '../contract/harness';
import { testKeys } from '../contract/keys';
import { rawFetch, startNodeHarness } from './harness';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'clickback-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run cli -- …` against a database file; resolves with its output, or rejects with it. */
function cli(databaseUrl: string, ...args: string[]) {
  return run(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/cli.ts'), ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: databaseUrl, ...testKeys() } });
}

async function subjectsIn(path: string): Promise<Map<string, number>> {
  const client = createClient({ url: `file:${path}` });
  try {
    return new Map((await client.execute('SELECT subject, score FROM responses')).rows.map((row) => [String(row.subject), Number(row.score)]));
  } finally {
    client.close();
  }
}

describe('npm run cli -- backup / restore', () => {
  describe('happy path', () => {
    it('takes a consistent backup during a click load: every vote acknowledged before it began is in it', async () => {
      const h = await startNodeHarness();
      try {
        const api = new Api(h, (await h.newWorkspace()).apiKey);
        const survey = await api.createSurvey();
        const links: { subject: string; path: string }[] = [];
        for (let i = 0; i < 300; i++) links.push({ subject: `T-${i}`, path: pathOf((await api.mint(survey.id, `T-${i}`, `c${i}@example.com`)).links[i % 3]!.url) });
        const acknowledged: string[] = [];
        let next = 0;
        const worker = async () => {
          while (next < links.length) {
            const link = links[next++]!;
            if ((await h.fetch(link.path, { headers: BROWSER_HEADERS })).status === 303) acknowledged.push(link.subject);
          }
        };
        const load = Promise.all(Array.from({ length: 6 }, worker));
        while (acknowledged.length < 80) await new Promise((done) => setTimeout(done, 5));
        const before = [...acknowledged];
        const target = join(dir, 'during-load.db');
        // In this process (the CLI's start-up would outlast the load); the CLI is run below.
        const { path, bytes } = await backupDatabase(`file:${join(h.dir, 'test.db')}`, target);
        await load;
        expect(path).toBe(target);
        expect(bytes).toBeGreaterThan(0);
        expect(acknowledged.length).toBe(300);
        const copied = await subjectsIn(target);
        expect(before.filter((subject) => !copied.has(subject))).toEqual([]);
        for (const subject of before) expect(copied.get(subject)).toBe((Number(subject.slice(2)) % 3) + 1);
        expect(copied.size).toBeLessThan(300); // it was taken while clicks kept arriving
        expect(existsSync(`${target}-wal`)).toBe(false); // self-contained
      } finally {
        await h.close();
      }
    }, 60_000);

    it('restores a backup once the service is stopped, keeping the database it replaced', async () => {
      const home = mkdtempSync(join(dir, 'restore-'));
      const url = `file:${join(home, 'live.db')}`;
      const start = () => startNodeServer({ env: { DATABASE_URL: url, ...testKeys() }, port: 0, log: () => {}, dispatchIntervalMs: 0 });
      let running = await start();
      const { apiKey } = await createWorkspace(running.db, 'Acme', new Date());
      const harness = (base: string) => ({ runtime: 'node', fetch: (path: string, init?: RequestInit) => rawFetch(`${base}${path}`, init) }) as Harness;
      let api = new Api(harness(running.url), apiKey);
      const survey = await api.createSurvey();
      await click(harness(running.url), (await api.mint(survey.id, 'KEPT', 'ann@example.com')).links[2]!.url);
      await cli(url, 'backup', join(home, 'nightly.db'));
      await click(harness(running.url), (await api.mint(survey.id, 'AFTER-BACKUP', 'bob@example.com')).links[0]!.url);

      const refused = await cli(url, 'restore', join(home, 'nightly.db')).catch((error: { stderr: string; code: number }) => error);
      expect(refused).toMatchObject({ code: 1 });
      expect((refused as { stderr: string }).stderr).toMatch(/error: the service \(pid \d+\) is running on .*live\.db: stop it first/);

      await running.close();
      const { stdout } = await cli(url, 'restore', join(home, 'nightly.db'), '--json');
      const { keptAs } = JSON.parse(stdout) as { keptAs: string };
      expect(keptAs).toMatch(/live\.db\.before-restore-/);
      expect([...(await subjectsIn(keptAs)).keys()].sort()).toEqual(['AFTER-BACKUP', 'KEPT']);

      running = await start();
      try {
        api = new Api(harness(running.url), apiKey);
        expect((await api.responses()).data.map((r) => r.subject)).toEqual(['KEPT']);
      } finally {
        await running.close();
      }
    }, 60_000);
  });

  describe('rejects', () => {
    it.each([
      ['a target that exists', 'backup', 'exists.db', /already exists/],
      ['a restore from a file that is not a database', 'restore', 'garbage.db', /is not a readable database|fails its integrity check/],
      ['a restore from a database that is not clickback', 'restore', 'other.db', /is not a clickback database/],
      ['a restore from nothing', 'restore', 'missing.db', /there is no file/],
    ])('%s', async (_name, command, file, message) => {
      writeFileSync(join(dir, 'exists.db'), 'x');
      writeFileSync(join(dir, 'garbage.db'), 'this is not SQLite '.repeat(300));
      const other = createClient({ url: `file:${join(dir, 'other.db')}` });
      await other.execute('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY)');
      other.close();
      const url = `file:${join(dir, 'rejects.db')}`;
      const existing = createClient({ url });
      await existing.execute('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)');
      existing.close();
      const attempt = command === 'backup' ? backupDatabase(url, join(dir, file)) : restoreDatabase(url, join(dir, file));
      await expect(attempt).rejects.toThrow(message);
      await expect(attempt).rejects.toBeInstanceOf(BackupError);
    });

    it('a Turso database: backups are Turso’s', async () => {
      await expect(backupDatabase('libsql://clickback-acme.turso.io', join(dir, 'x.db'))).rejects.toThrow(/embedded file only; a Turso database is backed up by Turso/);
    });
  });
});
