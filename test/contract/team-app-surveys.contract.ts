import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, click, page, pathOf } from './client';
import type { Harness } from './harness';
import { PASSWORD, Visitor } from './team-app.contract';

/** A form that creates a survey: every field filled, `over` replacing some. */
function surveyForm(over: Record<string, string> = {}): Record<string, string> {
  return { name: 'Support', scale: 'csat5', locale: 'it', question: 'Com’è andata?', 'translation-en': 'How did we do?', 'translation-it': '', 'translation-de': '', 'translation-fr': '', 'translation-es': '', ...over };
}

/** The survey id a create redirected to. */
function createdId(location: string | null): string {
  const id = /^\/app\/surveys\/(sv_[0-9a-z]+)\?done=surveyCreated$/.exec(location ?? '')?.[1];
  expect(id, `location ${location}`).toBeTruthy();
  return id!;
}

/**
 * The team app's Surveys pages (issue 14): list, create, edit the question and its translations,
 * archive and reopen; what archiving means for links and the API; roles and workspace isolation.
 * Runs on Node and inside workerd.
 */
export function teamAppSurveysContract(start: () => Promise<Harness>) {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A workspace with a signed-in owner, a signed-in member and an API client. */
  async function workspace() {
    const ws = await h.newWorkspace(`Acme ${++seq}`);
    const owner = new Visitor(h);
    const done = await owner.post(pathOf(await h.setupLink(ws.id)), { name: 'Olivia Owner', email: `owner-${seq}@example.com`, password: PASSWORD }, { withToken: false });
    expect(done.status, done.describe).toBe(303);
    const member = new Visitor(h);
    const joined = await member.post(pathOf(await h.inviteLink(ws.id, `member-${seq}@example.com`, 'member')), { name: 'Mo Member', password: PASSWORD }, { withToken: false });
    expect(joined.status, joined.describe).toBe(303);
    await owner.get('/app/surveys');
    await member.get('/app/surveys');
    return { ws, owner, member, api: new Api(h, ws.apiKey) };
  }

  describe('/app/surveys', () => {
    describe('happy path', () => {
      it('an owner creates a survey with translations; the list and the API show it', async () => {
        const { owner, api } = await workspace();
        const created = await owner.post('/app/surveys', surveyForm({ 'translation-de': 'Wie war es?' }));
        expect(created.status, created.describe).toBe(303);
        const id = createdId(created.location);
        const shown = await owner.get(created.location!);
        expect(shown.status, shown.describe).toBe(200);
        expect(shown.text).toContain('The survey was created.');
        expect(shown.text).toContain('value="Wie war es?"');
        const list = await owner.get('/app/surveys');
        expect(list.text, list.describe).toContain(`<a href="/app/surveys/${id}">Support</a>`);
        expect(list.text).toContain('Satisfaction, 5 stars');
        const { json } = await api.call('GET', `/surveys/${id}`, undefined, 200);
        expect(json).toMatchObject({ name: 'Support', scale: 'csat5', locale: 'it', question: 'Com’è andata?', translations: { en: 'How did we do?', de: 'Wie war es?' }, archivedAt: null });
      });

      it('edits the question and its translations (an emptied translation is removed)', async () => {
        const { owner, api } = await workspace();
        const id = createdId((await owner.post('/app/surveys', surveyForm())).location);
        await owner.get(`/app/surveys/${id}`);
        const saved = await owner.post(`/app/surveys/${id}/question`, { question: 'Come è andata oggi?', 'translation-en': '', 'translation-fr': 'Comment était-ce ?' });
        expect(saved.status, saved.describe).toBe(303);
        expect(saved.location).toBe(`/app/surveys/${id}?done=saved`);
        const { json } = await api.call('GET', `/surveys/${id}`, undefined, 200);
        expect(json).toMatchObject({ question: 'Come è andata oggi?', translations: { fr: 'Comment était-ce ?' } });
        expect(json.translations).not.toHaveProperty('en');
      });

      it('archiving closes the links (410 "This survey has closed"), the API shows archivedAt, reopening takes answers again', async () => {
        const { owner, api } = await workspace();
        const survey = await api.createSurvey({ scale: 'csat3' });
        const minted = await api.mint(survey.id, 'T-ARCHIVE', 'ann@example.com');
        const url = (n: number) => minted.links.find((l) => l.score === n)!.url;
        await click(h, url(3));
        await owner.get(`/app/surveys/${survey.id}`);
        const archived = await owner.post(`/app/surveys/${survey.id}/archive`, {});
        expect(archived.status, archived.describe).toBe(303);
        const listed = (await api.call('GET', '/surveys', undefined, 200)).json.data.find((s: { id: string }) => s.id === survey.id);
        expect(listed.archivedAt, JSON.stringify(listed)).toMatch(/^\d{4}-\d\d-\d\dT/);
        // A new click, and a change of answer on an existing response, are both refused.
        for (const n of [1, 3]) {
          const closed = await page(h, pathOf(url(n)), BROWSER_HEADERS);
          expect(closed.res.status, closed.html).toBe(410);
          expect(closed.html).toContain('This survey has closed');
        }
        const list = await owner.get('/app/surveys');
        expect(list.text, list.describe).toContain('Archived');
        await owner.get(`/app/surveys/${survey.id}`);
        const reopened = await owner.post(`/app/surveys/${survey.id}/unarchive`, {});
        expect(reopened.status, reopened.describe).toBe(303);
        expect((await api.call('GET', `/surveys/${survey.id}`, undefined, 200)).json.archivedAt).toBeNull();
        await click(h, url(1));
      });

      it('a member reads the surveys and a survey, without the forms', async () => {
        const { member, api } = await workspace();
        const survey = await api.createSurvey({ name: 'Billing', translations: { it: 'Com’è andata?' } });
        const list = await member.get('/app/surveys');
        expect(list.status, list.describe).toBe(200);
        expect(list.text).toContain('Billing');
        expect(list.text).not.toContain('action="/app/surveys"');
        const one = await member.get(`/app/surveys/${survey.id}`);
        expect(one.status, one.describe).toBe(200);
        expect(one.text).toContain('Com’è andata?');
        expect(one.text).not.toContain('/archive"');
        expect(one.text).not.toContain('/question"');
      });
    });

    describe('rejects', () => {
      it.each([
        ['an empty name', { name: '' }, 'name', 'Enter a name of up to 200 characters'],
        ['a name too long', { name: 'x'.repeat(201) }, 'name', 'Enter a name of up to 200 characters'],
        ['an unknown scale', { scale: 'stars10' }, 'scale', 'Choose a scale'],
        ['an unknown language', { locale: 'xx' }, 'locale', 'Choose a language'],
        ['an empty question', { question: '  ' }, 'question', 'Enter the question'],
        ['a question too long', { question: 'q'.repeat(501) }, 'question', 'Enter the question'],
        ['a translation with a line break', { 'translation-de': 'Wie\nwar es?' }, 'translation-de', 'Enter the translation'],
      ])('%s: 400, the error summary links to the field, the form keeps what was typed', async (_, over, fieldId, message) => {
        const { ws, owner } = await workspace();
        const res = await owner.post('/app/surveys', surveyForm(over));
        expect(res.status, res.describe).toBe(400);
        expect(res.text).toContain('class="error-summary"');
        expect(res.text).toContain(`<a href="#${fieldId}">${message}`);
        expect(res.text).toContain(`id="${fieldId}-error"`);
        expect(res.text).toContain('<title>There is a problem: Surveys');
        expect(await h.query('SELECT count(*) AS n FROM surveys WHERE workspace_id = ?', [ws.id])).toEqual([{ n: 0 }]);
      });

      it('a bad edit shows the error summary and changes nothing', async () => {
        const { owner, api } = await workspace();
        const survey = await api.createSurvey({ question: 'How did we do?' });
        await owner.get(`/app/surveys/${survey.id}`);
        const res = await owner.post(`/app/surveys/${survey.id}/question`, { question: '', 'translation-it': 'x'.repeat(501) });
        expect(res.status, res.describe).toBe(400);
        expect(res.text).toContain('<a href="#question">');
        expect(res.text).toContain('<a href="#translation-it">');
        expect((await api.call('GET', `/surveys/${survey.id}`, undefined, 200)).json.question).toBe('How did we do?');
      });
    });

    describe('security', () => {
      it('a member gets 403 on every POST, and nothing changes', async () => {
        const { member, api } = await workspace();
        const survey = await api.createSurvey();
        for (const [path, form] of [
          ['/app/surveys', surveyForm()],
          [`/app/surveys/${survey.id}/question`, { question: 'Hacked?' }],
          [`/app/surveys/${survey.id}/archive`, {}],
          [`/app/surveys/${survey.id}/unarchive`, {}],
        ] as const) {
          const res = await member.post(path, form);
          expect(res.status, `${path}: ${res.describe}`).toBe(403);
        }
        const { json } = await api.call('GET', `/surveys/${survey.id}`, undefined, 200);
        expect(json).toMatchObject({ question: 'How did we do?', archivedAt: null });
        expect((await api.call('GET', '/surveys', undefined, 200)).json.data).toHaveLength(1);
      });

      it("another workspace's survey is 404 on every page and POST", async () => {
        const a = await workspace();
        const b = await workspace();
        const theirs = await b.api.createSurvey();
        expect((await a.owner.get(`/app/surveys/${theirs.id}`)).status).toBe(404);
        for (const action of ['question', 'archive', 'unarchive']) {
          const res = await a.owner.post(`/app/surveys/${theirs.id}/${action}`, { question: 'Mine now?' });
          expect(res.status, `${action}: ${res.describe}`).toBe(404);
        }
        expect((await b.api.call('GET', `/surveys/${theirs.id}`, undefined, 200)).json).toMatchObject({ question: 'How did we do?', archivedAt: null });
      });

      it('a cross-site POST is refused before anything is read', async () => {
        const { owner } = await workspace();
        const res = await owner.request('/app/surveys', { form: surveyForm(), headers: { origin: 'https://evil.example' } });
        expect(res.status, res.describe).toBe(403);
        const noToken = await owner.post('/app/surveys', surveyForm(), { withToken: false });
        expect(noToken.status, noToken.describe).toBe(403);
      });
    });
  });
  describe('/app/snippets', () => {
    describe('happy path', () => {
      it("builds the snippet server-side (no script, no API key), with the survey email's text", async () => {
        const { owner, api } = await workspace();
        const survey = await api.createSurvey({ name: 'Support', scale: 'csat3' });
        const res = await owner.get('/app/snippets');
        expect(res.status, res.describe).toBe(200);
        expect(res.text).toContain(`<option value="${survey.id}" selected>Support</option>`);
        expect(res.text).toMatch(/<textarea id="snippet-html" readonly[^>]*>&lt;/);
        expect(res.text).toMatch(/<h2>Survey email preview<\/h2>[\s\S]*<pre class="email-text">[\s\S]*How did we do\?/);
        expect(res.text).not.toContain('<script');
        const csp = res.res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("style-src-attr 'unsafe-inline'");
        expect(csp).not.toContain('script-src');
        expect(csp).toContain("frame-ancestors 'none'");
        const built = await owner.get(`/app/snippets?survey=${survey.id}&preset=zendesk-signature&style=text&locale=it&agent=Maria`);
        expect(built.status, built.describe).toBe(200);
        expect(built.text).toContain('value="Maria"');
        expect(built.text).toContain('<option value="it" selected>');
        const links = await h.query('SELECT agent FROM signature_links WHERE survey_id = ?', [survey.id]);
        expect(links.map((l) => l.agent)).toContain('Maria');
      });

      it('without surveys, points to the Surveys page', async () => {
        const { owner } = await workspace();
        const res = await owner.get('/app/snippets');
        expect(res.status, res.describe).toBe(200);
        expect(res.text).toContain('<a href="/app/surveys">');
      });
    });

    describe('rejects', () => {
      it.each([
        ['an unknown helpdesk', 'preset=outlook', 'preset', 'Choose a helpdesk'],
        ['an unknown style', 'style=neon', 'style', 'Choose a style'],
        ['an unknown language', 'locale=xx', 'locale', 'Choose a language'],
        ['an agent name too long', `agent=${'a'.repeat(101)}`, 'agent', 'Enter the agent name'],
      ])('%s: 400 with the error summary linking to the field', async (_, query, fieldId, message) => {
        const { owner, api } = await workspace();
        const survey = await api.createSurvey();
        const res = await owner.get(`/app/snippets?survey=${survey.id}&${query}`);
        expect(res.status, res.describe).toBe(400);
        expect(res.text).toContain(`<a href="#${fieldId}">${message}`);
        expect(res.text).toContain(`id="${fieldId}-error"`);
        expect(res.text).not.toContain('id="snippet-html"');
      });
    });

    describe('security', () => {
      it('a member gets 403 and no Snippets link', async () => {
        const { member, api } = await workspace();
        const survey = await api.createSurvey();
        const res = await member.get(`/app/snippets?survey=${survey.id}`);
        expect(res.status, res.describe).toBe(403);
        const home = await member.get('/app');
        expect(home.text).not.toContain('href="/app/snippets"');
        expect(home.text).toContain('href="/app/surveys"');
      });

      it("another workspace's survey is 404 and creates nothing", async () => {
        const a = await workspace();
        const b = await workspace();
        await a.api.createSurvey();
        const theirs = await b.api.createSurvey();
        const res = await a.owner.get(`/app/snippets?survey=${theirs.id}&agent=Mallory`);
        expect(res.status, res.describe).toBe(404);
        expect(await h.query('SELECT count(*) AS n FROM signature_links WHERE survey_id = ?', [theirs.id])).toEqual([{ n: 0 }]);
      });
    });
  });
}
