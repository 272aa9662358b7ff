import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { mintLinkToken } from '../../worker/lib/link-token';
import { toBase64Url } from '../../worker/lib/encoding';
import { Api, BROWSER_HEADERS, click, formTokenOf, page, pathOf, postComment } from './client';
import type { Harness } from './harness';

/**
 * The capture contract: mint → click → thank-you page → change → comment, every bad input, HEAD,
 * concurrency, API auth and workspace isolation. Each runtime runs it through its own runner.
 */
export function captureContract(start: () => Promise<Harness>) {
  let h: Harness;
  let api: Api;
  let other: Api;
  let acmeId = '';

  beforeAll(async () => {
    h = await start();
    const acme = await h.newWorkspace('Acme');
    acmeId = acme.id;
    api = new Api(h, acme.apiKey);
    other = new Api(h, (await h.newWorkspace('Other')).apiKey);
  });
  afterAll(async () => {
    await h?.close();
  });

  let seq = 0;
  /** A survey and the links of one fresh message (unique subject per test: no shared state). */
  async function message(scale = 'csat3', extra: Record<string, unknown> = {}) {
    const survey = await api.createSurvey({ scale, ...extra });
    const subject = `T-${++seq}-${Date.now()}`;
    const minted = await api.mint(survey.id, subject, `cust${seq}@example.com`, { agent: 'maria' });
    const url = (score: number) => minted.links.find((l) => l.score === score)!.url;
    return { survey, subject, minted, url };
  }

  describe('GET /r/:token/:score', () => {
    describe('happy path', () => {
      it('mints one link per answer, each under 300 characters, sharing one token', async () => {
        for (const [scale, count] of [['csat3', 3], ['csat5', 5], ['nps', 11], ['ces7', 7], ['thumbs', 2]] as const) {
          const survey = await api.createSurvey({ scale });
          const { links } = await api.mint(survey.id, 'TICKET-12345', 'customer.name@example.com', { agent: 'maria' });
          expect(links.map((l) => l.score)).toHaveLength(count);
          const tokens = new Set(links.map((l) => new URL(l.url).pathname.split('/')[2]));
          expect(tokens.size).toBe(1);
          for (const link of links) {
            expect(link.url.length, link.url).toBeLessThan(300);
            expect(link.url).not.toContain('customer.name');
            expect(link.url).not.toContain('TICKET');
          }
        }
      });

      it('records the click and redirects (303) to the thank-you page addressed by the response id', async () => {
        const m = await message('csat3', { question: { en: 'How did we do?', it: 'Com’è andata?' } });
        const id = await click(h, m.url(1));
        const { res, html } = await page(h, `/t/${id}`);
        expect(res.status, html).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        expect(html).toContain('How did we do?');
        expect(html).toMatch(/<span aria-current="true"[^>]*>.*😞/);
        expect(html).toContain(`href="/t/${id}/answer/2"`);
        expect(html).toContain(`href="/t/${id}/answer/3"`);
        expect(html).not.toContain(`href="/t/${id}/answer/1"`);
        expect(html).toMatch(/<label for="comment">/);
        expect(new TextEncoder().encode(html).length).toBeLessThan(10 * 1024);
        expect(html).not.toMatch(/<(script|img|link|iframe)\b/i);
        expect(html).not.toMatch(/https?:\/\//);

        const r = await api.response(id);
        expect(r).toMatchObject({ id, survey: m.survey.id, subject: m.subject, score: 1, label: 'Bad', sentiment: 'negative', status: 'counted', agent: 'maria', comment: null });
        expect(r.events).toHaveLength(1);
        expect(r.events[0]).toMatchObject({ kind: 'created', score: 1, signals: { method: 'GET', userAgent: BROWSER_HEADERS['user-agent'], acceptLanguage: 'en-GB,en;q=0.9', secFetch: expect.objectContaining({ site: 'none', user: '?1', dest: 'document' }) } });
      });

      it('sends strict security headers on pages and redirects', async () => {
        const m = await message();
        const redirect = await h.fetch(pathOf(m.url(3)), { headers: BROWSER_HEADERS });
        const id = redirect.headers.get('location')!.slice(3);
        const { res } = await page(h, `/t/${id}`);
        for (const r of [redirect, res]) {
          expect(r.headers.get('referrer-policy')).toBe('no-referrer');
          expect(r.headers.get('x-robots-tag')).toMatch(/noindex/);
          expect(r.headers.get('cache-control')).toBe('no-store');
          const csp = r.headers.get('content-security-policy') ?? '';
          expect(csp).toContain("default-src 'none'");
          expect(csp).toContain("frame-ancestors 'none'");
          expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
          expect(csp).not.toContain('unsafe-inline');
        }
      });

      it('is idempotent: the same click again changes nothing', async () => {
        const m = await message();
        const first = await click(h, m.url(2));
        const second = await click(h, m.url(2));
        expect(second).toBe(first);
        const r = await api.response(first);
        expect(r.events).toHaveLength(1);
        expect((await api.responses(`?subject=${m.subject}`)).data).toHaveLength(1);
      });

      it('a different answer updates the response (last answer wins) and keeps the history', async () => {
        const m = await message('nps');
        const id = await click(h, m.url(3));
        expect(await click(h, m.url(9))).toBe(id);
        const r = await api.response(id);
        expect(r).toMatchObject({ score: 9, sentiment: 'positive' });
        expect(r.events.map((e: any) => [e.kind, e.score])).toEqual([['created', 3], ['changed', 9]]);
        expect(Date.parse(r.lastAnsweredAt)).toBeGreaterThanOrEqual(Date.parse(r.firstAnsweredAt));
      });

      it('changes the answer from the thank-you page links', async () => {
        const m = await message('ces7');
        const id = await click(h, m.url(2));
        const res = await h.fetch(`/t/${id}/answer/7`, { headers: BROWSER_HEADERS });
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe(`/t/${id}`);
        const { html } = await page(h, `/t/${id}`);
        expect(html).toMatch(/<span aria-current="true"[^>]*><span class="m" aria-hidden="true">7</);
        expect((await api.response(id)).sentiment).toBe('positive');
      });

      it('stores a comment, escapes it on output and shows a confirmation', async () => {
        const m = await message();
        const id = await click(h, m.url(1));
        const { html } = await page(h, `/t/${id}`);
        const comment = '  The agent was <b>rude</b> & "slow" <script>alert(1)</script>\r\n second line  ';
        const res = await postComment(h, id, { comment, form_token: formTokenOf(html) });
        expect(res.status, await res.clone().text()).toBe(303);
        expect(res.headers.get('location')).toBe(`/t/${id}?saved=1`);
        const after = await page(h, `/t/${id}?saved=1`);
        expect(after.html).toContain('role="status"');
        expect(after.html).toContain('we have received your comment');
        expect(after.html).toContain('&lt;b&gt;rude&lt;/b&gt; &amp; &quot;slow&quot; &lt;script&gt;');
        expect(after.html).not.toContain('<script>');
        const r = await api.response(id);
        expect(r.comment).toBe('The agent was <b>rude</b> & "slow" <script>alert(1)</script>\n second line');
        expect(r.events.map((e: any) => e.kind)).toEqual(['created', 'commented']);
      });

      it('localizes the page from Accept-Language, and from the survey when it has a locale', async () => {
        const m = await message('csat3', { question: { en: 'How did we do?', it: 'Com’è andata?' } });
        const id = await click(h, m.url(3));
        const it1 = await page(h, `/t/${id}`, { ...BROWSER_HEADERS, 'accept-language': 'it-IT,it;q=0.9,en;q=0.5' });
        expect(it1.html).toContain('<html lang="it"');
        expect(it1.html).toContain('Com’è andata?');
        expect(it1.html).toContain('Grazie per il tuo feedback');
        const en = await page(h, `/t/${id}`, { ...BROWSER_HEADERS, 'accept-language': 'pt-BR, en;q=0.8' });
        expect(en.html).toContain('<html lang="en"');
        const de = await page(h, `/t/${id}`, { ...BROWSER_HEADERS, 'accept-language': 'de-DE, en;q=0.8' });
        expect(de.html).toContain('<html lang="de"');
        expect(de.html).toContain('Vielen Dank für Ihr Feedback');

        const fixed = await message('csat3', { question: 'Com’è andata?', locale: 'it' });
        const id2 = await click(h, fixed.url(2));
        expect((await page(h, `/t/${id2}`)).html).toContain('<html lang="it"');
      });

      it('fifty concurrent clicks on the same link produce exactly one response and one event', async () => {
        const m = await message();
        const ids = await Promise.all(Array.from({ length: 50 }, () => click(h, m.url(3))));
        expect(new Set(ids).size).toBe(1);
        expect((await api.responses(`?subject=${m.subject}`)).data).toHaveLength(1);
        expect((await api.response(ids[0]!)).events).toHaveLength(1);
      });

      it('concurrent clicks on different answers keep one response and a consistent history', async () => {
        const m = await message('csat5');
        const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => click(h, m.url((i % 5) + 1))));
        expect(new Set(ids).size).toBe(1);
        const r = await api.response(ids[0]!);
        const kinds = r.events.map((e: any) => e.kind);
        expect(kinds[0]).toBe('created');
        // After the first, each event is a change of answer, or the same answer again that was
        // classified differently when it arrived (the burst is found while the clicks come in, and
        // the earlier clicks are then relabelled too): never anything else.
        r.events.slice(1).forEach((e: any, i: number) => {
          const before = r.events[i];
          if (e.kind === 'changed') expect(e.score, JSON.stringify(r.events)).not.toBe(before.score);
          else {
            expect(e.kind, JSON.stringify(r.events)).toBe('clicked');
            expect(e.score, JSON.stringify(r.events)).toBe(before.score);
          }
        });
        expect(r.events.at(-1).score).toBe(r.score);
        // Thirty different answers at once is a burst: a robot, flagged and kept, never counted.
        expect(r.status).toBe('bot');
        expect(r.events.every((e: any) => e.status === 'bot' && e.reason.startsWith('burst:')), JSON.stringify(r.events)).toBe(true);
        expect((await api.responses(`?subject=${m.subject}`)).data).toHaveLength(0);
        expect((await api.responses(`?subject=${m.subject}&status=bot`)).data).toHaveLength(1);
      });

      it('HEAD never records anything', async () => {
        const m = await message();
        const res = await h.fetch(pathOf(m.url(1)), { method: 'HEAD', headers: BROWSER_HEADERS });
        expect(res.status).toBe(200);
        expect((await api.responses(`?subject=${m.subject}`)).data).toHaveLength(0);
        const id = await click(h, m.url(3));
        expect((await h.fetch(`/t/${id}/answer/1`, { method: 'HEAD' })).status).toBe(200);
        expect((await api.response(id)).score).toBe(3);
      });
    });

    describe('rejects', () => {
      async function expectPage(path: string, status: number, text: RegExp) {
        const { res, html } = await page(h, path);
        expect(res.status, html).toBe(status);
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(html).toMatch(text);
        expect(html).toContain('role="alert"');
        return html;
      }

      const cases: [string, (url: string, token: string) => string | Promise<string>, number, RegExp][] = [
        ['a tampered token', (_u, t) => `/r/${t.slice(0, 120)}${t[120] === 'A' ? 'B' : 'A'}${t.slice(121)}/1`, 400, /This link does not work/],
        ['a truncated token', (_u, t) => `/r/${t.slice(0, t.length - 10)}/1`, 400, /This link does not work/],
        ['garbage instead of a token', () => '/r/not-a-token/1', 400, /This link does not work/],
        ['a score above the scale', (_u, t) => `/r/${t}/4`, 400, /not on the scale/],
        ['a score below the scale', (_u, t) => `/r/${t}/0`, 400, /not on the scale/],
        ['a non-numeric score', (_u, t) => `/r/${t}/abc`, 400, /not on the scale/],
        ['a fractional score', (_u, t) => `/r/${t}/1.5`, 400, /not on the scale/],
        ['an unknown key id', async () => {
          const stranger = parseKeyRing('X', `zz9:${toBase64Url(new Uint8Array(32).fill(7))}`);
          return `/r/${await mintLinkToken(stranger, claimsFor('sv_0000000000000000'))}/1`;
        }, 400, /This link does not work/],
        ['an expired link', async () => `/r/${await mintLinkToken(h.linkKeys, { ...claimsFor(lastSurvey), expiresAt: Math.floor(Date.now() / 1000) - 60 })}/1`, 410, /This survey has closed/],
        ['an unknown survey', async () => `/r/${await mintLinkToken(h.linkKeys, claimsFor('sv_0000000000000000'))}/1`, 404, /could not find this survey/],
      ];
      let lastSurvey = '';
      function claimsFor(surveyId: string) {
        return { workspaceId: acmeId, surveyId, scale: 'csat3' as const, subject: 'S-x', recipient: 'x@example.com', agent: null, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
      }

      it.each(cases)('%s gets a friendly page and records nothing', async (_name, makePath, status, text) => {
        const m = await message();
        lastSurvey = m.survey.id;
        const token = new URL(m.url(1)).pathname.split('/')[2]!;
        await expectPage(await makePath(m.url(1), token), status, text);
        expect((await api.responses('?status=all&limit=1000')).data.filter((r) => r.survey === m.survey.id)).toHaveLength(0);
      });

      it('an unknown response id gets a 404 page', async () => {
        await expectPage('/t/rsp_00000000000000000000000000', 404, /could not find/);
        await expectPage('/t/not-an-id', 404, /could not find/);
        await expectPage('/t/rsp_00000000000000000000000000/answer/1', 404, /could not find/);
      });

      it('a comment that is too long is refused with the text kept, and nothing is stored', async () => {
        const m = await message();
        const id = await click(h, m.url(2));
        const { html } = await page(h, `/t/${id}`);
        const long = 'é'.repeat(2001);
        const res = await postComment(h, id, { comment: long, form_token: formTokenOf(html) });
        const body = await res.text();
        expect(res.status, body).toBe(422);
        expect(body).toContain('too long');
        expect(body).toContain(long);
        expect((await api.response(id)).comment).toBeNull();
        // exactly 2000 characters is fine
        const ok = await postComment(h, id, { comment: 'é'.repeat(2000), form_token: formTokenOf(html) });
        expect(ok.status).toBe(303);
      });

      it('an empty comment is refused kindly', async () => {
        const m = await message();
        const id = await click(h, m.url(2));
        const { html } = await page(h, `/t/${id}`);
        const res = await postComment(h, id, { comment: '   \n ', form_token: formTokenOf(html) });
        expect(res.status).toBe(422);
        expect((await api.response(id)).events).toHaveLength(1);
      });

      it.each([
        ['missing', undefined],
        ['garbage', 'nope'],
        ['forged', 'devf1.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ])('a %s form token is refused (403) and nothing is stored', async (_name, token) => {
        const m = await message();
        const id = await click(h, m.url(2));
        const res = await postComment(h, id, token === undefined ? { comment: 'hello' } : { comment: 'hello', form_token: token });
        const body = await res.text();
        expect(res.status, body).toBe(403);
        expect(body).toContain('could not be sent');
        expect((await api.response(id)).comment).toBeNull();
      });

      it('a form token of another response is refused', async () => {
        const a = await message();
        const b = await message();
        const idA = await click(h, a.url(1));
        const idB = await click(h, b.url(1));
        const tokenA = formTokenOf((await page(h, `/t/${idA}`)).html);
        expect((await postComment(h, idB, { comment: 'hi', form_token: tokenA })).status).toBe(403);
      });

      it('an oversized form body is refused (413)', async () => {
        const m = await message();
        const id = await click(h, m.url(1));
        const token = formTokenOf((await page(h, `/t/${id}`)).html);
        const res = await postComment(h, id, { comment: 'x'.repeat(100_000), form_token: token });
        expect(res.status).toBe(413);
        expect((await api.response(id)).comment).toBeNull();
      });

      it('a database that is down gives a 503 page and an API error envelope', async () => {
        const m = await message();
        const down = await h.withDatabaseDown();
        try {
          const res = await down.fetch(pathOf(m.url(1)), { headers: BROWSER_HEADERS });
          const html = await res.text();
          expect(res.status, html).toBe(503);
          expect(html).toContain('We are having a problem');
          const apiRes = await down.fetch('/api/v1/surveys', { headers: { authorization: `Bearer ${api.apiKey}` } });
          const body = (await apiRes.json()) as any;
          expect(apiRes.status).toBe(503);
          expect(body.error).toMatchObject({ code: 'DB_UNAVAILABLE' });
          expect(body.error.requestId).toMatch(/^req_/);
          expect((await down.fetch('/readyz')).status).toBe(503);
          expect((await down.fetch('/healthz')).status).toBe(200);
        } finally {
          await down.close();
        }
        expect((await api.responses(`?subject=${m.subject}`)).data).toHaveLength(0);
      });
    });
  });

  describe('/api/v1', () => {
    describe('happy path', () => {
      it('creates, lists and gets surveys', async () => {
        const s = await api.createSurvey({ name: 'NPS Q4', scale: 'nps', question: { en: 'Would you recommend us?', it: 'Ci consiglieresti?' } });
        expect(s).toMatchObject({ name: 'NPS Q4', scale: 'nps', question: 'Would you recommend us?', translations: { it: 'Ci consiglieresti?' } });
        expect(s.id).toMatch(/^sv_/);
        const list = (await api.call('GET', '/surveys', undefined, 200)).json;
        expect(list.data.map((x: any) => x.id)).toContain(s.id);
        expect((await api.call('GET', `/surveys/${s.id}`, undefined, 200)).json.id).toBe(s.id);
      });

      it('lists responses newest first, filtered and paged with an opaque cursor', async () => {
        const survey = await api.createSurvey({ scale: 'thumbs' });
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const { links } = await api.mint(survey.id, `PAGE-${i}`, `p${i}@example.com`);
          ids.push(await click(h, links[i % 2]!.url));
        }
        const seen: string[] = [];
        let cursor: string | null = '';
        let pages = 0;
        while (cursor !== null) {
          const res: { data: any[]; next: string | null } = await api.responses(`?survey=${survey.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...res.data.map((r) => r.id));
          cursor = res.next;
          pages++;
        }
        expect(pages).toBe(3);
        expect(seen).toEqual([...ids].reverse());
        expect((await api.responses(`?survey=${survey.id}&recipient=p3@example.com`)).data.map((r) => r.id)).toEqual([ids[3]]);
        expect((await api.responses(`?survey=${survey.id}&email=p3@example.com`)).data.map((r) => r.id)).toEqual([ids[3]]);
        expect((await api.responses(`?survey=${survey.id}&subject=PAGE-1`)).data.map((r) => r.id)).toEqual([ids[1]]);
        expect((await api.responses(`?survey=${survey.id}&since=2999-01-01T00:00:00Z`)).data).toHaveLength(0);
        expect((await api.responses(`?survey=${survey.id}&since=2000-01-01`)).data).toHaveLength(5);
        const one = (await api.responses(`?survey=${survey.id}&subject=PAGE-0`)).data[0];
        expect(Object.keys(one)).toEqual(expect.arrayContaining(['id', 'survey', 'subject', 'recipient', 'score', 'sentiment', 'comment', 'status']));
      });

      it('answers /healthz and /readyz', async () => {
        expect((await h.fetch('/healthz')).status).toBe(200);
        expect((await h.fetch('/readyz')).status).toBe(200);
      });
    });

    describe('rejects', () => {
      it.each([
        ['no Authorization header', undefined],
        ['a wrong key', 'Bearer cbk_wrongwrongwrongwrongwrongwrongwrongwrongwrongwrongwr'],
        ['a malformed header', 'Basic dXNlcjpwYXNz'],
        ['a bare key without Bearer', 'cbk_x'],
      ])('%s → 401 with the error envelope', async (_name, authorization) => {
        const res = await h.fetch('/api/v1/surveys', { headers: authorization ? { authorization } : {} });
        const body = (await res.json()) as any;
        expect(res.status, JSON.stringify(body)).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String), requestId: expect.stringMatching(/^req_/) } });
      });

      it.each([
        ['an unknown scale', { name: 'x', scale: 'stars', question: 'q' }],
        ['a missing name', { scale: 'nps', question: 'q' }],
        ['a missing question', { name: 'x', scale: 'nps' }],
        ['an unsupported locale', { name: 'x', scale: 'nps', question: 'q', locale: 'xx' }],
        ['a too long name', { name: 'x'.repeat(201), scale: 'nps', question: 'q' }],
      ])('POST /surveys with %s → 400 VALIDATION_FAILED', async (_name, body) => {
        const { status, json } = await api.call('POST', '/surveys', body);
        expect(status, JSON.stringify(json)).toBe(400);
        expect(json.error.code).toBe('VALIDATION_FAILED');
      });

      it('a body that is not JSON → 400, a wrong content type → 415', async () => {
        const bad = await h.fetch('/api/v1/surveys', { method: 'POST', headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' }, body: '{nope' });
        expect(bad.status).toBe(400);
        const form = await h.fetch('/api/v1/surveys', { method: 'POST', headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'text/plain' }, body: 'x' });
        expect(form.status).toBe(415);
      });

      it('POST /links validates its input', async () => {
        const s = await api.createSurvey();
        expect((await api.call('POST', '/links', { survey: s.id, subject: '', recipient: 'a@b.c' })).status).toBe(400);
        expect((await api.call('POST', '/links', { survey: s.id, subject: 'x', recipient: 'a@b.c', expiresInDays: 0 })).status).toBe(400);
        expect((await api.call('POST', '/links', { survey: 'sv_nope', subject: 'x', recipient: 'a@b.c' })).status).toBe(404);
      });

      it('bad list parameters → 400', async () => {
        for (const q of ['?limit=0', '?limit=1001', '?cursor=zzz', '?status=maybe', '?since=yesterday']) {
          const { status, json } = await api.call('GET', `/responses${q}`);
          expect(status, `${q} ${JSON.stringify(json)}`).toBe(400);
        }
      });

      it('unknown API paths answer the JSON envelope', async () => {
        const { status, json } = await api.call('GET', '/nothing-here');
        expect(status).toBe(404);
        expect(json.error.code).toBe('NOT_FOUND');
      });
    });

    describe('security', () => {
      it('nothing crosses workspaces', async () => {
        const s = await api.createSurvey();
        const { links } = await api.mint(s.id, 'ISO-1', 'iso@example.com');
        const id = await click(h, links[0]!.url);
        expect((await other.call('GET', `/surveys/${s.id}`)).status).toBe(404);
        expect((await other.call('POST', '/links', { survey: s.id, subject: 'x', recipient: 'y@example.com' })).status).toBe(404);
        expect((await other.call('GET', `/responses/${id}`)).status).toBe(404);
        expect((await other.responses(`?survey=${s.id}`)).data).toHaveLength(0);
        expect((await other.responses('?status=all')).data.map((r) => r.id)).not.toContain(id);
        expect((await other.call('GET', '/surveys')).json.data.map((x: any) => x.id)).not.toContain(s.id);
      });

      it('API responses are not cacheable and carry a request id', async () => {
        const { headers } = await api.call('GET', '/surveys', undefined, 200);
        expect(headers.get('cache-control')).toBe('no-store');
        expect(headers.get('x-request-id')).toMatch(/^req_/);
      });
    });
  });
}
