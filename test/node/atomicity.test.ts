import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, pathOf } from '../contract/client';
import { startNodeHarness } from './harness';

/**
 * A click is one atomic batch: if any part of it fails, nothing of it is stored. Forced here with a
 * trigger that makes the event insert fail after the response upsert has run.
 */
describe('click atomicity', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  beforeAll(async () => {
    h = await startNodeHarness();
  });
  afterAll(() => h.close());

  it('a failure in the middle of the write leaves no half-written response', async () => {
    const api = new Api(h, (await h.newWorkspace()).apiKey);
    const survey = await api.createSurvey();
    const { links } = await api.mint(survey.id, 'ATOM-1', 'atom@example.com');
    await h.db.$client.execute(`CREATE TRIGGER fail_events BEFORE INSERT ON response_events BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    try {
      const res = await h.fetch(pathOf(links[0]!.url), { headers: BROWSER_HEADERS });
      const html = await res.text();
      expect(res.status, html).toBe(500);
      expect(html).toContain('Something went wrong');
      expect(html).not.toContain('disk on fire');
    } finally {
      await h.db.$client.execute('DROP TRIGGER fail_events');
    }
    const count = await h.db.$client.execute('SELECT count(*) AS n FROM responses');
    expect(Number(count.rows[0]!.n)).toBe(0);
  });
});
