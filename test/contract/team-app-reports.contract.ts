import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, formatScore, formatShare } from '../../worker/pages/app/report-pages';
import { Api, BROWSER_HEADERS, click, comment } from './client';
import type { Harness } from './harness';
import { teamAppPeople } from './team-app.contract';

/** A click a person's in-app browser makes (no Fetch Metadata): it waits for a person. */
const WEAK_HEADERS = { 'user-agent': BROWSER_HEADERS['user-agent'], accept: 'text/html', 'accept-language': 'en' };
/** A script: a robot by its user agent. */
const ROBOT_HEADERS = { 'user-agent': 'curl/8.5.0', accept: '*/*' };

const DAY_MS = 86_400_000;

/** The value of a form field on a page (`id="from" … value="…"`). */
function fieldValue(text: string, id: string): string {
  const match = new RegExp(`id="${id}" name="${id}" value="([^"]*)"`).exec(text);
  expect(match, `field ${id} on the page`).toBeTruthy();
  return match![1]!;
}

/** The text of a page without its markup (entities of the numbers decoded). */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * The team app's Reports (issue 15): the list, each survey's dashboard and the feed with its
 * export. The page's numbers are compared with what `GET /api/v1/reports` answers for the same
 * survey and instants (one computation serves both). Runs on Node and inside workerd.
 */
