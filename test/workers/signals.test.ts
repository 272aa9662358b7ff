import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, pathOf } from '../contract/client';
import { startWorkersHarness } from './harness';

/**
 * What only the Workers runtime shows: Cloudflare's `request.cf` and CF-Connecting-IP reach the
 * event, and a click costs one round trip to the database (Turso bills and waits per request).
 */
describe('clicks on Workers', () => {
  let h: Awaited<ReturnType<typeof startWorkersHarness>>;
  let api: Api;
  beforeAll(async () => {
    h = await startWorkersHarness();
    api = new Api(h, (await h.newWorkspace()).apiKey);
  });
  afterAll(() => h.close());

  it('records the network from request.cf and the truncated CF-Connecting-IP', async () => {
    const survey = await api.createSurvey();
    const { links } = await api.mint(survey.id, 'CF-1', 'cf@example.com');
    const init = {
      headers: { ...BROWSER_HEADERS, 'cf-connecting-ip': '40.94.12.34' },
      cf: { asn: 8075, asOrganization: 'Microsoft Corporation', country: 'IE' },
    } as RequestInit;
    const res = await h.fetch(pathOf(links[0]!.url), init);
    expect(res.status).toBe(303);
    const id = res.headers.get('location')!.slice(3);
    const [event] = (await api.response(id)).events;
    expect(event.signals).toMatchObject({ ipPrefix: '40.94.12.0/24', asn: 8075, asOrganization: 'Microsoft Corporation', country: 'IE' });
  });

  it('costs exactly one database round trip per click, a repeated click included', async () => {
    const survey = await api.createSurvey();
    const { links } = await api.mint(survey.id, 'RT-1', 'rt@example.com');
    await h.fetch('/readyz'); // the client's first request also probes the protocol version
    for (const [score, label] of [[0, 'first click'], [0, 'same click again'], [2, 'changed answer']] as const) {
      const before = await h.roundTrips();
      const res = await h.fetch(pathOf(links[score]!.url), { headers: BROWSER_HEADERS });
      expect(res.status, label).toBe(303);
      expect((await h.roundTrips()) - before, label).toBe(1);
    }
  });

  it('a link with segment properties: still one round trip a click, and the response and the aggregates carry them', async () => {
    const survey = await api.createSurvey({ scale: 'nps' });
    const properties = { organization: 'ACME srl', project: 'P-12', team: 'tier-2' };
    const { links } = await api.mint(survey.id, 'RT-P', 'rtp@example.com', { agent: 'maria', properties });
    await h.fetch('/readyz');
    let id = '';
    for (const [score, label] of [[9, 'first click'], [9, 'same click again'], [3, 'changed answer']] as const) {
      const before = await h.roundTrips();
      const res = await h.fetch(pathOf(links[score]!.url), { headers: BROWSER_HEADERS });
      expect(res.status, label).toBe(303);
      expect((await h.roundTrips()) - before, label).toBe(1);
      id = res.headers.get('location')!.slice(3);
    }
    expect((await api.response(id)).properties).toEqual(properties);
    const counts = await h.query(`SELECT name, value, score, status, n FROM reports_property_counts WHERE survey_id = ? AND n <> 0 ORDER BY name`, [survey.id]);
    expect(counts).toEqual(['organization', 'project', 'team'].map((name) => ({ name, value: properties[name as keyof typeof properties], score: 3, status: 'counted', n: 1 })));
  });
});
