import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLinkToken } from '../../worker/lib/link-token';
import { Api, BROWSER_HEADERS, formTokenOf, page } from './client';
import type { Harness } from './harness';
import { Inbox } from './receiver';

/**
 * Vote stuffing through signature links (issue 17): a signature link is public and never expires,
 * so what one source can count through it is capped per UTC day (per network and per browser);
 * beyond the cap a click is aggregated evidence only (no response, no event, no webhook). The vote
 * routes are rate-limited per network before anything is opened or written. Prefetches never
 * record. A flood of requests from one network counts at most the cap and barely grows the database.
 * Old counters are pruned by the periodic maintenance. Per-message links cannot be minted for the
 * recipients signature votes use (`hint:`, `browser:`).
 *
 * `start(env)` starts the service with these settings added (on Node behind one trusted proxy, so
 * networks arrive as X-Forwarded-For; on Workers as CF-Connecting-IP).
 */
export const CAPS = { SIGNATURE_VOTES_PER_NETWORK: '5', SIGNATURE_VOTES_PER_BROWSER: '3' };

export function stuffingContract(start: (env: Record<string, string>) => Promise<Harness>, options: { floodRequests: number; floodConcurrency: number }) {
  /** Headers of a person's click from `ip` (each runtime learns the address its own way). */
  const from = (h: Harness, ip: string, extra: Record<string, string> = {}) => ({
    ...BROWSER_HEADERS,
    ...(h.runtime === 'node' ? { 'x-forwarded-for': ip } : { 'cf-connecting-ip': ip }),
    ...extra,
  });

  /** A survey, a signature link on it (its csat3 URLs, without hints) and, optionally, a webhook endpoint for `feedback.negative`. */
  async function setup(h: Harness, api: Api) {
    const survey = await api.createSurvey({ scale: 'csat3' });
    const { json: snippet } = await api.call('POST', '/snippets', { survey: survey.id, preset: 'plain', agent: 'maria' }, 201);
    const base = (score: number) => new URL((snippet.links as { score: number; url: string }[]).find((l) => l.score === score)!.url).pathname;
    const { json: endpoint } = await api.call('POST', '/webhooks', { url: new Inbox(h.receiverUrl).url, events: ['feedback.negative'] }, 201);
    return { survey: survey.id, link: snippet.signatureLink as string, base, endpoint: endpoint.id as string };
  }

  async function tally(h: Harness, s: { survey: string; link: string; endpoint: string }) {
    const [responses] = await h.query(`SELECT count(*) AS n, coalesce(sum(status = 'counted'), 0) AS counted FROM responses WHERE survey_id = ?`, [s.survey]);
    const [events] = await h.query(`SELECT count(*) AS n FROM response_events e JOIN responses r ON r.id = e.response_id WHERE r.survey_id = ?`, [s.survey]);
    const [deliveries] = await h.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?`, [s.endpoint]);
    const rows = await h.query(`SELECT source, responses, excess, first_excess_at, last_excess_at FROM signature_vote_counts WHERE link_id = ? ORDER BY source`, [s.link]);
    return { responses: Number(responses!.n), counted: Number(responses!.counted), events: Number(events!.n), deliveries: Number(deliveries!.n), rows };
  }

  describe('GET /s/:token/:score: per-source daily caps', () => {
    let h: Harness;
    let api: Api;
    beforeAll(async () => {
      h = await start(CAPS);
      api = new Api(h, (await h.newWorkspace('Caps')).apiKey);
    });
    afterAll(async () => {
      await h?.close();
    });

    describe('happy path', () => {
      it('one network counts up to its cap; beyond it a plain thanks, and one aggregated evidence row', async () => {
        const s = await setup(h, api);
        for (let i = 1; i <= 5; i++) {
          const res = await h.fetch(`${s.base(1)}?t=T-${i}&e=c${i}@example.com`, { headers: from(h, '198.51.100.7') });
          expect(res.status, `vote ${i} → ${res.status === 303 ? '' : await res.text()}`).toBe(303);
        }
        for (let i = 6; i <= 9; i++) {
          const res = await h.fetch(`${s.base(1)}?t=T-${i}&e=c${i}@example.com`, { headers: from(h, '198.51.100.99') });
          const html = await res.text();
          expect(res.status, html).toBe(200);
          expect(html).toContain('Thank you for your feedback');
          expect(res.headers.get('location')).toBeNull();
          expect(res.headers.get('set-cookie')).toBeNull();
          expect(res.headers.get('cache-control')).toBe('no-store');
          // Nothing to change, confirm or comment on: there is no response behind it.
          expect(html).not.toMatch(/<form|\/t\/rsp_/);
        }
        const t = await tally(h, s);
        expect(t).toMatchObject({ responses: 5, events: 5 });
        expect(t.deliveries).toBeLessThanOrEqual(5);
        expect(t.rows).toEqual([{ source: 'net:198.51.100.0/24', responses: 5, excess: 4, first_excess_at: expect.any(Number), last_excess_at: expect.any(Number) }]);
      });

      it('another network, and the next UTC day, count afresh; an existing response still changes its answer', async () => {
        const s = await setup(h, api);
        const ids: string[] = [];
        for (let i = 1; i <= 5; i++) ids.push((await h.fetch(`${s.base(3)}?t=T-${i}&e=d${i}@example.com`, { headers: from(h, '192.0.2.10') })).headers.get('location')!.slice(3));
        expect((await h.fetch(`${s.base(3)}?t=T-6&e=d6@example.com`, { headers: from(h, '192.0.2.10') })).status).toBe(200);
        // The same ticket and requester again, with another answer: their response, changed.
        const again = await h.fetch(`${s.base(1)}?t=T-2&e=d2@example.com`, { headers: from(h, '192.0.2.11') });
        expect(again.status, await again.clone().text()).toBe(303);
        expect(again.headers.get('location')).toBe(`/t/${ids[1]}`);
        expect((await api.response(ids[1]!)).score).toBe(1);
        // Another network (an IPv6 /48 too) is not held back by the first one's count.
        expect((await h.fetch(`${s.base(3)}?t=T-7&e=d7@example.com`, { headers: from(h, '203.0.113.5') })).status).toBe(303);
        expect((await h.fetch(`${s.base(3)}?t=T-8&e=d8@example.com`, { headers: from(h, '2001:db8:1234:5::9') })).status).toBe(303);
        h.advanceClock(86_400_000);
        expect((await h.fetch(`${s.base(3)}?t=T-9&e=d9@example.com`, { headers: from(h, '192.0.2.10') })).status).toBe(303);
        const t = await tally(h, s);
        expect(t.responses).toBe(8);
        expect(t.rows.map((r) => r.source)).toEqual(expect.arrayContaining(['net:192.0.2.0/24', 'net:203.0.113.0/24', 'net:2001:db8:1234::/48']));
      });

      it('prunes counters older than the 30-day evidence window, and keeps the rest', async () => {
        const s = await setup(h, api);
        expect((await h.fetch(`${s.base(1)}?t=M-1&e=m@example.com`, { headers: from(h, '198.51.100.77') })).status).toBe(303);
        const [{ day }] = (await h.query('SELECT day FROM signature_vote_counts WHERE link_id = ?', [s.link])) as [{ day: number }];
        for (const back of [1, 29, 30, 400]) {
          await h.query('INSERT INTO signature_vote_counts (link_id, day, source, responses, excess) VALUES (?, ?, ?, 1, 7)', [s.link, day - back, 'net:198.51.100.0/24']);
        }
        await h.maintain();
        const days = (await h.query('SELECT day FROM signature_vote_counts WHERE link_id = ? ORDER BY day DESC', [s.link])).map((r) => day - Number(r.day));
        expect(days).toEqual([0, 1, 29]);
      });
    });

    describe('rejects', () => {
      it('one browser (its cookie) creates at most its cap of responses per link and day, whatever hints it forges', async () => {
        const s = await setup(h, api);
        const first = await h.fetch(s.base(2), { headers: from(h, '198.18.0.1') });
        expect(first.status).toBe(303);
        const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
        const statuses: number[] = [];
        for (let i = 1; i <= 4; i++) statuses.push((await h.fetch(`${s.base(1)}?t=B-${i}&e=b${i}@example.com`, { headers: from(h, '198.18.0.1', { cookie }) })).status);
        // The anonymous vote did not count against the browser (it had no cookie yet); then 3 hinted votes.
        expect(statuses).toEqual([303, 303, 303, 200]);
        // The browser's own anonymous response can still change its answer.
        const change = await h.fetch(s.base(3), { headers: from(h, '198.18.0.1', { cookie }) });
        expect(change.headers.get('location')).toBe(first.headers.get('location'));
        const t = await tally(h, s);
        expect(t.responses).toBe(4);
        expect(t.rows.find((r) => r.source === 'net:198.18.0.0/24')).toMatchObject({ responses: 4, excess: 1 });
        expect(t.rows.find((r) => String(r.source).startsWith('browser:'))).toMatchObject({ responses: 3, excess: 0 });
      });

      it.each([
        ['Sec-Purpose: prefetch', { 'sec-purpose': 'prefetch' }],
        ['Sec-Purpose: prefetch;prerender', { 'sec-purpose': 'prefetch;prerender' }],
        ['Purpose: prefetch', { purpose: 'prefetch' }],
        ['X-Moz: prefetch', { 'x-moz': 'prefetch' }],
      ])('a prefetch (%s) is declined and records nothing', async (_name, headers) => {
        const s = await setup(h, api);
        const res = await h.fetch(`${s.base(1)}?t=P-1&e=p@example.com`, { headers: from(h, '198.51.100.200', headers) });
        expect(res.status, await res.clone().text()).toBe(503);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await tally(h, s)).toMatchObject({ responses: 0, events: 0, deliveries: 0, rows: [] });
      });
    });

    describe('security', () => {
      it('concurrent clicks from one network cannot pass the cap together', async () => {
        const s = await setup(h, api);
        const statuses = await Promise.all(
          Array.from({ length: 40 }, (_, i) => h.fetch(`${s.base(1)}?t=C-${i}&e=c${i}@example.com`, { headers: from(h, '100.64.9.1') }).then((res) => res.status)),
        );
        expect(statuses.filter((status) => status === 303)).toHaveLength(5);
        expect(statuses.filter((status) => status === 200)).toHaveLength(35);
        const t = await tally(h, s);
        expect(t).toMatchObject({ responses: 5, events: 5 });
        expect(t.rows).toEqual([expect.objectContaining({ source: 'net:100.64.9.0/24', responses: 5, excess: 35 })]);
      });

      it(`a flood of ${options.floodRequests} requests from one network with forged hints counts at most the cap and grows the database by under 1 MB`, async () => {
        const s = await setup(h, api);
        const size = async () => {
          const [count] = await h.query('PRAGMA page_count');
          const [pageSize] = await h.query('PRAGMA page_size');
          return Number(Object.values(count!)[0]) * Number(Object.values(pageSize!)[0]);
        };
        const before = await size();
        const started = Date.now();
        let next = 0;
        const statuses = new Map<number, number>();
        async function worker() {
          while (next < options.floodRequests) {
            const i = next++;
            // A negative answer against another ticket and requester every time, like the measured attack.
            const res = await h.fetch(`${s.base(1)}?t=FLOOD-${i}&e=victim${i}@example.com`, { headers: from(h, `203.0.113.${i % 250}`) });
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }
        await Promise.all(Array.from({ length: options.floodConcurrency }, worker));
        const seconds = (Date.now() - started) / 1000;
        await h.settle();
        const t = await tally(h, s);
        const grown = (await size()) - before;
        const excess = t.rows.reduce((sum, r) => sum + Number(r.excess), 0);
        console.log(
          `flood (${h.runtime}): ${JSON.stringify({ requests: options.floodRequests, statuses: Object.fromEntries(statuses), responses: t.responses, counted: t.counted, excessAggregated: excess, evidenceRows: t.rows.length, deliveriesQueued: t.deliveries, bytesGrown: grown, seconds })}`,
        );
        expect(statuses.get(303), JSON.stringify([...statuses])).toBe(5);
        expect(statuses.get(200)).toBe(options.floodRequests - 5);
        expect(t.responses).toBe(5);
        expect(t.counted).toBeLessThanOrEqual(5);
        expect(t.deliveries).toBeLessThanOrEqual(5);
        expect(excess).toBe(options.floodRequests - 5);
        expect(t.rows).toHaveLength(1);
        expect(grown).toBeLessThan(1024 * 1024);
      }, 300_000);
    });
  });

  describe('vote routes: request-rate limit per network', () => {
    let h: Harness;
    let api: Api;
    // The limit of wrangler.toml's VOTE_RATE_LIMITER binding, and the same on Node.
    const LIMIT = 120;
    beforeAll(async () => {
      h = await start({ VOTE_RATE_LIMIT: String(LIMIT) });
      api = new Api(h, (await h.newWorkspace('Rate')).apiKey);
    });
    afterAll(async () => {
      await h?.close();
    });

    /** A network of its own per test and run: the Workers binding keeps its counts across suites. */
    const network = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.1`;

    describe('happy path', () => {
      it('below the limit every vote route answers as usual, and the thank-you page is never limited', async () => {
        const s = await setup(h, api);
        const ip = network();
        const res = await h.fetch(s.base(3), { headers: from(h, ip) });
        expect(res.status, await res.clone().text()).toBe(303);
        for (let i = 0; i < LIMIT + 5; i++) expect((await h.fetch(res.headers.get('location')!, { headers: from(h, ip) })).status).toBe(200);
      });
    });

    describe('rejects', () => {
      it(`past ${LIMIT} requests a minute one network gets a friendly 429 page with Retry-After, before any token is opened or anything written`, async () => {
        const s = await setup(h, api);
        const ip = network();
        const minted = await api.mint(s.survey, 'T-RATE', 'rate@example.com');
        const thanks = await h.fetch(s.base(3), { headers: from(h, network()) });
        const responseId = thanks.headers.get('location')!.slice(3);
        const { html } = await page(h, `/t/${responseId}`, from(h, network()));
        // Requests that write nothing (a broken token) use up the network's allowance.
        for (let i = 0; i < LIMIT; i++) {
          const res = await h.fetch('/s/not-a-token/1', { headers: from(h, ip) });
          await res.arrayBuffer();
          expect(res.status, `request ${i + 1}`).toBe(400);
        }
        const before = await tally(h, s);
        const attempts: [string, RequestInit][] = [
          [s.base(1), { headers: from(h, ip) }],
          [`${s.base(1)}?t=R-1&e=r@example.com`, { headers: from(h, ip) }],
          [new URL(minted.links[0]!.url).pathname, { headers: from(h, ip) }],
          ['/s/not-a-token/1', { headers: from(h, ip) }],
          [`/t/${responseId}/answer/1`, { headers: from(h, ip) }],
          [`/t/${responseId}/comment`, { method: 'POST', headers: from(h, ip, { 'content-type': 'application/x-www-form-urlencoded' }), body: new URLSearchParams({ comment: 'spam', form_token: formTokenOf(html) }).toString() }],
        ];
        for (const [path, init] of attempts) {
          const res = await h.fetch(path, init);
          const body = await res.text();
          expect(res.status, `${path} → ${body}`).toBe(429);
          expect(Number(res.headers.get('retry-after')), path).toBeGreaterThanOrEqual(1);
          expect(Number(res.headers.get('retry-after')), path).toBeLessThanOrEqual(60);
          expect(res.headers.get('content-type')).toMatch(/^text\/html/);
          expect(body).toContain('One moment, please');
        }
        const german = await h.fetch(s.base(1), { headers: from(h, ip, { 'accept-language': 'de' }) });
        expect(await german.text()).toContain('Einen Moment bitte');
        expect(await tally(h, s)).toEqual(before);
        expect((await api.responses(`?subject=T-RATE&status=all`)).data).toHaveLength(0);
        expect((await api.response(responseId)).comment).toBeNull();
        // The thank-you page itself, another network, and the API are not limited.
        expect((await h.fetch(`/t/${responseId}`, { headers: from(h, ip) })).status).toBe(200);
        expect((await h.fetch(s.base(1), { headers: from(h, network()) })).status).toBe(303);
        await api.call('GET', `/responses/${responseId}`, undefined, 200);
      });
    });
  });

  describe('POST /api/v1/links and POST /api/v1/emails/render: the recipient namespaces of signature votes', () => {
    let h: Harness;
    let api: Api;
    let workspace: string;
    beforeAll(async () => {
      h = await start({});
      const created = await h.newWorkspace('Recipients');
      workspace = created.id;
      api = new Api(h, created.apiKey);
    });
    afterAll(async () => {
      await h?.close();
    });

    describe('happy path', () => {
      it.each(['ann@example.com', 'hints@example.com', 'customer:42', 'ann+hint:x@example.com'])('%s is a recipient like any other', async (recipient) => {
        const survey = await api.createSurvey({ scale: 'thumbs' });
        await api.call('POST', '/links', { survey: survey.id, subject: 'T-1', recipient }, 201);
        await api.call('POST', '/emails/render', { survey: survey.id, subject: 'T-1', recipient }, 200);
      });
    });

    describe('rejects', () => {
      it.each(['hint:ann@example.com', 'browser:0123456789abcdefghjk', 'HINT:ann@example.com', '  Browser:x'])('%j → 400 VALIDATION_FAILED naming "recipient", on both routes', async (recipient) => {
        const survey = await api.createSurvey({ scale: 'thumbs' });
        for (const [path, expected] of [['/links', 'recipient'], ['/emails/render', 'recipient']] as const) {
          const { json } = await api.call('POST', path, { survey: survey.id, subject: 'T-1', recipient }, 400);
          expect(json.error.code, JSON.stringify(json)).toBe('VALIDATION_FAILED');
          expect(json.error.details.field).toBe(expected);
          expect(json.error.message).toContain('recipient');
        }
      });
    });

    describe('security', () => {
      it('a per-message link minted for an internal recipient before they were refused cannot touch the hinted response', async () => {
        const survey = await api.createSurvey({ scale: 'csat3' });
        const { json: snippet } = await api.call('POST', '/snippets', { survey: survey.id, preset: 'zendesk-macro' }, 201);
        const hinted = await h.fetch(`${new URL(snippet.links[2].url).pathname}?t=T-9&e=ann@example.com`, { headers: from(h, '192.0.2.50') });
        expect(hinted.status, await hinted.clone().text()).toBe(303);
        const hintedId = hinted.headers.get('location')!.slice(3);
        const token = await mintLinkToken(h.linkKeys, { workspaceId: workspace, surveyId: survey.id, scale: 'csat3', subject: 'T-9', recipient: 'hint:ann@example.com', agent: null, expiresAt: Math.floor(Date.now() / 1000) + 86_400 });
        const res = await h.fetch(`/r/${token}/1`, { headers: from(h, '192.0.2.51') });
        const html = await res.text();
        expect(res.status, html).toBe(400);
        expect(html).toContain('This link does not work');
        expect(await api.response(hintedId)).toMatchObject({ subject: 'T-9', recipient: 'hint:ann@example.com', score: 3 });
      });
    });
  });
}
