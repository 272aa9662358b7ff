import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../worker/entry-node';
import { openNodeDatabase } from '../../worker/node/database';
import { Api, click } from '../contract/client';
import type { Harness } from '../contract/harness';
import { createWorkspace } from '../../worker/db/workspaces';

/**
 * The embedded database holds webhook secrets and customers' emails, and data/dev-keys.json the
 * signing keys: on Node they are readable by the service's user only (files 0600, a directory we
 * create 0700), whatever the umask, and an older install's looser files are tightened on start.
 */
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const dirs: string[] = [];
const onExit: (() => void)[] = [];
afterEach(() => {
  for (const done of onExit.splice(0)) done();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startIn(dataDir: string) {
  const running = await startNodeServer({
    env: { DATABASE_URL: `file:${join(dataDir, 'clickback.db')}`, PUBLIC_URL: 'https://feedback.example.com' },
    port: 0,
    log: () => {},
    devKeysFile: join(dataDir, 'dev-keys.json'),
    dispatchIntervalMs: 0,
  });
  // A vote, so that the WAL and the shared-memory file exist.
  const { apiKey } = await createWorkspace(running.db, 'Modes', new Date());
  const h = { fetch: (path: string, init?: RequestInit) => fetch(`${running.url}${path}`, { redirect: 'manual', ...init }) } as unknown as Harness;
  const api = new Api(h, apiKey);
  const survey = await api.createSurvey();
  const { links } = await api.mint(survey.id, 'MODE-1', 'mode@example.com');
  await click(h, links[0]!.url);
  return running;
}

describe('file modes on Node', () => {
  describe('security', () => {
    it('creates the data directory 0700 and the database, its WAL, its shm and the dev keys 0600', async () => {
      const root = mkdtempSync(join(tmpdir(), 'clickback-modes-'));
      dirs.push(root);
      const dataDir = join(root, 'data');
      const running = await startIn(dataDir);
      try {
        const db = join(dataDir, 'clickback.db');
        expect({ dir: mode(dataDir), db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`), keys: mode(join(dataDir, 'dev-keys.json')) }).toEqual({
          dir: '700',
          db: '600',
          wal: '600',
          shm: '600',
          keys: '600',
        });
      } finally {
        await running.close();
      }
    });

    it('tightens an existing database, WAL and dev-keys file left readable by others', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'clickback-modes-'));
      dirs.push(dataDir);
      const db = join(dataDir, 'clickback.db');
      // An older install, made with the default umask, and another connection (the CLI) keeping its WAL open.
      const other = await openNodeDatabase(`file:${db}`);
      await other.execute('CREATE TABLE t (x)');
      writeFileSync(join(dataDir, 'dev-keys.json'), JSON.stringify({ LINK_KEYS: `dev1:${'A'.repeat(43)}`, FORM_KEYS: `devf1:${'B'.repeat(43)}` }));
      for (const file of [db, `${db}-wal`, `${db}-shm`, join(dataDir, 'dev-keys.json')]) chmodSync(file, 0o644);
      onExit.push(() => other.close());
      const running = await startIn(dataDir);
      try {
        expect({ db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`), keys: mode(join(dataDir, 'dev-keys.json')) }).toEqual({ db: '600', wal: '600', shm: '600', keys: '600' });
      } finally {
        await running.close();
      }
    });

    it('leaves an existing directory as the operator made it', async () => {
      const root = mkdtempSync(join(tmpdir(), 'clickback-modes-'));
      dirs.push(root);
      const shared = join(root, 'srv');
      mkdirSync(shared, { mode: 0o755 });
      chmodSync(shared, 0o755);
      const running = await startIn(shared);
      try {
        expect({ dir: mode(shared), db: mode(join(shared, 'clickback.db')) }).toEqual({ dir: '755', db: '600' });
      } finally {
        await running.close();
      }
    });
  });
});
