import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHarness } from '../node/harness';
import { Api, click, comment } from '../contract/client';
import { accessibilityProblems, WIDTHS } from './axe';
import { launchChromium, watchedPage } from './chromium';

const PASSWORD = 'correct horse battery';

/**
 * The dashboard and the feed in Chromium (issue 15), in English and in Italian: axe at 1280 and
 * 360 px (no serious or critical violation, nothing scrolling sideways), the charts drawn within
 * the strict CSP (no console error), the period picker without script, a bar of the chart and an
 * agent's row leading to the responses behind them, the Export button downloading the view.
 */
describe('Reports in Chromium', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  let browser: Browser;
  const audited: { path: string; locale: string; width: number; problems: string[] }[] = [];

  beforeAll(async () => {
    h = await startNodeHarness();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function audit(page: Page, locale: string) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const problems = await accessibilityProblems(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) {
        const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth || e.scrollWidth > e.clientWidth + 1).slice(-4).map((e) => `${Math.round(e.getBoundingClientRect().right)}/${e.scrollWidth}/${e.clientWidth} ${e.outerHTML.slice(0, 100)}`));
        problems.push(`scrolls sideways by ${overflow}px at ${width}px: ${page.url()} ${wide.join(' | ')}`);
      }
      audited.push({ path: new URL(page.url()).pathname, locale, width, problems });
    }
  }

  it('the dashboard and the feed pass axe at both widths in English and Italian; bars, rows and Export lead to the responses', async () => {
    const ws = await h.newWorkspace('Reports Co');
    const api = new Api(h, ws.apiKey);
    const survey = await api.createSurvey({ scale: 'csat5', name: 'Ticket closed' });
    let n = 0;
    for (const [agent, scores] of [['Maria', [5, 5, 4, 5, 3, 5]], ['Luca', [2, 4, 5, 1, 4]], ['Noah', [5]]] as const) {
      for (const score of scores) {
        const minted = await api.mint(survey.id, `T-${++n}`, `customer${n}@example.com`, { agent });
        const id = await click(h, minted.links.find((l) => l.score === score)!.url);
        if (score <= 2) await comment(h, id, 'Ci ho messo tre giorni: too slow.');
      }
    }
    await h.settle();

    const owner = await watchedPage(browser, h.url);
    const page = owner.page;
    await page.goto(`${h.url}${new URL(await h.setupLink(ws.id)).pathname}`);
    await page.getByLabel('Name').fill('Olivia Owner');
    await page.getByLabel('Email address').fill('olivia@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account and sign in' }).click();
    await page.waitForURL(`${h.url}/app`);

    for (const locale of ['en', 'it'] as const) {
      const t = locale === 'en' ? { nav: 'Reports', open: 'Open the report of Ticket closed', show: 'Show', period: 'Period', export: 'Export CSV' } : { nav: 'Report', open: 'Apri il report di Ticket closed', show: 'Mostra', period: 'Periodo', export: 'Esporta CSV' };
      if (locale === 'it') {
        await page.goto(`${h.url}/app/account`);
        await page.getByLabel('Language').selectOption('it');
        await page.getByRole('button', { name: 'Save', exact: true }).click();
        await page.waitForURL(/\/app\/account\?done=saved$/);
      }
      await page.getByRole('navigation').getByRole('link', { name: t.nav, exact: true }).click();
      await page.waitForURL(`${h.url}/app/reports`);
      await audit(page, locale);
      await page.getByRole('link', { name: t.open }).click();
      await page.waitForURL(`${h.url}/app/reports/${survey.id}`);
      expect(await page.locator('svg[role="img"]').count()).toBe(2);
      await audit(page, locale);
      // The period picker is a plain GET form.
      await page.getByLabel(t.period, { exact: true }).selectOption('90d');
      await page.getByRole('button', { name: t.show }).click();
      await page.waitForURL(new RegExp(`/app/reports/${survey.id}\\?period=90d`));
      await audit(page, locale);
      // A bad custom period: the page says which field, with a 400.
      const bad = await page.goto(`${h.url}/app/reports/${survey.id}?period=custom&from=2026-02-30&to=2026-03-01`);
      expect(bad?.status()).toBe(400);
      await audit(page, locale);
      await page.goto(`${h.url}/app/reports/${survey.id}`);
      // The mouse's bar of the distribution chart leads to the responses with that answer.
      const bar = page.locator('.chart-links a').last();
      await page.setViewportSize({ width: 1280, height: 900 });
      await bar.click();
      await page.waitForURL(/\/app\/responses\?survey=sv_[0-9a-z]+&score=5&from=/);
      expect(await page.getByRole('link', { name: /T-\d+/ }).count()).toBe(6);
      await audit(page, locale);
      await page.goBack();
      // An agent's row leads to the agent's responses.
      await page.locator('table.agents').getByRole('link', { name: /Luca/ }).click();
      await page.waitForURL(/\/app\/responses\?survey=sv_[0-9a-z]+&agent=Luca&from=/);
      expect(await page.getByRole('link', { name: /T-\d+/ }).count()).toBe(5);
      await audit(page, locale);
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: t.export }).click();
      const file = await (await download).createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of file) chunks.push(chunk as Buffer);
      const csv = Buffer.concat(chunks).toString('utf8');
      expect(csv.trim().split(/\r?\n/)).toHaveLength(1 + 5);
      expect(csv).toContain('Ci ho messo tre giorni: too slow.');
    }

    const failing = audited.filter((a) => a.problems.length);
    expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
    const problems = owner.problems.filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p));
    expect(problems, problems.join('\n')).toEqual([]);
    await owner.close();
    // Two languages × seven pages × two widths of axe on a machine shared with other test runs.
  }, 240_000);
});
