import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, changeAnswer, click, pathOf } from './client';
import type { Harness } from './harness';
import { seededRandom } from '../../scripts/seeded-random';
import { PASSWORD, Visitor } from './team-app.contract';

/**
 * `GET /api/v1/reports` (issue 15). Every number is checked against a computation written here,
 * from the raw rows of `responses` (never by calling the service's code): local days from `Intl`,
 * the scores and their intervals from their textbook formulas. Rows are written with SQL at chosen
 * instants (the aggregate triggers fire as for any write) and through real clicks where the path
 * matters (a change of answer, an override). Runs on Node and inside workerd.
 */

const DAY = 86_400_000;
const SCALES = {
  csat3: [1, 2, 3],
  csat5: [1, 2, 3, 4, 5],
  nps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  ces7: [1, 2, 3, 4, 5, 6, 7],
  thumbs: [0, 1],
} as const;
type Scale = keyof typeof SCALES;
/** Student t quantiles t(0.975, df) from the published tables, for the CES intervals tested here. */
const T975: Record<number, number> = { 1: 12.7062, 2: 4.3027, 4: 2.7764, 9: 2.2622, 19: 2.093, 29: 2.0452, 39: 2.0227, 49: 2.0096 };
/** Beyond the table (df ≥ 30): the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5), good to 1e-5. */
function t975(df: number): number {
  if (T975[df] !== undefined) return T975[df]!;
  const z = 1.959963984540054;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

interface Row {
  survey_id: string;
  agent: string | null;
  status: string;
  score: number;
  first_answered_at: number;
}

/** The local date (YYYY-MM-DD) of an instant in a zone, straight from Intl. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
export function localDate(ms: number, zone: string): string {
  let format = dateFormats.get(zone);
  if (!format) dateFormats.set(zone, (format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The expected report computed from rows: counts, distribution, sentiment, score and interval. */
export function expected(scale: Scale, rows: Row[]) {
  const answers = SCALES[scale];
  const counted = rows.filter((r) => r.status === 'counted');
  const n = counted.length;
  const count = (pred: (s: number) => boolean) => counted.filter((r) => pred(r.score)).length;
  const bands: Record<Scale, [number, number]> = { csat3: [1, 3], csat5: [2, 4], nps: [6, 9], ces7: [3, 5], thumbs: [0, 1] };
  const [negMax, posMin] = bands[scale];
  const positive = count((s) => s >= posMin);
  const negative = count((s) => s <= negMax);
  let score: { metric: string; value: number | null; low: number | null; high: number | null; easy?: number | null };
  const z = 1.959963984540054;
  if (scale === 'nps') {
    const pp = positive / n;
    const pm = negative / n;
    const half = z * Math.sqrt((pp + pm - (pp - pm) ** 2) / n);
    score = n ? { metric: 'nps', value: 100 * (pp - pm), low: 100 * Math.max(-1, pp - pm - half), high: 100 * Math.min(1, pp - pm + half) } : { metric: 'nps', value: null, low: null, high: null };
  } else if (scale === 'ces7') {
    const mean = counted.reduce((s, r) => s + r.score, 0) / n;
    const sd = Math.sqrt(counted.reduce((s, r) => s + (r.score - mean) ** 2, 0) / (n - 1));
    const half = n >= 2 ? (t975(n - 1) * sd) / Math.sqrt(n) : Number.NaN;
    score = {
      metric: 'ces',
      value: n ? mean : null,
      low: n >= 2 ? mean - half : null,
      high: n >= 2 ? mean + half : null,
      easy: n ? (100 * count((s) => s >= 5)) / n : null,
    };
  } else {
    const p = positive / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    score = n ? { metric: scale === 'thumbs' ? 'up' : 'csat', value: 100 * p, low: 100 * (centre - half), high: 100 * (centre + half) } : { metric: scale === 'thumbs' ? 'up' : 'csat', value: null, low: null, high: null };
  }
  return {
    counted: n,
    pending: rows.filter((r) => r.status === 'pending').length,
    bot: rows.filter((r) => r.status === 'bot').length,
    distribution: answers.map((s) => ({ score: s, count: count((x) => x === s) })),
    sentiment: { negative, neutral: n - negative - positive, positive },
    score,
  };
}

/** Scores compared to 9 decimals (the t quantile to the table's 4). */
export function expectScore(actual: any, wanted: ReturnType<typeof expected>['score'], what: string) {
  expect(actual.metric, what).toBe(wanted.metric);
  for (const key of ['value', 'low', 'high', 'easy'] as const) {
    if (!(key in wanted)) continue;
    const want = wanted[key];
    if (want === null || want === undefined) expect(actual[key], `${what} ${key}`).toBeNull();
    else expect(actual[key], `${what} ${key}`).toBeCloseTo(want, wanted.metric === 'ces' && key !== 'value' && key !== 'easy' ? 3 : 9);
  }
}

export function reportsContract(start: () => Promise<Harness>) {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function workspace() {
    const ws = await h.newWorkspace(`Reports ${++seq}`);
    return { ws, api: new Api(h, ws.apiKey) };
  }

  /** A workspace with a signed-in owner (who sets the time zone in the team app) and a member. */
  async function managedWorkspace() {
    const { ws, api } = await workspace();
    const owner = new Visitor(h);
    const done = await owner.post(pathOf(await h.setupLink(ws.id)), { name: 'Olivia Owner', email: `owner-${seq}@example.com`, password: PASSWORD }, { withToken: false });
    expect(done.status, done.describe).toBe(303);
    await owner.get('/app/members');
    return { ws, api, owner };
  }

  async function setTimeZone(owner: Visitor, timeZone: string) {
    const saved = await owner.post('/app/members/time-zone', { timeZone });
    expect(saved.status, saved.describe).toBe(303);
    expect(saved.location).toBe('/app/members?done=timeZoneSaved');
  }

  /**
   * Checks each aggregate of the survey (per agent, agent-less, per property) against a recount of
   * its responses on local days computed with Intl in `zone`; returns the per-agent recount.
   */
  async function expectAggregatesExact(workspaceId: string, surveyId: string, zone: string) {
    const rows = await h.query(
      `SELECT r.id, r.survey_id, r.first_answered_at AS at, coalesce(r.agent, '') AS agent, r.status, r.score, v.name, v.value
       FROM responses r LEFT JOIN link_property_values v ON v.properties_id = r.properties_id WHERE r.workspace_id = ? AND r.survey_id = ? AND r.revision > 0`,
      [workspaceId, surveyId],
    );
    const dayOf = (at: unknown) => Date.parse(`${localDate(Number(at), zone)}T00:00:00Z`) / DAY;
    function recount(keyOf: (r: Record<string, unknown>) => unknown[] | null, responseRows: Record<string, unknown>[]) {
      const counts = new Map<string, number>();
      for (const r of responseRows) {
        const key = keyOf(r);
        if (key) counts.set(JSON.stringify(key), (counts.get(JSON.stringify(key)) ?? 0) + 1);
      }
      return [...counts].map(([key, n]) => [...JSON.parse(key), n]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    async function kept(sql: string) {
      const got = await h.query(sql, [surveyId]);
      return got.map((r) => Object.values(r)).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    // The join repeats a response once per property: the response tables count each response once.
    const responses = [...new Map(rows.map((r) => [r.id, r])).values()];
    const byAgent = recount((r) => [r.survey_id, dayOf(r.at), r.agent, r.status, r.score], responses);
    expect(await kept('SELECT survey_id, day, agent, status, score, n FROM reports_counts WHERE survey_id = ? AND n <> 0'), zone).toEqual(byAgent);
    expect(await kept('SELECT survey_id, day, status, score, n FROM reports_day_counts WHERE survey_id = ? AND n <> 0'), zone).toEqual(
      recount((r) => [r.survey_id, dayOf(r.at), r.status, r.score], responses),
    );
    const byProperty = recount((r) => (r.name === null ? null : [r.survey_id, r.name, dayOf(r.at), r.value, r.status, r.score]), rows);
    expect(await kept('SELECT survey_id, name, day, value, status, score, n FROM reports_property_counts WHERE survey_id = ? AND n <> 0'), zone).toEqual(byProperty);
    const monthOf = (at: unknown) => Date.parse(`${localDate(Number(at), zone).slice(0, 7)}-01T00:00:00Z`) / DAY;
    expect(await kept('SELECT survey_id, month, agent, status, score, n FROM reports_month_counts WHERE survey_id = ? AND n <> 0'), zone).toEqual(
      recount((r) => [r.survey_id, monthOf(r.at), r.agent, r.status, r.score], responses),
    );
    expect(await kept('SELECT survey_id, name, month, value, status, score, n FROM reports_property_month_counts WHERE survey_id = ? AND n <> 0'), zone).toEqual(
      recount((r) => (r.name === null ? null : [r.survey_id, r.name, monthOf(r.at), r.value, r.status, r.score]), rows),
    );
    return byAgent.map(([survey_id, day, agent, status, score, n]) => ({ survey_id, day, agent, status, score, n: Number(n) }));
  }

  /** Writes responses with SQL at chosen instants: the triggers fire as for any write. */
  let inserted = 0;
  async function insert(workspaceId: string, rows: (Row & { subject?: string; properties_id?: string | null; comment?: string })[]) {
    const base = (inserted += rows.length);
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await h.query(
        `INSERT INTO responses (id, workspace_id, survey_id, subject, recipient, agent, score, sentiment, status, first_answered_at, last_answered_at, properties_id, comment)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((r, j) => [
          `rsp_t${seq}_${i + j}_${Math.random().toString(36).slice(2)}`,
          workspaceId,
          r.survey_id,
          r.subject ?? `T-${base}-${i + j}`,
          `c${base}-${i + j}@example.com`,
          r.agent,
          r.score,
          'neutral',
          r.status,
          r.first_answered_at,
          r.first_answered_at,
          r.properties_id ?? null,
          r.comment ?? null,
        ]),
      );
    }
  }

  /** Random rows of a survey over [from, to): statuses, agents and scores drawn from a seed. */
  function randomRows(surveyId: string, scale: Scale, from: number, to: number, count: number, seed: number): Row[] {
    const next = seededRandom(seed);
    const agents = ['maria', 'luca', null];
    return Array.from({ length: count }, () => {
      const u = next();
      return {
        survey_id: surveyId,
        agent: agents[Math.floor(next() * agents.length)]!,
        status: u < 0.8 ? 'counted' : u < 0.9 ? 'pending' : 'bot',
        score: SCALES[scale][Math.floor(next() * SCALES[scale].length)]!,
        first_answered_at: from + Math.floor(next() * (to - from)),
      };
    });
  }

  async function report(api: Api, query: string, status = 200) {
    const { json } = await api.call('GET', `/reports?${query}`, undefined, status);
    return json;
  }

  const iso = (ms: number) => new Date(ms).toISOString();

  describe('POST /api/v1/links › properties', () => {
    describe('happy path', () => {
      it('stay with the response (API, filter), break the report down, and each mint counts a message sent', async () => {
        const { api } = await workspace();
        const survey = await api.createSurvey({ scale: 'nps' });
        const acme = { organization: 'ACME srl', project: 'P-12' };
        const globex = { organization: 'Globex', project: 'P-7' };
        const minted = [
          await api.mint(survey.id, 'T-1', 'a@example.com', { agent: 'maria', properties: acme }),
          await api.mint(survey.id, 'T-2', 'b@example.com', { agent: 'maria', properties: { project: 'P-12', organization: 'ACME srl' } }),
          await api.mint(survey.id, 'T-3', 'c@example.com', { agent: 'luca', properties: globex }),
          await api.mint(survey.id, 'T-4', 'd@example.com', { agent: 'luca' }),
        ];
        for (const { links } of minted) for (const link of links) expect(link.url.length, link.url).toBeLessThan(300);
        const a = await click(h, minted[0]!.links[10]!.url);
        await click(h, minted[1]!.links[3]!.url);
        await click(h, minted[2]!.links[9]!.url);
        expect((await api.response(a)).properties).toEqual(acme);

        const listed = await api.responses(`?property=${encodeURIComponent('organization:ACME srl')}`);
        expect(listed.data.map((r) => r.subject).sort()).toEqual(['T-1', 'T-2']);
        expect(listed.data.every((r) => r.properties.organization === 'ACME srl')).toBe(true);
        expect((await api.responses('?property=organization:Initech')).data).toEqual([]);

        const all = await report(api, `survey=${survey.id}&groupBy=property:organization`);
        expect({ counted: all.counted, sent: all.sent, responseRate: all.responseRate }, JSON.stringify(all)).toEqual({ counted: 3, sent: 4, responseRate: 0.75 });
        expect(all.groups.map((g: any) => [g.key, g.counted, g.score.value]), JSON.stringify(all)).toEqual([
          ['ACME srl', 2, 0],
          ['Globex', 1, 100],
        ]);
        const onlyAcme = await report(api, `survey=${survey.id}&property=${encodeURIComponent('organization:ACME srl')}&groupBy=agent`);
        expect({ counted: onlyAcme.counted, sent: onlyAcme.sent }, JSON.stringify(onlyAcme)).toEqual({ counted: 2, sent: 2 });
        expect(onlyAcme.groups.map((g: any) => [g.key, g.counted])).toEqual([['maria', 2]]);
        // A filter on one property, broken down by another: read from the responses themselves.
        const byProject = await report(api, `survey=${survey.id}&property=${encodeURIComponent('organization:ACME srl')}&groupBy=property:project`);
        expect(byProject.groups.map((g: any) => [g.key, g.counted]), JSON.stringify(byProject)).toEqual([['P-12', 2]]);
        const luca = await report(api, `survey=${survey.id}&agent=luca`);
        expect({ counted: luca.counted, sent: luca.sent, responseRate: luca.responseRate }).toEqual({ counted: 1, sent: 2, responseRate: 0.5 });
        // An agent with a property: the property counts carry no agent, so read from the responses too.
        const lucaByOrganization = await report(api, `survey=${survey.id}&agent=luca&groupBy=property:organization`);
        expect(lucaByOrganization.counted, JSON.stringify(lucaByOrganization)).toBe(1);
        expect(lucaByOrganization.groups.map((g: any) => [g.key, g.counted, g.score.value]), JSON.stringify(lucaByOrganization)).toEqual([['Globex', 1, 100]]);
        const mariaAcme = await report(api, `survey=${survey.id}&agent=maria&property=${encodeURIComponent('organization:ACME srl')}`);
        expect({ counted: mariaAcme.counted, sent: mariaAcme.sent }, JSON.stringify(mariaAcme)).toEqual({ counted: 2, sent: 2 });
      });

      it('the email render takes them too, and a message without them shows null', async () => {
        const { api } = await workspace();
        const survey = await api.createSurvey({ scale: 'thumbs' });
        const { json } = await api.call('POST', '/emails/render', { survey: survey.id, subject: 'E-1', recipient: 'e@example.com', properties: { plan: 'pro' } }, 200);
        const id = await click(h, json.links[1].url);
        expect((await api.response(id)).properties).toEqual({ plan: 'pro' });
        const plain = await api.mint(survey.id, 'E-2', 'f@example.com');
        expect((await api.response(await click(h, plain.links[0]!.url))).properties).toBeNull();
        expect((await report(api, `survey=${survey.id}&property=plan:pro`)).counted).toBe(1);
      });
    });

    describe('rejects', () => {
      it.each([
        ['eleven names', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}`, 'x']))],
        ['a name with a capital', { Organization: 'ACME' }],
        ['a name starting with a digit', { '1st': 'x' }],
        ['a name over 32 characters', { ['a'.repeat(33)]: 'x' }],
        ['an empty value', { organization: ' ' }],
        ['a value over 100 characters', { organization: 'x'.repeat(101) }],
        ['a value with a line break', { organization: 'ACME\nsrl' }],
        ['a number', { organization: 12 }],
        ['an array', ['ACME']],
      ])('%s → 400 VALIDATION_FAILED naming properties', async (_, properties) => {
        const { api } = await workspace();
        const survey = await api.createSurvey();
        const { json } = await api.call('POST', '/links', { survey: survey.id, subject: 'T-1', recipient: 'a@example.com', properties }, 400);
        expect(json.error.code, JSON.stringify(json)).toBe('VALIDATION_FAILED');
        // The schema names the bad entry (`properties.organization`), the service the whole set.
        expect(json.error.details.field, JSON.stringify(json)).toMatch(/^properties(\.|$)/);
      });
    });

    describe('security', () => {
      it("another workspace's identical set is its own: never visible across workspaces", async () => {
        const mine = await workspace();
        const theirs = await workspace();
        const s1 = await mine.api.createSurvey();
        const s2 = await theirs.api.createSurvey();
        await click(h, (await mine.api.mint(s1.id, 'T-1', 'a@example.com', { properties: { organization: 'ACME' } })).links[2]!.url);
        await click(h, (await theirs.api.mint(s2.id, 'T-1', 'a@example.com', { properties: { organization: 'ACME' } })).links[0]!.url);
        const sets = await h.query('SELECT id, workspace_id FROM link_properties WHERE workspace_id IN (?, ?)', [mine.ws.id, theirs.ws.id]);
        expect(new Set(sets.map((r) => r.id)).size).toBe(2);
        expect((await mine.api.responses('?property=organization:ACME')).data.map((r) => r.score)).toEqual([3]);
        expect((await theirs.api.responses('?property=organization:ACME')).data.map((r) => r.score)).toEqual([1]);
      });
    });
  });

  /** Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF rows) into rows of cells. */
  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') row.push(cell), (cell = '');
      else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
      else cell += ch;
    }
    return rows;
  }

  async function exportCsv(api: Api, query: string, status = 200) {
    const res = await h.fetch(`/api/v1/responses/export${query}`, { headers: { authorization: `Bearer ${api.apiKey}` } });
    // Decoded keeping the byte order mark (Response.text() drops it).
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(res.status, text.slice(0, 500)).toBe(status);
    return { res, text };
  }

  describe('GET /api/v1/responses/export', () => {
    describe('happy path', () => {
      it('streams every matching response (past several pages), each once, oldest first, with neutralised formulas and properties as JSON', async () => {
        const { ws, api } = await workspace();
        const survey = await api.createSurvey({ scale: 'nps' });
        const other = await api.createSurvey({ scale: 'csat3' });
        const rows = randomRows(survey.id, 'nps', Date.UTC(2026, 0, 1), Date.UTC(2026, 6, 1), 2500, 21);
        rows[0] = { ...rows[0]!, comment: '=HYPERLINK("http://evil.example","click")', status: 'counted' } as never;
        await insert(ws.id, rows);
        await insert(ws.id, randomRows(other.id, 'csat3', Date.UTC(2026, 0, 1), Date.UTC(2026, 6, 1), 50, 22));
        await click(h, (await api.mint(survey.id, 'P-1', 'p@example.com', { properties: { organization: 'ACME, "srl"' } })).links[10]!.url);
        const { res, text } = await exportCsv(api, `?survey=${survey.id}&status=all`);
        expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="responses-sv_[0-9a-z]+-\d{4}-\d{2}-\d{2}\.csv"$/);
        expect(text.startsWith('\uFEFFid,survey,survey_name,subject,recipient,agent,score,label,sentiment,comment,status,properties,first_answered_at,last_answered_at,commented_at\r\n')).toBe(true);
        const [header, ...data] = parseCsv(text.slice(1));
        expect(data.length).toBe(2501);
        const col = (name: string) => header!.indexOf(name);
        expect(new Set(data.map((r) => r[col('id')])).size).toBe(2501);
        expect(data.every((r) => r[col('survey')] === survey.id)).toBe(true);
        const times = data.map((r) => Date.parse(r[col('first_answered_at')]!));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(data.some((r) => r[col('comment')] === `'=HYPERLINK("http://evil.example","click")`)).toBe(true);
        const acme = data.find((r) => r[col('subject')] === 'P-1')!;
        expect(JSON.parse(acme[col('properties')]!)).toEqual({ organization: 'ACME, "srl"' });
        expect(acme[col('score')]).toBe('10');
        // The default status is counted, as in the listing; the filters are the listing's.
        const counted = parseCsv((await exportCsv(api, `?survey=${survey.id}`)).text.slice(1)).slice(1);
        expect(counted.length).toBe(rows.filter((r) => r.status === 'counted').length + 1);
        const from = Date.UTC(2026, 2, 1);
        const to = Date.UTC(2026, 3, 1);
        const maria = parseCsv((await exportCsv(api, `?survey=${survey.id}&agent=maria&status=bot&from=${iso(from)}&to=${iso(to)}`)).text.slice(1)).slice(1);
        const want = rows.filter((r) => r.agent === 'maria' && r.status === 'bot' && r.first_answered_at >= from && r.first_answered_at < to);
        expect(maria.length).toBe(want.length);
        expect(maria.length).toBeGreaterThan(0);
        const segment = parseCsv((await exportCsv(api, `?property=${encodeURIComponent('organization:ACME, "srl"')}`)).text.slice(1)).slice(1);
        expect(segment.map((r) => r[col('subject')])).toEqual(['P-1']);
      });
    });

    describe('rejects', () => {
      it.each([
        ['a bad from', '?from=yesterday', 'from'],
        ['a bad status', '?status=maybe', 'status'],
        ['a bad property', '?property=organization', 'property'],
        ['an unknown parameter', '?limit=10', 'limit'],
      ])('%s → 400 VALIDATION_FAILED naming the field, before any CSV', async (_, query, field) => {
        const { api } = await workspace();
        const { res, text } = await exportCsv(api, query, 400);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(JSON.parse(text).error.details.field).toBe(field);
      });
    });

    describe('security', () => {
      it("holds only the workspace's own responses; needs an API key", async () => {
        const mine = await workspace();
        const theirs = await workspace();
        const s1 = await theirs.api.createSurvey();
        await insert(theirs.ws.id, [{ survey_id: s1.id, agent: null, status: 'counted', score: 3, first_answered_at: Date.now() - DAY }]);
        const rows = parseCsv((await exportCsv(mine.api, `?survey=${s1.id}`)).text.slice(1));
        expect(rows.length).toBe(1);
        expect((await h.fetch('/api/v1/responses/export')).status).toBe(401);
      });
    });
  });

  describe('aggregates', () => {
    describe('happy path', () => {
      it('after random clicks, changes of answer, robots found after counting, overrides and deletions, equal a recount of responses', async () => {
        const { ws, api, owner } = await managedWorkspace();
        const survey = await api.createSurvey({ scale: 'nps' });
        const next = seededRandom(99);
        const sets = [undefined, { organization: 'ACME' }, { organization: 'Globex', project: 'P-1' }];
        const messages = await Promise.all(
          Array.from({ length: 12 }, (_, i) => api.mint(survey.id, `R-${i}`, `r${i}@example.com`, { agent: ['maria', 'luca', null][i % 3], properties: sets[i % 3] })),
        );
        const ids = new Map<number, string>();
        const robot = { 'user-agent': 'python-requests/2.31' };
        for (let step = 0; step < 60; step++) {
          const m = Math.floor(next() * messages.length);
          const score = Math.floor(next() * 11);
          const op = next();
          const id = ids.get(m);
          if (!id || op < 0.35) {
            ids.set(m, await click(h, messages[m]!.links[score]!.url, op < 0.1 ? robot : BROWSER_HEADERS));
          } else if (op < 0.5) await changeAnswer(h, id, score);
          else if (op < 0.65) await api.call('PATCH', `/responses/${id}`, { status: 'bot' }, 200);
          else if (op < 0.8) await api.call('PATCH', `/responses/${id}`, { status: 'counted' }, 200);
          else if (op < 0.9) {
            // An erasure, as the privacy branch deletes a response with its history.
            await h.query('DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM webhook_events WHERE response_id = ?)', [id]);
            await h.query('DELETE FROM webhook_events WHERE response_id = ?', [id]);
            await h.query('DELETE FROM response_events WHERE response_id = ?', [id]);
            await h.query('DELETE FROM responses WHERE id = ?', [id]);
            ids.delete(m);
          } else {
            // A burst: the same link's answers fetched in a row by one client (a scanner).
            for (const link of messages[m]!.links.slice(0, 4)) await h.fetch(pathOf(link.url), { headers: BROWSER_HEADERS });
            const res = await h.fetch(pathOf(messages[m]!.links[0]!.url), { headers: BROWSER_HEADERS });
            ids.set(m, res.headers.get('location')!.slice(3));
          }
        }
        const recount = await expectAggregatesExact(ws.id, survey.id, 'UTC');
        expect(new Set(recount.map((r) => r.status)).size, JSON.stringify(recount)).toBeGreaterThan(1);
        // Re-bucketing on a change of zone (+05:30 moves the evening's answers to the next day) stays exact.
        await setTimeZone(owner, 'Asia/Kolkata');
        await expectAggregatesExact(ws.id, survey.id, 'Asia/Kolkata');
        // The report agrees with the recount too.
        const got = await report(api, `survey=${survey.id}`);
        const sum = (status: string) => recount.filter((r) => r.status === status).reduce((n, r) => n + Number(r.n), 0);
        expect([got.counted, got.pending, got.bot]).toEqual([sum('counted'), sum('pending'), sum('bot')]);
      });
    });
  });

  describe('GET /api/v1/reports', () => {
    describe('happy path', () => {
      it.each(Object.keys(SCALES) as Scale[])('%s: the headline, distribution, sentiment and interval equal a recount of the rows', async (scale) => {
        const { ws, api } = await workspace();
        const survey = await api.createSurvey({ scale });
        const from = Date.UTC(2026, 0, 1);
        const to = Date.UTC(2026, 2, 1);
        const rows = randomRows(survey.id, scale, from - 5 * DAY, to + 5 * DAY, 300, scale.length);
        await insert(ws.id, rows);
        // Whole days, and edges that cut days (read from responses, not the aggregates).
        for (const [a, b] of [
          [from, to],
          [from + 7 * 3_600_000 + 123, to - 5 * 3_600_000 - 17],
          [from + 3_600_000, from + 20 * 3_600_000],
        ] as const) {
          const got = await report(api, `survey=${survey.id}&from=${iso(a)}&to=${iso(b)}`);
          const want = expected(scale, rows.filter((r) => r.first_answered_at >= a && r.first_answered_at < b));
          const what = `${scale} ${iso(a)}..${iso(b)}: ${JSON.stringify(got)}`;
          expect({ counted: got.counted, pending: got.pending, bot: got.bot, distribution: got.distribution, sentiment: got.sentiment }, what).toEqual({
            counted: want.counted,
            pending: want.pending,
            bot: want.bot,
            distribution: want.distribution,
            sentiment: want.sentiment,
          });
          expectScore(got.score, want.score, what);
          expect(got.timeZone, what).toBe('UTC');
          expect([got.from, got.to], what).toEqual([iso(a), iso(b)]);
          expect(got.survey, what).toMatchObject({ id: survey.id, scale });
        }
      });

      it('intervals meet known values: Wilson 8/10 = 49.02–94.33; NPS; CES by Student t', async () => {
        const { ws, api } = await workspace();
        const at = Date.UTC(2026, 4, 10, 12);
        const csat = await api.createSurvey({ scale: 'csat3' });
        await insert(ws.id, [...Array(8).fill(3), 2, 1].map((score) => ({ survey_id: csat.id, agent: null, status: 'counted', score, first_answered_at: at })));
        const range = `from=${iso(at - DAY)}&to=${iso(at + DAY)}`;
        const wilson = await report(api, `survey=${csat.id}&${range}`);
        expect(wilson.score.value, JSON.stringify(wilson)).toBeCloseTo(80, 9);
        expect(wilson.score.low, JSON.stringify(wilson)).toBeCloseTo(49.02, 2);
        expect(wilson.score.high, JSON.stringify(wilson)).toBeCloseTo(94.33, 2);

        // NPS: 5 promoters, 3 passives, 2 detractors of 10: 30 ± 1.96·√((0.5 + 0.2 − 0.09)/10) = 30 ± 48.4075.
        const nps = await api.createSurvey({ scale: 'nps' });
        await insert(ws.id, [10, 10, 9, 9, 9, 8, 7, 7, 3, 0].map((score) => ({ survey_id: nps.id, agent: null, status: 'counted', score, first_answered_at: at })));
        const npsReport = await report(api, `survey=${nps.id}&${range}`);
        expect(npsReport.score.value, JSON.stringify(npsReport)).toBeCloseTo(30, 9);
        expect(npsReport.score.low, JSON.stringify(npsReport)).toBeCloseTo(30 - 48.4075, 3);
        expect(npsReport.score.high, JSON.stringify(npsReport)).toBeCloseTo(30 + 48.4075, 3);

        // CES: 1..7 and 4, 5, 6 (n = 10): mean 4.3, s = 1.8886, t(0.975, 9) = 2.2622 → 4.3 ± 1.3510.
        const ces = await api.createSurvey({ scale: 'ces7' });
        await insert(ws.id, [1, 2, 3, 4, 5, 6, 7, 4, 5, 6].map((score) => ({ survey_id: ces.id, agent: null, status: 'counted', score, first_answered_at: at })));
        const cesReport = await report(api, `survey=${ces.id}&${range}`);
        expect(cesReport.score.value, JSON.stringify(cesReport)).toBeCloseTo(4.3, 9);
        expect(cesReport.score.low, JSON.stringify(cesReport)).toBeCloseTo(4.3 - 1.351, 3);
        expect(cesReport.score.high, JSON.stringify(cesReport)).toBeCloseTo(4.3 + 1.351, 3);
        expect(cesReport.score.easy, JSON.stringify(cesReport)).toBeCloseTo(50, 9);
      });

      it('an empty period: counted 0, null scores, every answer of the scale at 0, empty time groups listed', async () => {
        const { api } = await workspace();
        const survey = await api.createSurvey({ scale: 'csat5' });
        const got = await report(api, `survey=${survey.id}&from=2026-02-01T00:00:00Z&to=2026-02-04T00:00:00Z&groupBy=day`);
        expect(got, JSON.stringify(got)).toMatchObject({
          counted: 0,
          pending: 0,
          bot: 0,
          sent: 0,
          responseRate: null,
          score: { metric: 'csat', value: null, low: null, high: null },
          distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: 0 })),
          sentiment: { negative: 0, neutral: 0, positive: 0 },
        });
        expect(got.groups.map((g: any) => [g.key, g.from, g.to, g.counted, g.score.value])).toEqual([
          ['2026-02-01', '2026-02-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z', 0, null],
          ['2026-02-02', '2026-02-02T00:00:00.000Z', '2026-02-03T00:00:00.000Z', 0, null],
          ['2026-02-03', '2026-02-03T00:00:00.000Z', '2026-02-04T00:00:00.000Z', 0, null],
        ]);
      });

      it('groupBy day, week (ISO, from Monday), month and agent: each group equals a recount', async () => {
        const { ws, api } = await workspace();
        const survey = await api.createSurvey({ scale: 'nps' });
        const from = Date.UTC(2026, 0, 1);
        const to = Date.UTC(2026, 3, 1);
        const rows = randomRows(survey.id, 'nps', from, to, 400, 7);
        await insert(ws.id, rows);
        const counted = rows.filter((r) => r.first_answered_at >= from && r.first_answered_at < to);
        const periodKey = {
          day: (ms: number) => localDate(ms, 'UTC'),
          week: (ms: number) => {
            const d = new Date(ms);
            const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY;
            return localDate(monday, 'UTC');
          },
          month: (ms: number) => localDate(ms, 'UTC').slice(0, 8) + '01',
        };
        for (const unit of ['day', 'week', 'month'] as const) {
          const got = await report(api, `survey=${survey.id}&from=${iso(from)}&to=${iso(to)}&groupBy=${unit}`);
          const keys = got.groups.map((g: any) => g.key);
          expect(keys.length, unit).toBe(unit === 'day' ? 90 : unit === 'week' ? 14 : 3);
          for (const group of got.groups) {
            const want = expected('nps', counted.filter((r) => periodKey[unit](r.first_answered_at) === group.key));
            expect(group.counted, `${unit} ${group.key}`).toBe(want.counted);
            expect(group.distribution, `${unit} ${group.key}`).toEqual(want.distribution);
            expectScore(group.score, want.score, `${unit} ${group.key}`);
          }
          expect(got.groups.reduce((s: number, g: any) => s + g.counted, 0)).toBe(got.counted);
          // Time groups read counted responses by day; the headline's pending and bot totals are read on their own.
          expect([got.pending, got.bot], unit).toEqual(['pending', 'bot'].map((status) => counted.filter((r) => r.status === status).length));
          expect(got.pending + got.bot, unit).toBeGreaterThan(0);
          if (unit === 'week') {
            // 2026-01-01 is a Thursday: its week starts on Monday 2025-12-29, clipped to the report's start.
            expect(got.groups[0], JSON.stringify(got.groups[0])).toMatchObject({ key: '2025-12-29', from: iso(from), to: '2026-01-05T00:00:00.000Z' });
          }
        }
        const byAgent = await report(api, `survey=${survey.id}&from=${iso(from)}&to=${iso(to)}&groupBy=agent`);
        const agents = byAgent.groups.map((g: any) => g.key).sort();
        expect(agents).toEqual(['', 'luca', 'maria']);
        for (const group of byAgent.groups) {
          const want = expected('nps', counted.filter((r) => (r.agent ?? '') === group.key));
          expect(group.counted, group.key).toBe(want.counted);
          expectScore(group.score, want.score, `agent ${group.key}`);
        }
        const maria = await report(api, `survey=${survey.id}&from=${iso(from)}&to=${iso(to)}&agent=maria`);
        const want = expected('nps', counted.filter((r) => r.agent === 'maria'));
        expect(maria.counted).toBe(want.counted);
        expectScore(maria.score, want.score, 'agent=maria');
        // A period of partial months (whole months from the month tables, the days around them by day, the hours at its edges from the responses).
        const [midFrom, midTo] = [Date.UTC(2026, 0, 10, 12), Date.UTC(2026, 2, 20, 8)];
        const inMid = rows.filter((r) => r.first_answered_at >= midFrom && r.first_answered_at < midTo);
        for (const query of ['', '&groupBy=agent', '&agent=luca']) {
          const got = await report(api, `survey=${survey.id}&from=${iso(midFrom)}&to=${iso(midTo)}${query}`);
          const wantMid = expected('nps', query === '&agent=luca' ? inMid.filter((r) => r.agent === 'luca') : inMid);
          expect([got.counted, got.distribution], `${query} ${JSON.stringify(got)}`).toEqual([wantMid.counted, wantMid.distribution]);
          if (query === '') expect([got.pending, got.bot], JSON.stringify(got)).toEqual(['pending', 'bot'].map((status) => inMid.filter((r) => r.status === status).length));
          for (const group of got.groups ?? []) {
            expect(group.distribution, `agent ${group.key}`).toEqual(expected('nps', inMid.filter((r) => (r.agent ?? '') === group.key)).distribution);
          }
        }
      });

      it.each([
        ['Europe/Rome', '2026-03-27T00:00:00+01:00', '2026-04-01T00:00:00+02:00', [23, 24]],
        ['Europe/Rome', '2026-10-23T00:00:00+02:00', '2026-10-28T00:00:00+01:00', [25, 24]],
        ['Asia/Kolkata', '2026-05-01T00:00:00+05:30', '2026-05-05T00:00:00+05:30', [24]],
      ] as const)('%s from %s: local days (DST edges included) equal a recount with Intl, before and after the zone is set', async (zone, fromText, toText, hours) => {
        const { ws, api, owner } = await managedWorkspace();
        const survey = await api.createSurvey({ scale: 'csat5' });
        const from = Date.parse(fromText);
        const to = Date.parse(toText);
        // Random rows, plus the edges: 23:30 UTC (the next local day east of UTC), each local midnight ± 1 ms.
        const rows = randomRows(survey.id, 'csat5', from - DAY, to + DAY, 300, 11);
        const edges = [Date.parse(fromText.slice(0, 10) + 'T23:30:00Z'), from, from - 1, to - 1, to];
        rows.push(...edges.map((at) => ({ survey_id: survey.id, agent: 'maria', status: 'counted', score: 5, first_answered_at: at })));
        const later = randomRows(survey.id, 'csat5', from, to, 100, 12);
        await insert(ws.id, rows); // re-bucketed when the zone is set
        await setTimeZone(owner, zone);
        await insert(ws.id, later); // counted by the triggers on the new local days
        await expectAggregatesExact(ws.id, survey.id, zone);
        const all = [...rows, ...later].filter((r) => r.first_answered_at >= from && r.first_answered_at < to);
        const got = await report(api, `survey=${survey.id}&from=${encodeURIComponent(fromText)}&to=${encodeURIComponent(toText)}&groupBy=day`);
        expect(got.timeZone).toBe(zone);
        const want = expected('csat5', all);
        expect(got.counted, JSON.stringify(got)).toBe(want.counted);
        expectScore(got.score, want.score, zone);
        const days = [...new Set(all.map((r) => localDate(r.first_answered_at, zone)))].sort();
        expect(got.groups.map((g: any) => g.key)).toEqual(days);
        for (const group of got.groups) {
          const rowsOfDay = all.filter((r) => localDate(r.first_answered_at, zone) === group.key);
          const wantDay = expected('csat5', rowsOfDay);
          expect([group.key, group.counted, group.distribution], JSON.stringify(group)).toEqual([group.key, wantDay.counted, wantDay.distribution]);
          // The group's period is its local day: its first instant is that day's, its length 23, 24 or 25 hours.
          expect(localDate(Date.parse(group.from), zone)).toBe(group.key);
          expect(localDate(Date.parse(group.from) - 1, zone) < group.key).toBe(true);
          expect(hours.includes(((Date.parse(group.to) - Date.parse(group.from)) / 3_600_000) as never) || (Date.parse(group.to) - Date.parse(group.from)) / 3_600_000 === 24, JSON.stringify(group)).toBe(true);
        }
        const dstDay = got.groups.map((g: any) => (Date.parse(g.to) - Date.parse(g.from)) / 3_600_000);
        for (const h of hours) expect(dstDay, JSON.stringify(got.groups)).toContain(h);
        // A week's group starts on a local Monday.
        const weeks = await report(api, `survey=${survey.id}&from=${encodeURIComponent(fromText)}&to=${encodeURIComponent(toText)}&groupBy=week`);
        for (const g of weeks.groups) expect(new Date(`${g.key}T12:00:00Z`).getUTCDay(), g.key).toBe(1);
        expect(weeks.groups.reduce((sum: number, g: any) => sum + g.counted, 0)).toBe(want.counted);
      });

      it('defaults to the 30 days before now', async () => {
        const { api } = await workspace();
        const survey = await api.createSurvey({ scale: 'thumbs' });
        const got = await report(api, `survey=${survey.id}`);
        expect(Date.parse(got.to) - Date.parse(got.from), JSON.stringify(got)).toBe(30 * DAY);
        expect(Math.abs(Date.parse(got.to) - Date.now()), JSON.stringify(got)).toBeLessThan(10 * 60_000 + 5_000);
      });

      it('include=followUps: the figures of GET /followups/metrics for the same survey and period (with the default period too), and only that survey’s; without it, none', async () => {
        const { api } = await workspace();
        const survey = await api.createSurvey({ scale: 'csat3' });
        const other = await api.createSurvey({ scale: 'csat3' });
        const start = Date.parse((await api.call('GET', `/surveys/${survey.id}`, undefined, 200)).json.createdAt);
        // Three unhappy customers of the survey, one of the other: each negative answer opens a follow-up.
        const vote = async (surveyId: string, who: string, score: number) => {
          const minted = await api.mint(surveyId, `T-${++seq}`, who, {});
          return click(h, minted.links.find((l) => l.score === score)!.url);
        };
        for (const who of ['a', 'b', 'c']) await vote(survey.id, `${who}-${seq}@example.com`, 1);
        await vote(other.id, `d-${seq}@example.com`, 1);
        const list = (await api.call('GET', `/followups?survey=${survey.id}&status=new`, undefined, 200)).json.data;
        expect(list, JSON.stringify(list)).toHaveLength(3);
        // One is taken up after an hour and resolved 2 h 20 min later; one customer answers again, happy.
        h.advanceClock(3_600_000);
        await api.call('PATCH', `/followups/${list[0].id}`, { status: 'open' }, 200);
        h.advanceClock(8_400_000);
        await api.call('PATCH', `/followups/${list[0].id}`, { status: 'resolved', resolution: { rootCause: 'service', solved: true } }, 200);
        await vote(other.id, list[0].response.recipient, 3);

        const range = `from=${iso(start - DAY)}&to=${iso(start + DAY)}`;
        const got = await report(api, `survey=${survey.id}&${range}&include=followUps`);
        const { json: metrics } = await api.call('GET', `/followups/metrics?survey=${survey.id}&${range}`, undefined, 200);
        expect(got.followUps, JSON.stringify(got)).toEqual(metrics);
        expect(got.followUps, JSON.stringify(got)).toMatchObject({ from: got.from, to: got.to, opened: 3, resolved: 1, open: 2, overdue: 0, recovery: { customers: 3, withNextResponse: 1, recovered: 1 }, recoveryRate: 1 });
        expect(got.followUps.medianResolutionMs, JSON.stringify(got)).toBeGreaterThanOrEqual(12_000_000);
        // The default period: the report's own from and to.
        const byDefault = await report(api, `survey=${survey.id}&include=followUps`);
        expect([byDefault.followUps.from, byDefault.followUps.to], JSON.stringify(byDefault)).toEqual([byDefault.from, byDefault.to]);
        expect(byDefault.followUps.opened, JSON.stringify(byDefault)).toBe(3);
        // Opt-in: the plain report reads aggregates only.
        expect((await report(api, `survey=${survey.id}&${range}`)).followUps).toBeUndefined();
        // The other survey's report holds only its own follow-up.
        expect((await report(api, `survey=${other.id}&${range}&include=followUps`)).followUps).toMatchObject({ opened: 1, open: 1 });
      });
    });

    describe('rejects', () => {
      it.each([
        ['no survey', '', 'survey'],
        ['from after to', 'from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z', 'from'],
        ['from equal to to', 'from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
        ['over two years', 'from=2024-01-01T00:00:00Z&to=2026-01-03T00:00:00Z', 'to'],
        ['a date without a time', 'from=2026-01-01', 'from'],
        ['not a date', 'to=yesterday', 'to'],
        ['a bad groupBy', 'groupBy=year', 'groupBy'],
        ['a bad property groupBy', 'groupBy=property:Org', 'groupBy'],
        ['a property without a value', 'property=organization', 'property'],
        ['an unknown parameter', 'colour=red', 'colour'],
      ])('%s → 400 VALIDATION_FAILED naming the field', async (_, query, field) => {
        const { api } = await workspace();
        const survey = await api.createSurvey({ scale: 'csat3' });
        const got = await report(api, `${query.startsWith('no survey') || !query ? '' : `survey=${survey.id}&`}${query}`, 400);
        expect(got.error.code, JSON.stringify(got)).toBe('VALIDATION_FAILED');
        expect(got.error.details.field, JSON.stringify(got)).toBe(field);
      });

      it('an unknown time zone, or an offset, is refused on the page with the field named; nothing changes', async () => {
        const { api, owner } = await managedWorkspace();
        const survey = await api.createSurvey();
        for (const timeZone of ['Mars/Olympus', '+02:00', '']) {
          const refused = await owner.post('/app/members/time-zone', { timeZone });
          expect(refused.status, refused.describe).toBe(400);
          expect(refused.text).toContain('href="#timeZone"');
        }
        expect((await report(api, `survey=${survey.id}`)).timeZone).toBe('UTC');
      });

      it('an unknown survey → 404', async () => {
        const { api } = await workspace();
        const got = await report(api, 'survey=sv_0000000000000000', 404);
        expect(got.error.code, JSON.stringify(got)).toBe('NOT_FOUND');
      });
    });

    describe('security', () => {
      it("another workspace's survey → 404, and its responses never count in mine", async () => {
        const mine = await workspace();
        const theirs = await workspace();
        const survey = await theirs.api.createSurvey({ scale: 'csat3' });
        await insert(theirs.ws.id, [{ survey_id: survey.id, agent: null, status: 'counted', score: 3, first_answered_at: Date.now() - DAY }]);
        const got = await report(mine.api, `survey=${survey.id}`, 404);
        expect(got.error.code, JSON.stringify(got)).toBe('NOT_FOUND');
        expect((await report(theirs.api, `survey=${survey.id}`)).counted).toBe(1);
      });

      it('a member cannot set the time zone (403); an owner can', async () => {
        const { ws, api, owner } = await managedWorkspace();
        const member = new Visitor(h);
        const joined = await member.post(pathOf(await h.inviteLink(ws.id, `member-${seq}@example.com`, 'member')), { name: 'Mo Member', password: PASSWORD }, { withToken: false });
        expect(joined.status, joined.describe).toBe(303);
        await member.get('/app/members');
        const refused = await member.post('/app/members/time-zone', { timeZone: 'Europe/Rome' });
        expect(refused.status, refused.describe).toBe(403);
        const survey = await api.createSurvey();
        expect((await report(api, `survey=${survey.id}`)).timeZone).toBe('UTC');
        await setTimeZone(owner, 'europe/rome');
        expect((await report(api, `survey=${survey.id}`)).timeZone).toBe('Europe/Rome');
      });

      it("the two-year limit counts the workspace's days: 731 of them across a clock change are an hour more than 731 × 24 h", async () => {
        const { api, owner } = await managedWorkspace();
        const survey = await api.createSurvey();
        await setTimeZone(owner, 'Europe/Rome');
        // 2023-10-28 00:00 +02:00 to 2025-10-28 00:00 +01:00: 731 local days, 731 × 24 h + 1 h.
        const whole = `survey=${survey.id}&from=2023-10-27T22:00:00Z&to=2025-10-27T23:00:00Z`;
        expect((await report(api, whole)).counted).toBe(0);
        const longer = await report(api, `survey=${survey.id}&from=2023-10-27T22:00:00Z&to=2025-10-27T23:00:01Z`, 400);
        expect(longer.error.details.field, JSON.stringify(longer)).toBe('to');
      });

      it('needs an API key', async () => {
        const res = await h.fetch('/api/v1/reports?survey=sv_0000000000000000');
        expect(res.status, await res.clone().text()).toBe(401);
      });
    });
  });
}
