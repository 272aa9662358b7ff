import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, pathOf } from '../contract/client';
import { followUpsContract } from '../contract/followups.contract';
import { startWorkersHarness } from './harness';

// Events go out at once: the settle windows have their own tests (test/contract/humans.contract.ts).
followUpsContract(() => startWorkersHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));

describe('follow-ups on Workers', () => {
  let h: Awaited<ReturnType<typeof startWorkersHarness>>;
  let api: Api;
  beforeAll(async () => {
    h = await startWorkersHarness();
    api = new Api(h, (await h.newWorkspace()).apiKey);
  });
  afterAll(() => h.close());

  // No endpoint here: a click that queues deliveries starts their first attempt in the background,
  // whose own round trips would be counted too (the contract proves the events).
  it('a click that opens, logs or reopens a follow-up is still ONE database round trip', async () => {
    const survey = await api.createSurvey({ scale: 'nps', name: 'Round trips' });
    await api.call('PATCH', `/surveys/${survey.id}`, { followUps: 'negative-and-neutral' }, 200);
    const { links } = await api.mint(survey.id, 'FU-RT', 'rt@example.com');
    await h.fetch('/readyz'); // the client's first request also probes the protocol version
    let responseId = '';
    for (const [score, label] of [[1, 'opens a follow-up'], [1, 'same click again'], [7, 'change of answer (logged)'], [10, 'positive: stays, logged'], [0, 'negative again: reopens']] as const) {
      h.advanceClock(60_000);
      if (score === 0) {
        const [fu] = await h.query('SELECT id FROM followups WHERE response_id = ?', [responseId]);
        await api.call('PATCH', `/followups/${fu!.id}`, { status: 'resolved', resolution: { rootCause: 'other', solved: true } }, 200);
      }
      const before = await h.roundTrips();
      const res = await h.fetch(pathOf(links[score]!.url), { headers: BROWSER_HEADERS });
      expect(res.status, label).toBe(303);
      expect((await h.roundTrips()) - before, label).toBe(1);
      responseId = res.headers.get('location')!.slice(3);
    }
    const rows = await h.query('SELECT f.priority, count(l.id) AS entries FROM followups f JOIN followup_log l ON l.followup_id = f.id WHERE f.response_id = ? GROUP BY f.id', [responseId]);
    // created, answer 1→7, 7→10, resolved, its resolution, answer 10→0, reopened.
    expect(rows).toEqual([{ priority: 'high', entries: 7 }]);
    expect(await h.query('SELECT status FROM followups WHERE response_id = ?', [responseId])).toEqual([{ status: 'open' }]);
  });
});
