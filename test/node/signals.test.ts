import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, click } from '../contract/client';
import { startNodeHarness } from './harness';

/** The Node adapter's signals: the socket's address, truncated; forwarded headers are not trusted. */
describe('click signals on Node', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  let api: Api;
  beforeAll(async () => {
    h = await startNodeHarness();
    api = new Api(h, (await h.newWorkspace()).apiKey);
  });
  afterAll(() => h.close());

  it('records the truncated socket address and ignores X-Forwarded-For', async () => {
    const survey = await api.createSurvey();
    const { links } = await api.mint(survey.id, 'IP-1', 'ip@example.com');
    const id = await click(h, links[0]!.url, { ...BROWSER_HEADERS, 'x-forwarded-for': '40.94.12.34', 'cf-connecting-ip': '40.94.12.34' });
    const [event] = (await api.response(id)).events;
    expect(event.signals.ipPrefix).toMatch(/^(127\.0\.0\.0\/24|0:0:0::\/48)$/);
    expect(event.signals.asn).toBeNull();
  });
});
