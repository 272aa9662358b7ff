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

  it('behind a trusted proxy (TRUST_PROXY=1) takes the address from X-Forwarded-For, and finds scanner networks by it', async () => {
    const proxied = await startNodeHarness({ TRUST_PROXY: '1' });
    try {
      const a = new Api(proxied, (await proxied.newWorkspace()).apiKey);
      const survey = await a.createSurvey();
      const { links } = await a.mint(survey.id, 'IP-2', 'ip2@example.com');
      const id = await click(proxied, links[0]!.url, { ...BROWSER_HEADERS, 'x-forwarded-for': '6.6.6.6, 40.94.12.34' });
      const r = await a.response(id);
      expect(r.events[0].signals.ipPrefix).toBe('40.94.12.0/24');
      expect(r).toMatchObject({ status: 'bot', events: [{ status: 'bot', reason: 'network:microsoft' }] });
    } finally {
      await proxied.close();
    }
  });

  it.each([
    ['TRUST_PROXY=1 alone ignores CF-Connecting-IP (a client can send it)', { TRUST_PROXY: '1' }, '203.0.113.0/24'],
    ['TRUST_PROXY=1 with TRUST_PROXY_CLOUDFLARE=1 takes CF-Connecting-IP', { TRUST_PROXY: '1', TRUST_PROXY_CLOUDFLARE: '1' }, '40.94.12.0/24'],
  ])('%s', async (_name, env, prefix) => {
    const proxied = await startNodeHarness(env);
    try {
      const a = new Api(proxied, (await proxied.newWorkspace()).apiKey);
      const survey = await a.createSurvey();
      const { links } = await a.mint(survey.id, 'IP-3', 'ip3@example.com');
      const id = await click(proxied, links[0]!.url, { ...BROWSER_HEADERS, 'x-forwarded-for': '203.0.113.9', 'cf-connecting-ip': '40.94.12.34' });
      expect((await a.response(id)).events[0].signals.ipPrefix).toBe(prefix);
    } finally {
      await proxied.close();
    }
  });
});

