import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../contract/client';
import { startNodeHarness } from '../node/harness';
import { launchChromium, watchedPage } from './chromium';

/**
 * Counting people, not scanners, in a real browser. The Node service sits behind one trusted
 * proxy (TRUST_PROXY=1), so a page opened "from a scanner network" is simulated by sending
 * X-Forwarded-For with an address in Microsoft's Exchange Online range.
 */
describe('counting humans in Chromium', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  let api: Api;
  let browser: Browser;

  beforeAll(async () => {
    h = await startNodeHarness({ TRUST_PROXY: '1' });
    api = new Api(h, (await h.newWorkspace('Browser humans')).apiKey);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  let seq = 0;
  async function link(score: number) {
    const survey = await api.createSurvey({ scale: 'csat3' });
    const minted = await api.mint(survey.id, `BH-${++seq}`, `bh${seq}@example.com`);
    return `${h.url}${new URL(minted.links.find((l) => l.score === score)!.url).pathname}`;
  }

  const open = (options: BrowserContextOptions = {}) => watchedPage(browser, h.url, options);

  const statusOf = async (id: string) => (await api.response(id)).status as string;

  /** A browser a few years old (an in-app WebView, say): not a strong sign, so its click waits. */
  const OLDER = { userAgent: 'Mozilla/5.0 (Linux; Android 12; Pixel 6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.5481.153 Mobile Safari/537.36' };

  it('opening a link from a current browser counts at once, with no script on the page', async () => {
    const { page, problems, close } = await open();
    try {
      await page.goto(await link(2));
      const id = new URL(page.url()).pathname.split('/')[2]!;
      expect(await api.response(id)).toMatchObject({ status: 'counted', events: [{ reason: 'human-navigation' }] });
      expect(await page.locator('script').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('opening a link and interacting counts (the page script confirms; its CSP hash holds)', async () => {
    const { page, problems, close } = await open(OLDER);
    try {
      await page.goto(await link(1));
      const id = new URL(page.url()).pathname.split('/')[2]!;
      expect(await statusOf(id)).toBe('pending');
      expect(await page.getByRole('button', { name: 'Confirm my answer' }).isVisible()).toBe(true);
      await page.mouse.click(5, 5); // anywhere: a pointer event
      await expect.poll(() => statusOf(id), { timeout: 5000 }).toBe('counted');
      await expect.poll(() => page.locator('#cf').isHidden()).toBe(true);
      const r = await api.response(id);
      expect(r.events.map((e: { kind: string; status: string }) => [e.kind, e.status])).toEqual([['created', 'counted'], ['confirmed', 'counted']]);
      expect(r.events[1].reason).toBe('human-interaction:pointerdown');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('opening it from a scanner network does not count, even when the scanner interacts', async () => {
    const { page, problems, close } = await open({ extraHTTPHeaders: { 'x-forwarded-for': '40.94.12.34' } });
    try {
      await page.goto(await link(1));
      const id = new URL(page.url()).pathname.split('/')[2]!;
      await page.waitForTimeout(300);
      expect(await statusOf(id)).toBe('bot');
      expect((await api.responses(`?subject=BH-${seq}`)).data).toEqual([]);
      await page.mouse.click(5, 5);
      await page.keyboard.press('Tab');
      await page.waitForTimeout(500);
      const r = await api.response(id);
      expect(r.status).toBe('bot');
      expect(r.events.at(-1)).toMatchObject({ kind: 'confirmed', status: 'bot', reason: expect.stringMatching(/^network:microsoft/) });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('with JavaScript disabled, the confirm button counts the answer', async () => {
    const { page, close } = await open({ ...OLDER, javaScriptEnabled: false });
    try {
      await page.goto(await link(3));
      const id = new URL(page.url()).pathname.split('/')[2]!;
      expect(await statusOf(id)).toBe('pending');
      await page.getByRole('button', { name: 'Confirm my answer' }).click();
      await page.waitForURL(`**/t/${id}?confirmed=1`);
      expect(await page.getByRole('status').innerText()).toContain('confirmed');
      expect(await statusOf(id)).toBe('counted');
    } finally {
      await close();
    }
  });
});
