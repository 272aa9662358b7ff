import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHarness } from '../node/harness';
import { Api, click } from '../contract/client';
import { type Audited, audit as auditPage } from './axe';
import { launchChromium, watchedPage } from './chromium';

const PASSWORD = 'correct horse battery';

/**
 * The team app in Chromium: the newcomer's path (setup link → signed in → invite → the member
 * signs in and sees no settings), by keyboard too, and axe on every app page at 1280 px and 360 px.
 */
describe('the team app in Chromium', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  let browser: Browser;
  /** Every page visited, with the width it was checked at and what axe found. */
  const audited: Audited[] = [];

  beforeAll(async () => {
    h = await startNodeHarness();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const audit = (page: Page) => auditPage(page, audited);

  /** A watched page signed in as the first owner of the workspace, through its setup link. */
  async function ownerOf(workspaceId: string, name: string, email: string) {
    const owner = await watchedPage(browser, h.url);
    await owner.page.goto(`${h.url}${new URL(await h.setupLink(workspaceId)).pathname}`);
    await owner.page.getByLabel('Name').fill(name);
    await owner.page.getByLabel('Email address').fill(email);
    await owner.page.getByLabel('Password').fill(PASSWORD);
    await owner.page.getByRole('button', { name: 'Create account and sign in' }).click();
    await owner.page.waitForURL(`${h.url}/app`);
    return owner;
  }

  it('setup → sign in → create a survey → copy a snippet → invite a member → the member signs in and sees no settings; every page passes axe', async () => {
    const ws = await h.newWorkspace('Browser Support');
    const setupPath = new URL(await h.setupLink(ws.id)).pathname;
    const owner = await watchedPage(browser, h.url);
    const page = owner.page;

    await page.goto(`${h.url}${setupPath}`);
    await audit(page);
    // Submitted empty: the error summary names each field and takes the focus's place at the top.
    await page.getByRole('button', { name: 'Create account and sign in' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    await audit(page);
    await page.getByLabel('Name').fill('Olivia Owner');
    await page.getByLabel('Email address').fill('olivia@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account and sign in' }).click();
    await page.waitForURL(`${h.url}/app`);
    expect(await page.locator('h1').textContent()).toBe('Browser Support');
    await audit(page);

    // Sign out, then back in by keyboard alone.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/login\?signed-out=1$/);
    await audit(page);
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    await page.keyboard.type('olivia@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${h.url}/app`);

    // Create a survey: empty first (the error summary), then filled in.
    await page.getByRole('link', { name: 'Surveys' }).click();
    await page.waitForURL(`${h.url}/app/surveys`);
    await audit(page);
    await page.getByRole('button', { name: 'Create survey' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    await audit(page);
    await page.getByLabel('Name').fill('Support');
    await page.getByLabel('Scale').selectOption('csat3');
    await page.getByLabel('Question', { exact: true }).fill('How did we do?');
    await page.getByLabel('Question in Italiano').fill('Com’è andata?');
    await page.getByRole('button', { name: 'Create survey' }).click();
    await page.waitForURL(/\/app\/surveys\/sv_[0-9a-z]+\?done=surveyCreated$/);
    expect(await page.locator('h1').textContent()).toBe('Support');
    await audit(page);

    // Copy a snippet: built by the server, the HTML in a read-only textarea.
    await page.getByRole('link', { name: 'Snippets' }).click();
    await page.waitForURL(`${h.url}/app/snippets`);
    await page.getByLabel('Language').selectOption('it');
    await page.getByLabel('Agent name').fill('Olivia');
    await page.getByRole('button', { name: 'Build snippet' }).click();
    await page.waitForURL(/\/app\/snippets\?survey=sv_/);
    const snippet = await page.getByLabel('HTML to copy').inputValue();
    expect(snippet).toContain('Com’è andata?');
    expect(await page.locator('#snippet-preview a').count()).toBe(3);
    expect(await page.locator('pre.email-text').textContent()).toContain('Com’è andata?');
    await audit(page);

    await page.getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`${h.url}/app/members`);
    await audit(page);
    await page.getByLabel('Email address').fill('marco@example.com');
    await page.getByLabel('Member', { exact: true }).check();
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const inviteUrl = await page.getByLabel('Link to copy').inputValue();
    expect(inviteUrl).toMatch(/^https:\/\/feedback\.example\.com\/app\/invite\/[A-Za-z0-9_-]{43}$/);
    await audit(page);

    await page.getByRole('link', { name: 'Account' }).click();
    await audit(page);
    await page.getByRole('link', { name: 'Sessions' }).click();
    await audit(page);

    // The member, in another browser.
    const member = await watchedPage(browser, h.url);
    await member.page.goto(`${h.url}${new URL(inviteUrl).pathname}`);
    await audit(member.page);
    await member.page.getByLabel('Name').fill('Marco Membro');
    await member.page.getByLabel('Password').fill(PASSWORD);
    await member.page.getByRole('button', { name: 'Join and sign in' }).click();
    await member.page.waitForURL(`${h.url}/app`);
    await audit(member.page);
    const nav = await member.page.getByRole('navigation', { name: 'Main' }).textContent();
    expect(nav).not.toContain('Members');
    expect(nav).not.toContain('Snippets');
    await member.page.getByRole('link', { name: 'Surveys' }).click();
    expect(await member.page.locator('main table').textContent()).toContain('Support');
    expect(await member.page.getByRole('button', { name: 'Create survey' }).count()).toBe(0);
    await audit(member.page);
    const forbidden = await member.page.goto(`${h.url}/app/members`);
    expect(forbidden?.status()).toBe(403);
    await audit(member.page);

    // The owner sees the new member.
    await page.getByRole('link', { name: 'Members' }).click();
    expect(await page.locator('main table').textContent()).toContain('Marco Membro');

    // In Italian.
    const italian = await watchedPage(browser, h.url, { locale: 'it-IT' });
    await italian.page.goto(`${h.url}/app/login`);
    expect(await italian.page.locator('h1').textContent()).toBe('Accedi');
    await audit(italian.page);

    const failing = audited.filter((a) => a.problems.length);
    expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
    // The empty setup form (400) and the member's Members page (403) are answered on purpose;
    // anything else on the console (a CSP violation above all) is a failure.
    const intended = /Failed to load resource: the server responded with a status of (400|403)/;
    for (const watched of [owner, member, italian]) {
      const problems = watched.problems.filter((p) => !intended.test(p));
      expect(problems, problems.join('\n')).toEqual([]);
      await watched.close();
    }
    expect(new Set(audited.map((a) => a.path.replace(/[A-Za-z0-9_-]{43}$/, '…').replace(/sv_[0-9a-z]+$/, 'sv_…')))).toEqual(
      new Set(['/app/setup/…', '/app', '/app/login', '/app/members', '/app/members/invite', '/app/account', '/app/sessions', '/app/invite/…', '/app/surveys', '/app/surveys/sv_…', '/app/snippets']),
    );
  });

  it('Webhooks, API keys and Responses: an admin adds an endpoint and a key (each shown once), reads a response and its clicks; every page passes axe', async () => {
    const ws = await h.newWorkspace('Browser Settings');
    const api = new Api(h, ws.apiKey);
    const survey = await api.createSurvey({ scale: 'csat3' });
    const responseId = await click(h, (await api.mint(survey.id, 'TICKET-42', 'ann@example.com')).links[0]!.url);
    const owner = await ownerOf(ws.id, 'Ada Admin', 'ada@example.com');
    const page = owner.page;
    const before = audited.length;

    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(`${h.url}/app/webhooks`);
    await audit(page);
    // Sent with no event ticked: the error summary names the field.
    await page.getByLabel('URL').fill(`${h.receiverUrl}/hooks/browser`);
    await page.getByLabel('feedback.negative').uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    await audit(page);
    await page.getByLabel('feedback.negative').check();
    await page.getByLabel('feedback.created').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.getByLabel('Secret to copy').inputValue()).toMatch(/^whsec_/);
    await audit(page);
    await page.getByRole('link', { name: 'Back to the endpoint' }).click();
    await page.getByRole('button', { name: 'Send a ping' }).click();
    await expect.poll(() => page.locator('main table').count()).toBe(1);
    await audit(page);
    await page.getByRole('link', { name: 'Delete endpoint' }).click();
    await audit(page);
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.waitForURL(/\/app\/webhooks\?done=endpointDeleted$/);

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('Help desk');
    await page.getByRole('button', { name: 'Create API key' }).click();
    expect(await page.getByLabel('API key to copy').inputValue()).toMatch(/^cbk_/);
    await audit(page);
    await page.getByRole('link', { name: 'Back to API keys' }).click();
    await audit(page);
    await page.getByRole('link', { name: 'Revoke the API key Help desk' }).click();
    await audit(page);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.waitForURL(/\/app\/api-keys\?done=keyRevoked$/);

    await page.getByRole('link', { name: 'Responses' }).click();
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('button', { name: 'Filter' }).click();
    await audit(page);
    await page.getByRole('link', { name: 'Open the response to TICKET-42' }).click();
    await page.waitForURL(`${h.url}/app/responses/${responseId}`);
    expect(await page.locator('main').textContent()).toContain('Clicks and signals');
    await audit(page);
    await page.getByRole('link', { name: 'Mark as robot' }).click();
    await audit(page);
    await page.getByRole('button', { name: 'Mark as robot' }).click();
    await page.waitForURL(`${h.url}/app/responses/${responseId}?done=overridden`);
    expect((await api.response(responseId)).status).toBe('bot');

    const mine = audited.slice(before);
    const failing = mine.filter((a) => a.problems.length);
    expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
    const problems = owner.problems.filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p));
    expect(problems, problems.join('\n')).toEqual([]);
    await owner.close();
    expect(new Set(mine.map((a) => a.path.replace(/(wh|rsp)_[0-9a-z]+/, '…').replace(/key_[0-9a-z]+/, '…')))).toEqual(
      new Set(['/app/webhooks', '/app/webhooks/…', '/app/webhooks/…/delete', '/app/api-keys', '/app/api-keys/…/revoke', '/app/responses', '/app/responses/…', '/app/responses/…/override']),
    );
  });

  it('an owner erases a customer’s data from a response, ticking “never survey again” by keyboard; the outcome counts what went; both pages pass axe', async () => {
    const ws = await h.newWorkspace('Browser Privacy');
    const api = new Api(h, ws.apiKey);
    const survey = await api.createSurvey({ scale: 'csat3' });
    const responseId = await click(h, (await api.mint(survey.id, 'TICKET-7', 'erin@example.com')).links[2]!.url);
    await click(h, (await api.mint(survey.id, 'TICKET-8', 'erin@example.com')).links[0]!.url);
    const owner = await ownerOf(ws.id, 'Pia Privacy', 'pia@example.com');
    const page = owner.page;
    const before = audited.length;

    await page.goto(`${h.url}/app/responses/${responseId}`);
    await page.getByRole('link', { name: 'Erase this customer’s data' }).click();
    await page.waitForURL(`${h.url}/app/responses/${responseId}/erase`);
    expect(await page.locator('main').textContent()).toContain('erin@example.com');
    await audit(page);
    await page.getByLabel('Never survey this address again').focus();
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Never survey this address again').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Erase the data' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('The customer’s data has been erased');
    expect(await page.getByRole('row', { name: /^Responses/ }).textContent()).toBe('Responses2');
    expect(await page.locator('main').textContent()).toContain('The address will not be surveyed again.');
    await audit(page);
    expect(await api.call('GET', `/respondents/${encodeURIComponent('erin@example.com')}`, undefined, 200)).toMatchObject({ json: { responses: [], suppressed: true } });

    const mine = audited.slice(before);
    const failing = mine.filter((a) => a.problems.length);
    expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
    expect(owner.problems, owner.problems.join('\n')).toEqual([]);
    await owner.close();
    expect(new Set(mine.map((a) => a.path.replace(/rsp_[0-9a-z]+/, '…')))).toEqual(new Set(['/app/responses/…/erase']));
  });
});
