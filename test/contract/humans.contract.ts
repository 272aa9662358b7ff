import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS, formatOutcomes, meetsBar, PATTERNS, replay, requestOf, type Outcome } from '../corpus/replay';
import { Api, BROWSER_HEADERS, click, formTokenOf, page, pathOf } from './client';
import type { Harness } from './harness';
import { accepted, expectSigned, Inbox, typesOf } from './receiver';

type Json = any; // API bodies, checked field by field

/** A click with weak signs of a person (no Fetch Metadata, no Accept-Language): pending. */
const WEAK_HEADERS = { 'user-agent': BROWSER_HEADERS['user-agent'], accept: 'text/html' };

/**
 * "Count humans, not link scanners": the replay corpus (`test/corpus/`) and the behaviour around
 * it: provisional votes, confirmation from the thank-you page, bursts, scanner networks, the
 * settle window of `feedback.negative`, admin overrides. Runs with the default settings, except
 * that on Node the service sits behind one trusted proxy (TRUST_PROXY=1), so the corpus's
 * networks reach it as X-Forwarded-For; on Workers they arrive as CF-Connecting-IP and `request.cf`.
 */
export function humansContract(start: () => Promise<Harness>) {
  let h: Harness;
  let api: Api;

  beforeAll(async () => {
    h = await start();
    api = new Api(h, (await h.newWorkspace('Humans')).apiKey);
  });
  afterAll(async () => {
    await h?.close();
  });

  let seq = 0;
  async function message(scale = 'csat3', a: Api = api) {
    const survey = await a.createSurvey({ scale });
    const subject = `H-${++seq}-${Date.now()}`;
    const minted = await a.mint(survey.id, subject, `human${seq}@example.com`);
    return { survey, subject, url: (score: number) => minted.links.find((l) => l.score === score)!.url };
  }

  async function confirmFormOf(id: string, headers: Record<string, string> = BROWSER_HEADERS) {
    const { html, res } = await page(h, `/t/${id}`, headers);
    const m = /action="\/t\/[^"]+\/confirm"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)"><input type="hidden" name="event" value="([^"]+)">/.exec(html);
    return { html, res, form: m ? { form_token: m[1]!, event: m[2]! } : null };
  }

  function postConfirm(id: string, fields: Record<string, string>, init: RequestInit & { headers?: Record<string, string> } = {}) {
    return h.fetch(`/t/${id}/confirm`, {
      ...init,
      method: 'POST',
      headers: { ...BROWSER_HEADERS, ...init.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  describe('replay corpus', () => {
    it("no scanner-only message counts a vote, no robot's click counts; every person ends counted with their final answer", async () => {
      const outcomes: Outcome[] = [];
      let n = 0;
      for (const pattern of PATTERNS) outcomes.push(await replay(h, api, pattern, ++n));
      console.log(formatOutcomes(h.runtime, outcomes));
      for (const { pattern, response, others, answers } of outcomes) {
        const history = response ? response.events.map((e) => `${e.kind} ${e.score} ${e.status} (${e.reason})`).join('; ') : 'none';
        const robots = others.map((r) => `${r.status} ${r.score}`).join(', ') || 'none';
        expect(meetsBar(pattern, response, others), `${pattern.name}: ${response?.status} ${response?.score}; requests ${answers.join(' ')}; history ${history}; other responses ${robots}`).toBe(true);
      }
      expect(outcomes.filter((o) => o.pattern.kind === 'scanner').length).toBeGreaterThanOrEqual(8);
      expect(outcomes.filter((o) => o.pattern.kind === 'human').length).toBeGreaterThanOrEqual(8);
      // Re-checks and look-alike bursts are proven on both kinds of link, with and without a person.
      const kinds = (family: string) => [...new Set(PATTERNS.filter((p) => p.family === family).map((p) => `${p.kind} ${p.link ?? 'message'}`))].sort();
      expect(kinds('re-checks')).toEqual(['anonymous-signature', 'message', 'signature'].flatMap((link) => [`human ${link}`, `scanner ${link}`]).sort());
      expect(kinds('look-alike bursts')).toEqual(['message', 'signature'].flatMap((link) => [`human ${link}`, `scanner ${link}`]).sort());
    });

    it("every pattern sends a CRM's endpoints what the person's own steps alone send (robots add, change and take away no vote event)", async () => {
      /** Two endpoints: every vote event, and only `feedback.negative` (the default subscription). */
      const SUBSCRIPTIONS = { votes: ['feedback.created', 'feedback.updated', 'feedback.negative'], negative: ['feedback.negative'] };
      const run = async (name: string, steps: (pattern: (typeof PATTERNS)[number]) => (typeof PATTERNS)[number]['steps']) => {
        const workspace = await h.newWorkspace(name);
        const crm = new Api(h, workspace.apiKey);
        const inboxes = new Map<string, Inbox>();
        for (const [subscription, events] of Object.entries(SUBSCRIPTIONS)) {
          const inbox = new Inbox(h.receiverUrl);
          const { json: endpoint } = await crm.call('POST', '/webhooks', { url: inbox.url, events }, 201);
          await inbox.configure({ secrets: [endpoint.secret] });
          inboxes.set(subscription, inbox);
        }
        let n = 0;
        for (const pattern of PATTERNS) await replay(h, crm, { ...pattern, steps: steps(pattern) }, ++n);
        return { workspace: workspace.id, inboxes };
      };
      const full = await run('Corpus CRM', (pattern) => pattern.steps);
      const alone = await run('Corpus CRM, the people alone', (pattern) => pattern.steps.filter((step) => step.by.startsWith('person')));
      await h.settle();
      h.advanceClock(600_000);
      for (let pass = 0; pass < 20; pass++) {
        await h.dispatch();
        const [{ due }] = (await h.query(`SELECT count(*) AS due FROM webhook_deliveries WHERE status = 'pending' AND workspace_id IN (?, ?)`, [full.workspace, alone.workspace])) as [{ due: number }];
        if (Number(due) === 0) break;
      }
      /** What each pattern's message sent to one endpoint, by its survey (`Corpus <n>`, in corpus order). */
      const bySurvey = async (inbox: Inbox) => {
        const out = new Map<string, string[]>();
        for (const { body } of accepted(await inbox.receipts())) {
          const { type, data } = body as Json;
          out.set(data.response.survey.name, [...(out.get(data.response.survey.name) ?? []), `${type} ${data.response.score}`].sort());
        }
        return out;
      };
      for (const subscription of Object.keys(SUBSCRIPTIONS)) {
        const [sent, personAlone] = await Promise.all([bySurvey(full.inboxes.get(subscription)!), bySurvey(alone.inboxes.get(subscription)!)]);
        const differences = PATTERNS.flatMap((pattern, i) => {
          const [got, want] = [sent.get(`Corpus ${i + 1}`) ?? [], personAlone.get(`Corpus ${i + 1}`) ?? []];
          return JSON.stringify(got) === JSON.stringify(want) ? [] : [`${pattern.name}: sent ${JSON.stringify(got)}, the person alone ${JSON.stringify(want)}`];
        });
        expect(differences, subscription).toEqual([]);
        // The corpus's people do send something: the comparison is not between two empty inboxes.
        expect([...personAlone.values()].flat().length, subscription).toBeGreaterThan(subscription === 'votes' ? 40 : 15);
      }
    }, 120_000); // the corpus twice, then its deliveries: 7 s on Node, 16 s in workerd on an idle machine

    it('keeps every robot click with its signals and the reason for its classification', async () => {
      const m = await message();
      const id = await click(h, m.url(1), requestOf(h, CLIENTS['safelinks-predelivery']!).headers as Record<string, string>);
      const r = await api.response(id);
      expect(r.status).toBe('bot');
      expect(r.events).toHaveLength(1);
      expect(r.events[0]).toMatchObject({ kind: 'created', status: 'bot', signals: { userAgent: expect.stringContaining('Chrome/72') } });
      expect(r.events[0].reason).toMatch(/^(network:microsoft|old-chrome:72)/);
    });
  });

  describe('GET /r/:token/:score', () => {
    describe('happy path', () => {
      it('a click with every strong sign of a person counts at once; its page has no script', async () => {
        const m = await message();
        const id = await click(h, m.url(3));
        expect(await api.response(id)).toMatchObject({ status: 'counted', score: 3, events: [{ status: 'counted', reason: 'human-navigation' }] });
        const { html, res, form } = await confirmFormOf(id);
        expect(form).toBeNull();
        expect(html).not.toContain('<script');
        expect(res.headers.get('content-security-policy')).not.toContain('script-src');
      });

      it('a click with weak signs is pending, listed only on request, until the page sees a person', async () => {
        const m = await message('csat5');
        const id = await click(h, m.url(2), WEAK_HEADERS);
        expect(await api.response(id)).toMatchObject({ status: 'pending', score: 2 });
        expect((await api.responses(`?subject=${m.subject}`)).data).toEqual([]);
        expect((await api.responses(`?subject=${m.subject}&status=pending`)).data.map((r) => r.id)).toEqual([id]);
        expect((await api.responses(`?subject=${m.subject}&status=all`)).data.map((r) => r.status)).toEqual(['pending']);

        const { html, res, form } = await confirmFormOf(id, WEAK_HEADERS);
        expect(res.status).toBe(200);
        expect(form).not.toBeNull();
        expect(new TextEncoder().encode(html).length).toBeLessThan(10 * 1024);
        expect(html).not.toMatch(/https?:\/\//);
        expect(html).not.toMatch(/<(img|link|iframe)\b/i);
        const scripts = [...html.matchAll(/<script>([^<]*)<\/script>/g)];
        expect(scripts).toHaveLength(1);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
        expect(csp).toContain("connect-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(scripts[0]![1])));
        expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);

        const done = await postConfirm(id, { ...form!, via: 'pointerdown', js: '1' });
        expect(done.status, await done.clone().text()).toBe(204);
        const r = await api.response(id);
        expect(r).toMatchObject({ status: 'counted', score: 2 });
        expect(r.events.map((e: Json) => [e.kind, e.status])).toEqual([['created', 'counted'], ['confirmed', 'counted']]);
        expect(r.events[0].reason).toMatch(/^confirmed:pointerdown; weak:/);
        expect((await api.responses(`?subject=${m.subject}`)).data.map((x) => x.id)).toEqual([id]);
        expect((await confirmFormOf(id)).form).toBeNull();
      });

      it('without JavaScript the confirm button posts the form and comes back to the page', async () => {
        const m = await message();
        const id = await click(h, m.url(1), WEAK_HEADERS);
        const { form } = await confirmFormOf(id, WEAK_HEADERS);
        const res = await postConfirm(id, { ...form!, via: 'button' }, { headers: WEAK_HEADERS });
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe(`/t/${id}?confirmed=1`);
        expect((await page(h, `/t/${id}?confirmed=1`)).html).toContain('your answer is confirmed');
        expect(await api.response(id)).toMatchObject({ status: 'counted', score: 1 });
      });

      it('a comment from a person confirms the answer', async () => {
        const m = await message();
        const id = await click(h, m.url(2), WEAK_HEADERS);
        const { html } = await page(h, `/t/${id}`, WEAK_HEADERS);
        const token = /action="[^"]*\/comment"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)">/.exec(html)![1]!;
        const res = await h.fetch(`/t/${id}/comment`, {
          method: 'POST',
          headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ form_token: token, comment: 'Fine.' }).toString(),
        });
        expect(res.status).toBe(303);
        expect(await api.response(id)).toMatchObject({ status: 'counted', score: 2, comment: 'Fine.' });
      });

      it('three different answers within seconds are a burst: flagged bot, the response stays as before', async () => {
        const m = await message('csat5');
        const id = await click(h, m.url(4));
        h.advanceClock(60_000);
        for (const score of [1, 2, 3]) {
          await click(h, m.url(score));
          h.advanceClock(700);
        }
        const r = await api.response(id);
        expect(r).toMatchObject({ status: 'counted', score: 4 });
        expect(r.events.map((e: Json) => [e.score, e.status])).toEqual([[4, 'counted'], [1, 'bot'], [2, 'bot'], [3, 'bot']]);
        expect(r.events.slice(1).every((e: Json) => /^burst:three-answers-within-5s; human-navigation/.test(e.reason))).toBe(true);
        // A person's later answer still counts; the last human answer wins.
        h.advanceClock(30_000);
        await click(h, m.url(2));
        expect(await api.response(id)).toMatchObject({ status: 'counted', score: 2 });
      });

      /** A click from a corpus client (its headers and network); the response id. */
      async function clickAs(url: string, client: string) {
        const res = await h.fetch(pathOf(url), requestOf(h, CLIENTS[client]!));
        expect(res.status, await res.text()).toBe(303);
        return res.headers.get('location')!.slice(3);
      }

      it.each([
        ['a mail gateway (Safe Links, from its network)', 'safelinks-predelivery', /^network:microsoft/],
        ['a script with no user agent', 'no-user-agent', /^no-user-agent/],
        ['a look-alike scanner (perfect headers, unlisted network)', 'unknown-fast-scanner', /^burst:every-answer-within-1s; human-navigation/],
      ])("a person's counted click stays theirs when %s fetches every link 0.2 s later", async (_name, robot, reason) => {
        const m = await message();
        const id = await clickAs(m.url(2), 'person-desktop');
        h.advanceClock(200);
        for (const score of [1, 2, 3]) {
          await clickAs(m.url(score), robot);
          h.advanceClock(150);
        }
        const r = await api.response(id);
        expect(r, JSON.stringify(r.events)).toMatchObject({ status: 'counted', score: 2 });
        expect(r.events[0]).toMatchObject({ score: 2, status: 'counted', reason: 'human-navigation' });
        expect(r.events.slice(1).length).toBeGreaterThan(0);
        for (const e of r.events.slice(1)) expect(e, JSON.stringify(r.events)).toMatchObject({ status: 'bot', reason: expect.stringMatching(reason) });
      });

      it("a person who answers beside a look-alike scanner's burst keeps the answer; the write notes the burst and flags the scanner's clicks", async () => {
        const m = await message();
        await clickAs(m.url(1), 'unknown-fast-scanner');
        h.advanceClock(200);
        await clickAs(m.url(2), 'unknown-fast-scanner');
        h.advanceClock(300);
        // The scanner never fetches 3: the person's click is the one that completes every answer.
        const id = await clickAs(m.url(3), 'person-phone');
        const r = await api.response(id);
        expect(r).toMatchObject({ status: 'counted', score: 3 });
        expect(r.events.map((e: Json) => [e.score, e.status, e.reason])).toEqual([
          [1, 'bot', 'burst:every-answer-within-1s; human-navigation'],
          [2, 'bot', 'burst:every-answer-within-1s; human-navigation'],
          [3, 'counted', 'human-navigation; beside-burst:every-answer-within-1s'],
        ]);
      });

      it('HEAD, OPTIONS and prefetches never record', async () => {
        const m = await message();
        expect((await h.fetch(pathOf(m.url(1)), { method: 'HEAD', headers: BROWSER_HEADERS })).status).toBe(200);
        expect((await h.fetch(pathOf(m.url(1)), { method: 'OPTIONS', headers: BROWSER_HEADERS })).status).toBe(204);
        for (const purpose of [{ 'sec-purpose': 'prefetch' }, { purpose: 'prefetch' }, { 'sec-purpose': 'prefetch;prerender' }] as Record<string, string>[]) {
          const res = await h.fetch(pathOf(m.url(1)), { headers: { ...BROWSER_HEADERS, ...purpose } });
          expect(res.status, JSON.stringify(purpose)).toBe(503);
          expect(res.headers.get('location')).toBeNull();
        }
        expect((await api.responses(`?subject=${m.subject}&status=all`)).data).toEqual([]);
        const id = await click(h, m.url(3));
        expect((await h.fetch(`/t/${id}/answer/1`, { headers: { ...BROWSER_HEADERS, 'sec-purpose': 'prefetch' } })).status).toBe(503);
        expect((await h.fetch(`/t/${id}/answer/1`, { method: 'OPTIONS' })).status).toBe(204);
        expect(await api.response(id)).toMatchObject({ score: 3, events: [{ kind: 'created' }] });
      });
    });

    describe('rejects', () => {
      it.each([
        ['a missing token', (f: { form_token: string; event: string }) => ({ event: f.event })],
        ['a forged token', (f: { form_token: string; event: string }) => ({ event: f.event, form_token: `${f.form_token.slice(0, -4)}AAAA` })],
        ['another click of the response', (f: { form_token: string; event: string }) => ({ ...f, event: 'evt_0000000000000000' })],
      ])('a confirmation with %s is refused (403) and changes nothing', async (_name, tamper) => {
        const m = await message();
        const id = await click(h, m.url(1), WEAK_HEADERS);
        const { form } = await confirmFormOf(id, WEAK_HEADERS);
        const res = await postConfirm(id, tamper(form!));
        expect(res.status).toBe(403);
        expect((await api.response(id)).status).toBe('pending');
      });

      it("the comment form's token does not confirm, nor does another response's confirmation", async () => {
        const a = await message();
        const b = await message();
        const idA = await click(h, a.url(1), WEAK_HEADERS);
        const idB = await click(h, b.url(1), WEAK_HEADERS);
        const formA = (await confirmFormOf(idA, WEAK_HEADERS)).form!;
        const commentToken = formTokenOf((await page(h, `/t/${idA}`, WEAK_HEADERS)).html.replace(/<form method="post" action="[^"]*\/confirm"[\s\S]*?<\/form>/, ''));
        expect((await postConfirm(idA, { event: formA.event, form_token: commentToken })).status).toBe(403);
        expect((await postConfirm(idB, formA)).status).toBe(403);
        expect((await api.response(idA)).status).toBe('pending');
        expect((await api.response(idB)).status).toBe('pending');
      });
    });

    describe('security', () => {
      it('a confirmation from a scanner network is kept in the history and confirms nothing', async () => {
        const m = await message();
        const id = await click(h, m.url(1), WEAK_HEADERS);
        const { form } = await confirmFormOf(id, WEAK_HEADERS);
        const azure = requestOf(h, CLIENTS['safelinks-detonation']!, { headers: {} });
        const res = await postConfirm(id, { ...form!, via: 'pointerdown', js: '1' }, azure as RequestInit & { headers: Record<string, string> });
        expect(res.status).toBe(204); // the same answer a person gets
        const r = await api.response(id);
        expect(r.status).toBe('pending');
        expect(r.events.at(-1)).toMatchObject({ kind: 'confirmed', status: 'bot', reason: expect.stringMatching(/^network:microsoft/) });
      });
    });
  });

  describe('webhooks follow the count', () => {
    async function subscribe(events = ['feedback.negative']) {
      const a = new Api(h, (await h.newWorkspace('CRM')).apiKey);
      const inbox = new Inbox(h.receiverUrl);
      const { json: endpoint } = await a.call('POST', '/webhooks', { url: inbox.url, events }, 201);
      await inbox.configure({ secrets: [endpoint.secret] });
      return { a, inbox };
    }

    it(`feedback.negative waits for the settle window (default 60 s) and carries a comment typed meanwhile`, async () => {
      const { a, inbox } = await subscribe();
      const m = await message('csat3', a);
      const id = await click(h, m.url(1));
      await h.settle();
      h.advanceClock(20_000);
      const token = formTokenOf((await page(h, `/t/${id}`)).html);
      const res = await h.fetch(`/t/${id}/comment`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ form_token: token, comment: 'Still waiting for a refund.' }).toString(),
      });
      expect(res.status).toBe(303);
      await h.dispatch();
      expect(await inbox.receipts()).toEqual([]);
      h.advanceClock(41_000);
      await h.dispatch();
      const receipts = await inbox.waitFor(1);
      expectSigned(receipts);
      expect(typesOf(receipts)).toEqual(['feedback.negative']);
      expect((receipts[0]!.body as Json).data.response).toMatchObject({ id, score: 1, status: 'counted', comment: 'Still waiting for a refund.' });
    });

    it('a burst caught within the settle windows sends nothing: its first click counted for a moment, but its feedback.created and .negative were held, then withdrawn', async () => {
      const { a, inbox } = await subscribe(['feedback.negative', 'feedback.created', 'feedback.updated']);
      const m = await message('csat3', a);
      for (const score of [1, 2, 3]) {
        await h.fetch(pathOf(m.url(score)), requestOf(h, CLIENTS['unknown-fast-scanner']!));
        await h.dispatch();
        h.advanceClock(200);
      }
      await h.settle();
      h.advanceClock(120_000);
      await h.dispatch();
      expect(await inbox.receipts()).toEqual([]);
    });

    it.each([
      ['counted at once', BROWSER_HEADERS],
      ['confirmed on the page', WEAK_HEADERS],
    ])("a person's vote (%s) that mail gateways re-check 0.2 s later stays counted and keeps its webhooks, sent once", async (_name, headers) => {
      const { a, inbox } = await subscribe(['feedback.negative', 'feedback.created', 'feedback.updated']);
      const m = await message('csat3', a);
      const id = await click(h, m.url(1), headers);
      const personClick = (await a.response(id)).events[0].id;
      await h.settle();
      h.advanceClock(200);
      // Safe Links from its network, then a script with no user agent: every link, 100 ms apart.
      for (const gateway of ['safelinks-predelivery', 'no-user-agent']) {
        for (const score of [1, 2, 3]) {
          const res = await h.fetch(pathOf(m.url(score)), requestOf(h, CLIENTS[gateway]!));
          expect(res.status, await res.text()).toBe(303);
          h.advanceClock(100);
        }
      }
      if (headers === WEAK_HEADERS) {
        // The page the person's browser loads after the re-checks shows, and confirms, their answer.
        const { form } = await confirmFormOf(id, WEAK_HEADERS);
        expect(form?.event).toBe(personClick);
        const res = await postConfirm(id, { ...form!, via: 'pointerdown', js: '1' }, { headers: WEAK_HEADERS });
        expect(res.status, await res.clone().text()).toBe(204);
      }
      const response = await a.response(id);
      expect(response, JSON.stringify(response)).toMatchObject({ status: 'counted', score: 1 });
      expect(response.events.filter((e: Json) => e.status === 'counted' && e.kind !== 'confirmed').map((e: Json) => e.score)).toEqual([1]);
      expect(response.events.filter((e: Json) => e.status === 'bot').every((e: Json) => /^(network:microsoft|no-user-agent)/.test(e.reason)), JSON.stringify(response.events)).toBe(true);
      await h.settle();
      h.advanceClock(120_000);
      await h.dispatch();
      const receipts = await inbox.waitFor(2);
      expectSigned(receipts);
      h.advanceClock(600_000);
      await h.dispatch();
      expect(typesOf(accepted(await inbox.receipts())).sort()).toEqual(['feedback.created', 'feedback.negative']);
      for (const receipt of receipts) expect((receipt.body as Json).data.response).toMatchObject({ id, score: 1, status: 'counted' });
    });

    const ALL_VOTE_EVENTS = ['feedback.negative', 'feedback.created', 'feedback.updated'];
    /** One click of a scenario: who, which answer, how long after the click before it (ms). */
    type Step = [client: 'person-desktop' | 'person-phone' | 'lookalike-residential', score: number, after: number];
    const PERSON_FIRST: Step[] = [['person-desktop', 1, 0], ['lookalike-residential', 2, 300], ['lookalike-residential', 3, 150], ['lookalike-residential', 1, 150]];
    it.each<[string, string, Step[], string[], string[]]>([
      ["a person's 1, then the scanner's 2 counts and its 3 makes the burst", 'csat3', PERSON_FIRST, ALL_VOTE_EVENTS, ['feedback.created 1', 'feedback.negative 1']],
      ["a person's 1, then the scanner's 2 counts and its 3 makes the burst, to a negative-only endpoint", 'csat3', PERSON_FIRST, ['feedback.negative'], ['feedback.negative 1']],
      [
        "the scanner's 1 counts first, the person's 2 in the middle of its burst",
        'csat3',
        [['lookalike-residential', 1, 0], ['person-phone', 2, 200], ['lookalike-residential', 2, 150], ['lookalike-residential', 3, 150]],
        ALL_VOTE_EVENTS,
        ['feedback.created 2'],
      ],
      [
        "the scanner's negative 2 counts first, the person's 1 (also negative) in the middle of its burst",
        'csat5',
        [['lookalike-residential', 2, 0], ['person-phone', 1, 200], ['lookalike-residential', 4, 150]],
        ALL_VOTE_EVENTS,
        ['feedback.created 1', 'feedback.negative 1'],
      ],
      [
        "the scanner's negative 2 counts first, the person's 1 (also negative) in the middle of its burst, to a negative-only endpoint",
        'csat5',
        [['lookalike-residential', 2, 0], ['person-phone', 1, 200], ['lookalike-residential', 4, 150]],
        ['feedback.negative'],
        ['feedback.negative 1'],
      ],
      [
        "the scanner's 1 and 2 count, the person's 3 completes every answer beside its burst",
        'csat3',
        [['lookalike-residential', 1, 0], ['lookalike-residential', 2, 200], ['person-phone', 3, 300]],
        ALL_VOTE_EVENTS,
        ['feedback.created 3'],
      ],
    ])(
      "a look-alike scanner's click that counts for a moment, then is swept with its burst, leaves what a person alone sends: %s",
      async (_name, scale, steps, events, expected) => {
        const { a, inbox } = await subscribe(events);
        const m = await message(scale, a);
        let id = '';
        let momentary = false;
        for (const [client, score, after] of steps) {
          h.advanceClock(after);
          const res = await h.fetch(pathOf(m.url(score)), requestOf(h, CLIENTS[client]!));
          expect(res.status, await res.text()).toBe(303);
          id = res.headers.get('location')!.slice(3);
          const now = await a.response(id);
          // A browser's every header from a residential-looking network: its click counts, until the burst.
          if (client === 'lookalike-residential' && now.status === 'counted' && now.events.at(-1).status === 'counted') momentary = true;
        }
        expect(momentary, 'a click of the scanner counted for a moment').toBe(true);
        const person = steps.filter(([client]) => client !== 'lookalike-residential').at(-1)![1];
        const response = await a.response(id);
        expect(response, JSON.stringify(response.events)).toMatchObject({ status: 'counted', score: person });
        expect(response.events.filter((e: Json) => e.status === 'counted').map((e: Json) => e.reason)).toEqual([expect.stringMatching(/^human-navigation/)]);
        await h.settle();
        h.advanceClock(120_000);
        await h.dispatch();
        const receipts = await inbox.waitFor(expected.length);
        expectSigned(receipts);
        h.advanceClock(600_000);
        await h.dispatch();
        const sent = accepted(await inbox.receipts()).map((r) => r.body as Json);
        expect(sent.map((b) => `${b.type} ${b.data.response.score}`).sort(), JSON.stringify(sent)).toEqual(expected);
        // The outbox holds nothing more for it than what a person alone would have caused.
        const standing = await h.query('SELECT ev.type, ev.score FROM webhook_events ev WHERE ev.response_id = ? AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)', [id]);
        expect(standing.map((e) => `${e.type} ${e.score}`).sort()).toEqual(expected);
      },
    );

    it.each([
      ['before its events were sent: they are withdrawn and nothing more is sent', 0, ['feedback.created 1', 'feedback.negative 1']],
      // The receiver holds the robot's 2: the person's 1 is a change, and a move into negative.
      ["after its events were sent: the move back to the person's answer is sent", 120_000, ['feedback.created 1', 'feedback.negative 1', 'feedback.negative 1', 'feedback.updated 1', 'feedback.updated 2']],
    ])("an admin who flags a robot's counted click %s", async (_name, wait, expected) => {
      const { a, inbox } = await subscribe(['feedback.negative', 'feedback.created', 'feedback.updated']);
      const m = await message('csat3', a);
      const id = await click(h, m.url(1));
      await h.settle();
      h.advanceClock(120_000);
      await h.dispatch();
      await inbox.waitFor(2);
      // One fetch from a look-alike network, no burst: it counts.
      const res = await h.fetch(pathOf(m.url(2)), requestOf(h, CLIENTS['lookalike-residential']!));
      expect(res.status, await res.text()).toBe(303);
      const robot = (await a.response(id)).events.at(-1);
      expect(robot).toMatchObject({ score: 2, status: 'counted' });
      await h.settle();
      h.advanceClock(wait);
      await h.dispatch();
      const flagged = await a.call('PATCH', `/responses/${id}`, { status: 'bot', event: robot.id }, 200);
      expect(flagged.json).toMatchObject({ status: 'counted', score: 1 });
      await h.settle();
      h.advanceClock(120_000);
      await h.dispatch();
      await inbox.waitFor(expected.length);
      h.advanceClock(600_000);
      await h.dispatch();
      const sent = accepted(await inbox.receipts()).map((r) => r.body as Json);
      expect(sent.map((b) => `${b.type} ${b.data.response.score}`).sort(), JSON.stringify(sent)).toEqual(expected);
    });

    it('robots and pending votes send nothing; a confirmation sends the vote', async () => {
      const { a, inbox } = await subscribe(['feedback.negative', 'feedback.created']);
      const robot = await message('csat3', a);
      await h.fetch(pathOf(robot.url(1)), requestOf(h, CLIENTS['safelinks-predelivery']!));
      const m = await message('csat3', a);
      const id = await click(h, m.url(1), WEAK_HEADERS);
      await h.settle();
      h.advanceClock(120_000);
      await h.dispatch();
      expect(await inbox.receipts()).toEqual([]);

      const { form } = await confirmFormOf(id, WEAK_HEADERS);
      expect((await postConfirm(id, { ...form!, via: 'keydown', js: '1' })).status).toBe(204);
      await h.settle();
      h.advanceClock(61_000);
      await h.dispatch();
      const receipts = await inbox.waitFor(2);
      expectSigned(receipts);
      expect(typesOf(accepted(receipts))).toEqual(['feedback.created', 'feedback.negative']);
    });
  });

  describe('PATCH /api/v1/responses/:id (override)', () => {
    it('an admin counts a pending or robot response, or flags a counted one as a robot', async () => {
      const m = await message();
      const id = await click(h, m.url(1), requestOf(h, CLIENTS['safelinks-predelivery']!).headers as Record<string, string>);
      const counted = await api.call('PATCH', `/responses/${id}`, { status: 'counted' }, 200);
      expect(counted.json).toMatchObject({ id, status: 'counted', score: 1 });
      expect(counted.json.events.at(-1)).toMatchObject({ kind: 'overridden', status: 'counted', reason: 'override:api' });
      expect((await api.responses(`?subject=${m.subject}`)).data.map((r) => r.id)).toEqual([id]);

      const flagged = await api.call('PATCH', `/responses/${id}`, { status: 'bot' }, 200);
      expect(flagged.json).toMatchObject({ status: 'bot' });
      expect((await api.responses(`?subject=${m.subject}`)).data).toEqual([]);
      expect((await api.responses(`?subject=${m.subject}&status=bot`)).data.map((r) => r.id)).toEqual([id]);
    });

    it.each([
      ['an unknown status', { status: 'maybe' }, 400],
      ['no status', {}, 400],
      ['a malformed event id', { status: 'counted', event: 'nope' }, 400],
      ['an event of another response', { status: 'counted', event: 'evt_0000000000000000' }, 404],
    ])('with %s → %s', async (_name, body, status) => {
      const m = await message();
      const id = await click(h, m.url(1), WEAK_HEADERS);
      const res = await api.call('PATCH', `/responses/${id}`, body);
      expect(res.status, JSON.stringify(res.json)).toBe(status);
      expect((await api.response(id)).status).toBe('pending');
    });

    it("another workspace's response is not found", async () => {
      const m = await message();
      const id = await click(h, m.url(1), WEAK_HEADERS);
      const stranger = new Api(h, (await h.newWorkspace('Stranger')).apiKey);
      expect((await stranger.call('PATCH', `/responses/${id}`, { status: 'counted' })).status).toBe(404);
      expect((await api.response(id)).status).toBe('pending');
    });
  });
}
