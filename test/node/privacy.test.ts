import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Api, click, comment } from '../contract/client';
import { privacyContract } from '../contract/privacy.contract';
import { suppressionHashContract } from '../contract/suppression-hash.contract';
import { startNodeHarness } from './harness';

privacyContract((env) => startNodeHarness(env));
suppressionHashContract();

/** Whether `needle` is anywhere in the bytes of the database file or its WAL (UTF-8, as SQLite stores text). */
function inFiles(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return ['test.db', 'test.db-wal'].filter((name) => existsSync(join(dir, name)) && readFileSync(join(dir, name)).includes(bytes));
}

describe('DELETE /api/v1/respondents/{email} on Node: the bytes leave the files', () => {
  it('the address and the comment are in the .db or -wal before the erasure, and in neither after it (secure_delete + TRUNCATE checkpoint)', async () => {
    const h = await startNodeHarness();
    try {
      const api = new Api(h, (await h.newWorkspace('Files')).apiKey);
      const survey = await api.createSurvey();
      const email = `zebra.quartz.${Date.now()}@example.com`;
      const remark = `unmistakable remark ${Date.now()}`;
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await click(h, (await api.mint(survey.id, `T-${i}`, email)).links[0]!.url));
      await comment(h, ids[0]!, remark);
      // Some other data around it, so the erased rows share pages with rows that stay.
      for (let i = 0; i < 20; i++) await click(h, (await api.mint(survey.id, `K-${i}`, `keep${i}@example.com`)).links[1]!.url);
      expect(inFiles(h.dir, email).length, 'the scan finds the address before the erasure').toBeGreaterThan(0);
      expect(inFiles(h.dir, remark).length, 'the scan finds the comment before the erasure').toBeGreaterThan(0);

      const { json } = await api.call('DELETE', `/respondents/${encodeURIComponent(email)}`, undefined, 200);
      expect(json.responses).toBe(3);
      expect(inFiles(h.dir, email)).toEqual([]);
      expect(inFiles(h.dir, remark)).toEqual([]);
      expect(inFiles(h.dir, 'keep7@example.com').length, 'what was not erased is still there').toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});
