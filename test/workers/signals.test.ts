import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, pathOf } from '../contract/client';
import type { Harness } from '../contract/harness';
import { startWorkersHarness } from './harness';

/** The Workers adapter's signals: Cloudflare's `request.cf` and CF-Connecting-IP reach the event. */
describe('click signals on Workers', () => {
  let h: Harness;
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
});