export function teamAppReportsContract(start: () => Promise<Harness>) {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  const { ownedWorkspace, join } = teamAppPeople(() => h, () => ++seq);

  /**
   * A csat3 survey with answers: Ann 6 × 3 (CSAT 100), Bo 4 × 3 and 1 × 1 (80), Cy 2 × 3 (too
   * few to rank), one response waiting for a person, one robot's; a comment on Bo's 1.
   */
  async function withAnswers(ws: { apiKey: string }) {
    const api = new Api(h, ws.apiKey);
    const survey = await api.createSurvey({ scale: 'csat3', name: `Support ${++seq}` });
    const vote = async (agent: string, score: number, headers: Record<string, string> = BROWSER_HEADERS) => {
      const minted = await api.mint(survey.id, `T-${seq}-${++seq}`, `c${seq}@example.com`, { agent });
      return click(h, minted.links.find((l) => l.score === score)!.url, headers);
    };
    for (let i = 0; i < 6; i++) await vote('Ann', 3);
    for (let i = 0; i < 4; i++) await vote('Bo', 3);
    const unhappy = await vote('Bo', 1);
    await comment(h, unhappy, 'Slow answer, three emails.');
    for (let i = 0; i < 2; i++) await vote('Cy', 3);
    const pending = await vote('Ann', 2, WEAK_HEADERS);
    const robotMinted = await api.mint(survey.id, `BOT-${++seq}`, `bot${seq}@example.com`, { agent: 'Ann' });
    const robotRes = await h.fetch(new URL(robotMinted.links[0]!.url).pathname, { headers: ROBOT_HEADERS });
    await robotRes.text();
    await h.settle();
    return { api, survey, unhappy, pending };
  }

  /** The report the API gives for the instants the page shows (whole days, workspace in UTC). */
  async function apiReportFor(api: Api, surveyId: string, page: { text: string }, extra = '') {
    const from = fieldValue(page.text, 'from');
    const to = fieldValue(page.text, 'to');
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString();
    const { json } = await api.call('GET', `/reports?survey=${surveyId}&from=${from}T00:00:00Z&to=${encodeURIComponent(end)}${extra}`, undefined, 200);
    return json;
  }

  describe('/app/reports', () => {
    describe('happy path', () => {
      it('a member reads the dashboard: the headline, the not-counted, the agents ranked by their interval’s lower end, all equal to the API’s report', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { person: member } = await join(owner, 'member');
        const { api, survey } = await withAnswers(ws);

        const list = await member.get('/app/reports');
        expect(list.status, list.describe).toBe(200);
        expect(list.text).toContain(`href="/app/reports/${survey.id}"`);
        expect(list.text, 'the navigation has Reports').toMatch(/<a href="\/app\/reports" aria-current="page">Reports<\/a>/);

        const page = await member.get(`/app/reports/${survey.id}?period=7d`);
        expect(page.status, page.describe).toBe(200);
        const report = await apiReportFor(api, survey.id, page);
        expect(report.counted, JSON.stringify(report)).toBe(13);
        const text = textOf(page.text);
        expect(text).toContain(`CSAT ${formatScore('en', 'csat', report.score.value)}`);
        expect(text).toContain(`95% interval ${formatScore('en', 'csat', report.score.low)} to ${formatScore('en', 'csat', report.score.high)}`);
        expect(text).toContain(`Counted ${report.counted}`);
        expect(text).toContain('CSAT = answers of 3 ÷ counted responses × 100');
        expect(text).toMatch(new RegExp(`Not counted: ${report.pending} waiting for a person ?, ${report.bot} robot click`));
        expect(page.text).toContain(`href="/app/responses?survey=${survey.id}&amp;status=pending&amp;from=`);
        expect(report.pending).toBe(1);
        expect(report.bot).toBe(1);

        // The agents: Ann (100, n 6) above Bo (80, n 5); Cy has too few responses to be ranked.
        const agents = await apiReportFor(api, survey.id, page, '&groupBy=agent');
        const byName = Object.fromEntries(agents.groups.map((g: { key: string }) => [g.key, g]));
        const agentRows = page.text.slice(page.text.indexOf('<table class="agents">'));
        const rowOf = (name: string) => {
          const at = agentRows.indexOf(`>${name}</a>`);
          return textOf(agentRows.slice(agentRows.lastIndexOf('<tr>', at), agentRows.indexOf('</tr>', at)));
        };
        expect(agentRows.indexOf('>Ann</a>')).toBeLessThan(agentRows.indexOf('>Bo</a>'));
        expect(agentRows.indexOf('>Bo</a>')).toBeLessThan(agentRows.indexOf('>Cy</a>'));
        expect(rowOf('Ann')).toContain(formatScore('en', 'csat', byName.Ann.score.low));
        expect(rowOf('Bo')).toContain(formatScore('en', 'csat', byName.Bo.score.value));
        expect(rowOf('Cy')).toContain('too few responses');
        expect(rowOf('Ann')).toMatch(/^ ?1 /);
        expect(page.text).toContain(`href="/app/responses?survey=${survey.id}&amp;agent=Bo&amp;from=`);

        // The distribution: each answer's count, linking to its responses.
        for (const d of report.distribution as { score: number; count: number }[]) {
          expect(page.text).toContain(`score=${d.score}`);
        }
        expect(textOf(page.text)).toContain(`Great (3) ${report.distribution.find((d: { score: number }) => d.score === 3).count}`);
        // The trend by day: every day of the period is a row, with the day's own numbers.
        const trend = await apiReportFor(api, survey.id, page, '&groupBy=day');
        expect((page.text.match(/<svg class="chart-svg" role="img"/g) ?? []).length).toBe(2);
        expect(trend.groups).toHaveLength(7);
        const today = trend.groups.at(-1);
        expect(today.counted).toBe(13);
        expect(page.text).not.toMatch(/ style=/);
      });

      it('the previous period of the same length, the custom dates, the trend by week, and the change', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { survey } = await withAnswers(ws);
        const page = await owner.get(`/app/reports/${survey.id}?period=custom&from=2026-01-05&to=2026-03-01&step=week`);
        expect(page.status, page.describe).toBe(200);
        const text = textOf(page.text);
        // 56 days: the previous period is the 56 days before.
        expect(text).toContain('Previous period (10 Nov 2025 – 4 Jan 2026)');
        expect(text).toContain('nothing to compare with');
        expect((page.text.match(/<tr><th scope="row"><a href="\/app\/responses\?survey=sv_[0-9a-z]+&amp;from=2026-0[1-3]-\d\d&amp;to=/g) ?? []).length).toBe(8);
      });

      it('a property selector appears only when responses carry properties; its table links to the property’s responses', async () => {
        const { owner, ws } = await ownedWorkspace();
        const api = new Api(h, ws.apiKey);
        const survey = await api.createSurvey({ scale: 'nps', name: 'Projects' });
        const plain = await owner.get(`/app/reports/${survey.id}`);
        expect(plain.text).not.toContain('id="property"');
        for (const [org, score] of [['ACME srl', 10], ['ACME srl', 9], ['Globex', 3]] as const) {
          const minted = await api.mint(survey.id, `P-${++seq}`, `p${seq}@example.com`, { properties: { organization: org } });
          await click(h, minted.links.find((l) => l.score === score)!.url);
        }
        await h.settle();
        const page = await owner.get(`/app/reports/${survey.id}?property=organization`);
        expect(page.status, page.describe).toBe(200);
        expect(page.text).toContain('<option value="organization" selected>');
        expect(page.text).toContain('property=organization%3AACME+srl');
        const feed = await owner.get(`/app/responses?survey=${survey.id}&property=organization%3AACME+srl`);
        expect((feed.text.match(/Open the response to/g) ?? []).length, feed.describe).toBe(2);
      });

      it('the Follow-ups section: open and overdue linking to the inbox, medians as durations, the share within due, the recovery rate with its n, all equal to the API’s followUps', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { person: member } = await join(owner, 'member');
        const { api, survey, unhappy } = await withAnswers(ws);
        /** The section's text: from its heading to the end of the page. */
        const section = (page: { text: string }, heading = 'Follow-ups') => textOf(page.text.slice(page.text.indexOf(`<h2>${heading}</h2>`)));

        // Bo's unhappy customer opened a follow-up nobody has touched: nothing to measure yet, and the page says why.
        const before = await member.get(`/app/reports/${survey.id}?period=7d`);
        expect(before.status, before.describe).toBe(200);
        expect((await apiReportFor(api, survey.id, before, '&include=followUps')).followUps, 'the API agrees').toMatchObject({ opened: 1, open: 1, overdue: 0, medianFirstActionMs: null, recoveryRate: null });
        const empty = section(before);
        for (const text of [
          '1 follow-up opened in the period.',
          'Still open 1',
          'Overdue 0',
          'Median time to first action — no follow-up taken up yet',
          'Median time to resolution — none resolved yet',
          'Resolved within the due time — none resolved or overdue yet',
          'Recovery rate — the unhappy customer has not answered again yet',
        ]) expect(empty, before.describe).toContain(text);

        // Taken up after an hour, resolved 2 h 20 min later; the customer answers again, happy. A
        // second unhappy customer's follow-up is left past its due time.
        const fu = (await api.call('GET', `/followups?survey=${survey.id}`, undefined, 200)).json.data[0];
        expect(fu.response.id).toBe(unhappy);
        h.advanceClock(3_600_000);
        await api.call('PATCH', `/followups/${fu.id}`, { status: 'open' }, 200);
        h.advanceClock(8_400_000);
        await api.call('PATCH', `/followups/${fu.id}`, { status: 'resolved', resolution: { rootCause: 'service', solved: true } }, 200);
        const again = await api.mint(survey.id, `T-${++seq}`, fu.response.recipient, { agent: 'Bo' });
        await click(h, again.links.find((l) => l.score === 3)!.url);
        const late = await api.mint(survey.id, `T-${++seq}`, `late${seq}@example.com`, { agent: 'Cy' });
        const lateCustomer = `late${seq}@example.com`;
        const lateId = await click(h, late.links.find((l) => l.score === 1)!.url);
        await h.query('UPDATE followups SET due_at = created_at WHERE response_id = ?', [lateId]);
        await h.settle();

        const page = await member.get(`/app/reports/${survey.id}?period=7d`);
        expect(page.status, page.describe).toBe(200);
        const m = (await apiReportFor(api, survey.id, page, '&include=followUps')).followUps;
        expect(m, JSON.stringify(m)).toMatchObject({ opened: 2, resolved: 1, open: 1, overdue: 1, resolvedWithinDueShare: 0.5, recovery: { customers: 2, withNextResponse: 1, recovered: 1 }, recoveryRate: 1 });
        expect(formatDuration('en', m.medianResolutionMs), JSON.stringify(m)).toBe('3 h 20 min');
        const text = section(page);
        for (const want of [
          '2 follow-ups opened in the period.',
          `Still open ${m.open}`,
          `Overdue ${m.overdue}`,
          `Median time to first action ${formatDuration('en', m.medianFirstActionMs)}`,
          `Median time to resolution ${formatDuration('en', m.medianResolutionMs)}`,
          `Resolved within the due time ${formatShare('en', m.resolvedWithinDueShare)} 1 of 2 resolved or overdue`,
          `Recovery rate ${formatShare('en', m.recoveryRate)} 1 of 1 customer with a later answer`,
        ]) expect(text, page.describe).toContain(want);
        expect(text).toContain('Median time to first action 1 h Median time to resolution 3 h 20 min');
        expect(text).toContain('Resolved within the due time 50.0%');
        expect(text).toContain('Recovery rate 100.0%');

        // The counts link to the inbox, filtered by the survey (and overdue); the member sees the follow-ups behind them.
        const inbox = `/app/follow-ups?view=all&amp;survey=${survey.id}`;
        expect(page.text).toContain(`<a href="${inbox}" aria-label="Open follow-ups of this survey in the inbox">1</a>`);
        expect(page.text).toContain(`<a href="${inbox}&amp;overdue=1" aria-label="Overdue follow-ups of this survey in the inbox">1</a>`);
        const overdue = await member.get(`/app/follow-ups?view=all&survey=${survey.id}&overdue=1`);
        expect(overdue.status, overdue.describe).toBe(200);
        expect(overdue.text, overdue.describe).toContain(lateCustomer);

        // In Italian: the same figures in its words and number format.
        expect((await owner.post('/app/account', { name: 'Olivia', locale: 'it' })).status).toBe(303);
        const italian = section(await owner.get(`/app/reports/${survey.id}?period=7d`), 'Follow-up');
        expect(italian).toContain('Tempo mediano alla risoluzione 3 h 20 min');
        expect(italian).toContain('Risolti entro la scadenza 50,0% 1 su 2 risolti o in ritardo');
        expect(italian).toContain('Tasso di recupero 100,0% 1 su 1 cliente con una risposta successiva');
      });
    });

    describe('rejects', () => {
      it.each([
        ['an unknown period', 'period=fortnight', 'period'],
        ['a date that is not one', 'period=custom&from=2026-02-30&to=2026-03-01', 'from'],
        ['no first day', 'period=custom&to=2026-03-01', 'from'],
        ['the last day before the first', 'period=custom&from=2026-03-01&to=2026-02-01', 'to'],
        ['more than two years', 'period=custom&from=2022-01-01&to=2026-01-01', 'to'],
        ['an unknown step', 'step=hour', 'step'],
      ])('%s: a friendly 400 page naming the field', async (_, query, field) => {
        const { owner, ws } = await ownedWorkspace();
        const survey = await new Api(h, ws.apiKey).createSurvey();
        const page = await owner.get(`/app/reports/${survey.id}?${query}`);
        expect(page.status, page.describe).toBe(400);
        expect(page.text).toContain('class="error-summary"');
        expect(page.text).toContain(`<a href="#${field}">`);
        expect(page.text).toContain(`id="${field}"`);
      });
    });

    describe('security', () => {
      it('another workspace’s survey is 404, as an unknown one; signed out goes to the sign-in page', async () => {
        const a = await ownedWorkspace();
        const b = await ownedWorkspace('Beta');
        const surveyB = await new Api(h, b.ws.apiKey).createSurvey();
        for (const path of [`/app/reports/${surveyB.id}`, '/app/reports/sv_nope']) {
          const res = await a.owner.get(path);
          expect(res.status, `${path}: ${res.describe}`).toBe(404);
        }
        const list = await a.owner.get('/app/reports');
        expect(list.text).not.toContain(surveyB.id);
        const res = await h.fetch(`/app/reports/${surveyB.id}`);
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe('/app/login');
      });
    });
  });

  describe('/app/responses (the feed)', () => {
    describe('happy path', () => {
      it('filters by agent, sentiment, answer, comment and a ticket-ref or email prefix, all in the URL', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { survey, unhappy } = await withAnswers(ws);
        const count = async (query: string) => {
          const page = await owner.get(`/app/responses?survey=${survey.id}&${query}`);
          expect(page.status, page.describe).toBe(200);
          return (page.text.match(/Open the response to/g) ?? []).length;
        };
        expect(await count('status=counted')).toBe(13);
        expect(await count('agent=Bo')).toBe(5);
        expect(await count('agent=Bo&sentiment=negative')).toBe(1);
        expect(await count('score=3')).toBe(12);
        expect(await count('comment=1')).toBe(1);
        expect(await count('status=pending')).toBe(1);
        expect(await count('status=bot')).toBe(1);
        expect(await count('status=all&q=BOT-')).toBe(1);
        const withComment = await owner.get(`/app/responses?survey=${survey.id}&comment=1`);
        expect(withComment.text).toContain(`href="/app/responses/${unhappy}"`);
        expect(withComment.text).toContain('Slow answer, three emails.');
        expect(withComment.text, 'the filters stay in the form').toContain('id="comment" name="comment" value="1" checked');
        expect(await count('from=2020-01-01&to=2020-01-31')).toBe(0);
      });

      it('the Export button downloads the CSV of exactly the current view', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { survey } = await withAnswers(ws);
        const page = await owner.get(`/app/responses?survey=${survey.id}&agent=Bo`);
        const href = /<a href="(\/app\/responses\/export\?[^"]+)" download>/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
        expect(href, page.describe).toBe(`/app/responses/export?survey=${survey.id}&agent=Bo&status=counted`);
        const csv = await owner.get(href!);
        expect(csv.status, csv.describe).toBe(200);
        expect(csv.res.headers.get('content-type')).toMatch(/^text\/csv/);
        const lines = csv.text.trim().split(/\r?\n/);
        expect(lines, csv.text).toHaveLength(1 + 5);
        expect(csv.text).toContain('Slow answer, three emails.');
      });
    });

    describe('rejects', () => {
      it.each([
        ['an unknown sentiment', 'sentiment=angry', 'sentiment'],
        ['an answer that is not one', 'score=11', 'score'],
        ['a period day that is not a date', 'from=yesterday', 'from'],
        ['a last day before the first', 'from=2026-02-01&to=2026-01-01', 'to'],
        ['a search of 201 characters', `q=${'x'.repeat(201)}`, 'q'],
      ])('%s: 400 with the field named', async (_, query, field) => {
        const { owner } = await ownedWorkspace();
        const page = await owner.get(`/app/responses?${query}`);
        expect(page.status, page.describe).toBe(400);
        expect(page.text).toContain(`<a href="#${field}">`);
        // Its export is refused as a whole, with a page: never half a file.
        const csv = await owner.get(`/app/responses/export?${query}`);
        expect(csv.status, csv.describe).toBe(400);
        expect(csv.res.headers.get('content-type')).toMatch(/^text\/html/);
      });
    });

    describe('security', () => {
      it('lists and exports only the signed-in workspace’s responses', async () => {
        const a = await ownedWorkspace();
        const b = await ownedWorkspace('Beta');
        const { unhappy } = await withAnswers(b.ws);
        const page = await a.owner.get('/app/responses?status=all');
        expect(page.text).not.toContain(unhappy);
        const csv = await a.owner.get('/app/responses/export?status=all');
        expect(csv.status, csv.describe).toBe(200);
        expect(csv.text).not.toContain('Slow answer');
        // Another workspace's survey as a filter: nothing but the header.
        const other = await a.owner.get(`/app/responses/export?status=all&survey=${(await h.query('SELECT survey_id FROM responses WHERE id = ?', [unhappy]))[0]!.survey_id}`);
        expect(other.text.trim().split(/\r?\n/), other.describe).toHaveLength(1);
      });
      it('lists only the signed-in workspace’s responses, whatever survey the URL names', async () => {
        const a = await ownedWorkspace();
        const b = await ownedWorkspace('Beta');
        const { survey, unhappy } = await withAnswers(b.ws);
        for (const path of ['/app/responses?status=all', `/app/responses?status=all&survey=${survey.id}`, '/app/responses?status=all&comment=1&q=T-']) {
          const page = await a.owner.get(path);
          expect(page.status, page.describe).toBe(200);
          expect(page.text).not.toContain(unhappy);
          expect(page.text).not.toContain('Slow answer');
        }
      });
    });
  });
}

