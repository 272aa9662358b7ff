import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../contract/client';
import { startNodeHarness } from '../node/harness';
import { launchChromium, watchedPage } from './chromium';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

describe('thank-you page in Chromium', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  let api: Api;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await startNodeHarness();
    api = new Api(h, (await h.newWorkspace('Browser')).apiKey);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  let seq = 0;
  /** Links of a fresh message, pointed at the test server instead of PUBLIC_URL. */
  async function links(scale = 'csat3', question: unknown = { en: 'How did we do?', it: 'Com’è andata?' }) {
    const survey = await api.createSurvey({ scale, question });
    const minted = await api.mint(survey.id, `BR-${++seq}`, `browser${seq}@example.com`);
    return (score: number) => {
      const url = new URL(minted.links.find((l) => l.score === score)!.url);
      return `${h.url}${url.pathname}`;
    };
  }

  const open = (options: BrowserContextOptions = {}) => watchedPage(browser, h.url, options);

  const responseIdOf = (page: Page) => new URL(page.url()).pathname.split('/')[2]!;

  it('records a click, changes the answer and stores a comment', async () => {
    const link = await links();
    const { page, problems, close } = await open();
    try {
      await page.goto(link(1));
      expect(page.url()).toMatch(/\/t\/rsp_[0-9a-z]+$/); // the token left the address bar
      await expect.poll(() => page.getByText('How did we do?').isVisible()).toBe(true);
      expect(await page.locator('[aria-current="true"]').innerText()).toContain('Bad');
      const id = responseIdOf(page);
      expect((await api.response(id)).score).toBe(1);

      await page.getByRole('link', { name: 'Great' }).click();
      await page.waitForURL(`**/t/${id}`);
      expect(await page.locator('[aria-current="true"]').innerText()).toContain('Great');
      expect((await api.response(id)).score).toBe(3);

      await page.getByLabel('Anything you would like to add?').fill('<b>hi</b> & bye');
      await page.getByRole('button', { name: 'Send comment' }).click();
      await page.waitForURL(`**/t/${id}?saved=1`);
      expect(await page.getByRole('status').innerText()).toContain('received your comment');
      expect(await page.getByLabel('Anything you would like to add?').inputValue()).toBe('<b>hi</b> & bye');
      expect(await page.locator('b').count()).toBe(0); // shown as text, never as markup
      expect((await api.response(id)).comment).toBe('<b>hi</b> & bye');
      await page.screenshot({ path: join(ARTIFACTS, 'thank-you-desktop-light.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('works with the keyboard alone', async () => {
    const link = await links();
    const { page, close } = await open();
    try {
      await page.goto(link(2));
      const id = responseIdOf(page);
      const reached: string[] = [];
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Tab');
        reached.push(await page.evaluate(() => document.activeElement?.tagName ?? ''));
        if (reached.at(-1) === 'TEXTAREA') break;
      }
      expect(reached).toContain('A');
      expect(reached.at(-1)).toBe('TEXTAREA');
      await page.keyboard.type('Typed with the keyboard');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/t/${id}?saved=1`);
      expect((await api.response(id)).comment).toBe('Typed with the keyboard');
    } finally {
      await close();
    }
  });

  it('fits a 360 px phone without horizontal scrolling, in light and dark', async () => {
    const link = await links('nps', 'How likely are you to recommend us to a friend or colleague?');
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, problems, close } = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, colorScheme });
      try {
        await page.goto(link(colorScheme === 'light' ? 6 : 10));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        await page.screenshot({ path: join(ARTIFACTS, `thank-you-360-${colorScheme}.png`), fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it('speaks Italian to an Italian browser', async () => {
    const link = await links();
    const { page, close } = await open({ locale: 'it-IT' });
    try {
      await page.goto(link(3));
      expect(await page.locator('h1').innerText()).toBe('Grazie per il tuo feedback');
      expect(await page.getByText('Com’è andata?').isVisible()).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'thank-you-it-dark.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  it('submits a comment with JavaScript disabled', async () => {
    const link = await links();
    const { page, close } = await open({ javaScriptEnabled: false });
    try {
      await page.goto(link(1));
      const id = responseIdOf(page);
      await page.getByLabel('Anything you would like to add?').fill('No JavaScript here');
      await page.getByRole('button', { name: 'Send comment' }).click();
      await page.waitForURL(`**/t/${id}?saved=1`);
      expect((await api.response(id)).comment).toBe('No JavaScript here');
    } finally {
      await close();
    }
  });
});
