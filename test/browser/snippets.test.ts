import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCALES, scaleAnswers, type Scale } from '../../schema/scales';
import { HELPDESK_PRESETS, PRESET_NAMES, SNIPPET_STYLES } from '../../worker/lib/helpdesk-presets';
import { Api } from '../contract/client';
import { startNodeHarness } from '../node/harness';
import { launchChromium } from './chromium';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/snippets');
const PUBLIC = 'https://feedback.example.com';
/** A page on its own secure origin with no CSP, standing in for a signature editor. */
const EDITOR = 'https://editor.test/';
const MAIL = 'https://mail.test/';
const EDITOR_HTML = `<!doctype html><html><head><meta name="viewport" content="width=device-width"><style>:root{color-scheme:light dark}body{margin:12px;font:14px Arial,sans-serif}#ed{min-height:40px;outline:1px dashed #888;padding:8px}</style></head><body><div id="ed" contenteditable="true"></div></body></html>`;

interface SnippetJson {
  html: string;
  text: string;
  links: { score: number; url: string }[];
}

describe('snippets in Chromium', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  let api: Api;
  let apiKey = '';
  let browser: Browser;
  const surveys = {} as Record<Scale, string>;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await startNodeHarness();
    apiKey = (await h.newWorkspace('Browser')).apiKey;
    api = new Api(h, apiKey);
    for (const scale of SCALES) surveys[scale] = (await api.createSurvey({ scale, name: `Support ${scale}`, question: { en: 'How did we do?', it: 'Com’è andata?' } })).id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** A context where the public origin is the test server and the editor and mail pages exist. */
  async function context(colorScheme: 'light' | 'dark' = 'light'): Promise<{ context: BrowserContext; problems: string[] }> {
    const ctx = await browser.newContext({ colorScheme, locale: 'en-GB' });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: EDITOR.slice(0, -1) });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    await ctx.route(`${PUBLIC}/**`, async (route) => {
      const url = new URL(route.request().url());
      route.fulfill({ response: await route.fetch({ url: `${h.url}${url.pathname}${url.search}`, maxRedirects: 0 }) });
    });
    await ctx.route(`${EDITOR}**`, (route) => route.fulfill({ contentType: 'text/html', body: EDITOR_HTML }));
    const problems: string[] = [];
    ctx.on('page', (page) => watch(page, problems));
    return { context: ctx, problems };
  }

  function watch(page: Page, problems: string[]) {
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  }

  /** Pastes `snippet` through the system clipboard into the editor, as a person would. */
  async function paste(page: Page, snippet: SnippetJson) {
    await page.evaluate(async ({ html, text }) => {
      document.getElementById('ed')!.innerHTML = '';
      await navigator.clipboard.write([new ClipboardItem({ 'text/html': new Blob([html], { type: 'text/html' }), 'text/plain': new Blob([text], { type: 'text/plain' }) })]);
    }, snippet);
    await page.click('#ed');
    await page.keyboard.press('ControlOrMeta+V');
    await page.waitForFunction(() => document.querySelectorAll('#ed a').length > 0);
    // Images load from the (routed) public origin.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#ed img')].every((img) => img.complete));
    return page.evaluate(() => ({
      links: [...document.querySelectorAll('#ed a')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent })),
      images: [...document.querySelectorAll<HTMLImageElement>('#ed img')].map((img) => ({ alt: img.alt, width: img.naturalWidth, shown: img.getBoundingClientRect().width })),
      text: document.getElementById('ed')!.innerText,
    }));
  }

  it('every scale x style x preset survives a paste into a contenteditable editor: links, faces, numbers', async () => {
    const { context: ctx, problems } = await context();
    const page = await ctx.newPage();
    await page.goto(EDITOR);
    try {
      for (const scale of SCALES) {
        for (const style of SNIPPET_STYLES) {
          for (const preset of PRESET_NAMES) {
            const where = `${scale}/${style}/${preset}`;
            const snippet = (await api.call('POST', '/snippets', { survey: surveys[scale], preset, style, agent: 'Maria' }, 201)).json as SnippetJson;
            const pasted = await paste(page, snippet);
            expect(pasted.links.map((l) => l.href), where).toEqual(snippet.links.map((l) => l.url));
            expect(pasted.text, where).toContain('How did we do?');
            expect(pasted.text, where).toContain('Maria');
            const numeric = scale === 'nps' || scale === 'ces7';
            if (style === 'image' && !numeric) {
              expect(pasted.images, where).toHaveLength(scaleAnswers(scale).length);
              for (const img of pasted.images) {
                expect(img.width, `${where}: ${img.alt} loaded at 2x`).toBe(72);
                expect(img.shown, where).toBe(36);
                expect(img.alt).toMatch(/\p{Extended_Pictographic}/u);
              }
            } else if (style === 'emoji' && !numeric) {
              for (const link of pasted.links) expect(link.text, where).toMatch(/\p{Extended_Pictographic}/u);
            } else if (numeric) {
              expect(pasted.links.map((l) => l.text), where).toEqual(scaleAnswers(scale).map(String));
            }
            if (preset === 'zendesk-macro') {
              for (const width of [600, 360]) {
                await page.setViewportSize({ width, height: 400 });
                await page.locator('#ed').screenshot({ path: join(ARTIFACTS, `${scale}-${style}-${width}-light.png`) });
              }
            }
          }
        }
      }
      // A pasted link still works once the helpdesk substitutes its placeholders, and when it does not.
      const snippet = (await api.call('POST', '/snippets', { survey: surveys.csat3, preset: 'zendesk-macro', style: 'image' }, 201)).json as SnippetJson;
      const pasted = await paste(page, snippet);
      // Opened on the test server's origin (PUBLIC_URL is not a real host here).
      const href = pasted.links[2]!.href!.replace(PUBLIC, h.url);
      await page.goto(href.replace('{{ticket.id}}', 'TCK-9').replace('{{ticket.requester.email}}', 'ann@example.com'));
      expect(page.url()).toMatch(/\/t\/rsp_/);
      expect(await page.textContent('body')).toContain('Thank you for your feedback');
      await page.goto(href);
      expect(page.url()).toMatch(/\/t\/rsp_/);
      // Anonymous (nothing substituted): the page offers the optional email or ticket number.
      await page.setViewportSize({ width: 360, height: 800 });
      await page.fill('#contact', 'TCK-77');
      await page.screenshot({ path: join(ARTIFACTS, 'thank-you-anonymous-360-light.png'), fullPage: true });
      await page.click('form[action$="/contact"] button');
      expect(await page.textContent('body')).toContain('we have connected your answer');
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('in dark mode the pasted snippets stay readable (screenshots)', async () => {
    const { context: ctx, problems } = await context('dark');
    const page = await ctx.newPage();
    await page.goto(EDITOR);
    try {
      for (const scale of SCALES) {
        for (const style of SNIPPET_STYLES) {
          const snippet = (await api.call('POST', '/snippets', { survey: surveys[scale], preset: 'zendesk-macro', style, agent: 'Maria' }, 201)).json as SnippetJson;
          await paste(page, snippet);
          // Every text and link reads at WCAG AA contrast (4.5:1) against what is behind it.
          const ratios = await page.evaluate(() => {
            const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
            const lum = ([r, g, b]: number[]) => {
              const f = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
              return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
            };
            const behind = (el: Element | null): string => {
              for (; el; el = el.parentElement) {
                const bg = getComputedStyle(el).backgroundColor;
                const parts = rgb(bg);
                if (parts.length === 3 || (parts.length === 4 && parts[3]! > 0)) return bg;
              }
              return getComputedStyle(document.documentElement).backgroundColor;
            };
            return [...document.querySelectorAll('#ed a, #ed b, #ed td > div, #ed td')]
              .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && /[\p{L}\p{N}]/u.test(n.textContent ?? '')))
              .map((el) => {
                const a = lum(rgb(getComputedStyle(el).color));
                const b = lum(rgb(behind(el)));
                return { text: el.textContent, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
              });
          });
          expect(ratios.length, `${scale}/${style}`).toBeGreaterThanOrEqual(2);
          for (const r of ratios) expect(r.ratio, `${scale}/${style}: "${r.text}"`).toBeGreaterThanOrEqual(4.5);
          for (const width of [600, 360]) {
            await page.setViewportSize({ width, height: 400 });
            await page.locator('#ed').screenshot({ path: join(ARTIFACTS, `${scale}-${style}-${width}-dark.png`) });
          }
        }
      }
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the snippet page: key typed in, live preview, copy button, strict CSP', async () => {
    const { context: ctx, problems } = await context();
    const page = await ctx.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      const res = await page.goto(`${h.url}/snippets`);
      expect(res!.headers()['content-security-policy']).toMatch(/script-src 'sha256-[^']+'; style-src-elem 'sha256-[^']+'/);
      expect(res!.headers()['content-security-policy']).not.toMatch(/script-src[^;]*unsafe/);
      await page.fill('#key', apiKey);
      await page.click('button[type=submit]');
      await page.waitForSelector('#builder:not([hidden])');
      await page.selectOption('#survey', surveys.csat5);
      await page.selectOption('#preset', 'helpscout');
      await page.selectOption('#style', 'image');
      await page.waitForFunction(() => document.querySelectorAll('#preview img').length === 5);
      expect(await page.inputValue('#source')).toContain('t={%conversation.number%}');
      expect(await page.textContent('#preset-info')).toContain('{%customer.email%}');
      await page.setViewportSize({ width: 600, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, 'page-600-light.png'), fullPage: true });
      await page.click('#copy');
      await expect.poll(() => page.textContent('#status')).toContain('Copied');
      const copied = await page.evaluate(async () => {
        const [item] = await navigator.clipboard.read();
        return (await item!.getType('text/html')).text();
      });
      expect(copied).toContain('/f/love.png');
      // The key never went into an address.
      for (const url of requests) expect(url).not.toContain(apiKey);
      // A wrong key is refused and says so.
      await page.goto(`${h.url}/snippets`);
      await page.fill('#key', 'cbk_wrong');
      await page.click('button[type=submit]');
      await expect.poll(() => page.textContent('#status')).not.toBe('');
      expect(await page.isHidden('#builder')).toBe(true);
      expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the survey email renders in Chromium at 600 and 360 px, light and dark', async () => {
    const { json: email } = await api.call('POST', '/emails/render', { survey: surveys.csat3, subject: 'TICKET-1', recipient: 'ann@example.com', brand: { color: '#5b2a86' } }, 200);
    for (const colorScheme of ['light', 'dark'] as const) {
      const { context: ctx, problems } = await context(colorScheme);
      await ctx.route(`${MAIL}**`, (route) => route.fulfill({ contentType: 'text/html', body: email.html }));
      const page = await ctx.newPage();
      try {
        await page.goto(MAIL);
        for (const width of [600, 360]) {
          await page.setViewportSize({ width, height: 700 });
          const links = await page.$$eval('a[href]', (as) => as.map((a) => ({ href: a.getAttribute('href'), w: a.getBoundingClientRect().width })));
          expect(links.filter((l) => l.href!.startsWith(PUBLIC))).toHaveLength(3);
          for (const l of links) expect(l.w).toBeGreaterThan(0);
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await page.screenshot({ path: join(ARTIFACTS, `email-${width}-${colorScheme}.png`), fullPage: true });
        }
        expect(problems).toEqual([]);
      } finally {
        await ctx.close();
      }
    }
  });
});

// Every preset is exercised above; keep the import honest if presets change shape.
void HELPDESK_PRESETS;
