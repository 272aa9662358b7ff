import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, changeAnswer, click, comment, page, postComment } from './client';
import type { Harness } from './harness';
import { Inbox, typesOf } from './receiver';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOUR = 3_600_000;
/** A click with no user agent: a robot by its own signals (never counted). */
const ROBOT_HEADERS = { accept: '*/*' };

/**
 * Follow-ups (issue 16), on both runtimes: the rules that open, log, reopen and withdraw them in
 * the response's own write (triggers of migration 0019), the API, due times and `followup.overdue`
 * with the injected clock, the webhook events and the Slack format, and the metrics against a
 * computation of their own. The runners set the settle windows to 0, so events go out at once.
 */
export function followUpsContract(start: () => Promise<Harness>) {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h.close());

  let seq = 0;
  interface Setup {
    api: Api;
    workspaceId: string;
    survey: { id: string; scale: string };
  }

  async function setup(survey: Record<string, unknown> = {}): Promise<Setup> {
    const { id, apiKey } = await h.newWorkspace('Loop');
    const api = new Api(h, apiKey);
    return { api, workspaceId: id, survey: await api.createSurvey(survey) };
  }

  /** The links of one fresh email of the survey (its own ticket and customer unless given). */
  async function message(s: Setup, options: { recipient?: string; agent?: string; survey?: string } = {}) {
    const n = ++seq;
    const minted = await s.api.mint(options.survey ?? s.survey.id, `T-${n}`, options.recipient ?? `customer${n}@example.com`, options.agent ? { agent: options.agent } : {});
    return { subject: `T-${n}`, url: (score: number) => minted.links.find((l) => l.score === score)!.url };
  }

  async function followUpOf(responseId: string): Promise<Record<string, unknown> | undefined> {
    return (await h.query('SELECT * FROM followups WHERE response_id = ?', [responseId]))[0];
  }

  async function logOf(followUpId: string): Promise<[string, unknown, unknown][]> {
    return (await h.query('SELECT action, "from", "to" FROM followup_log WHERE followup_id = ? ORDER BY id', [followUpId])).map((row) => [String(row.action), row.from, row.to]);
  }

  /** A member of the workspace, as the team app would have made them (a person and a membership). */
  async function member(workspaceId: string, name: string, role = 'member'): Promise<{ id: string; email: string }> {
    const n = ++seq;
    const id = `per_${String(n).padStart(16, '0')}`;
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${n}@team.example.com`;
    await h.query(`INSERT INTO people (id, email, name, password_hash, created_at) VALUES (?, ?, ?, 'scrypt$1$1$1$x$x', 0)`, [id, email, name]);
    await h.query(`INSERT INTO memberships (person_id, workspace_id, role, created_at) VALUES (?, ?, ?, 0)`, [id, workspaceId, role]);
    return { id, email };
  }

  describe('rules (the triggers on responses)', () => {
    describe('happy path', () => {
      it('a counted negative answer opens one follow-up: new, high for the lowest answer, due after the workspace hours, logged', async () => {
        const s = await setup({ scale: 'csat3' });
        const m = await message(s);
        const id = await click(h, m.url(1));
        const fu = await followUpOf(id);
        expect(fu, 'a follow-up for a counted negative answer').toMatchObject({ status: 'new', priority: 'high', owner_person_id: null, touched: 0 });
        expect(Number(fu!.due_at) - Number(fu!.created_at)).toBe(24 * HOUR);
        expect(await logOf(String(fu!.id))).toEqual([['created', null, '1']]);
        // The same click again, and a neutral or positive answer elsewhere, open nothing more.
        await click(h, m.url(1));
        const other = await message(s);
        expect(await followUpOf(await click(h, other.url(2)))).toBeUndefined();
        expect(await h.query('SELECT count(*) AS n FROM followups WHERE workspace_id = ?', [s.workspaceId])).toEqual([{ n: 1 }]);
      });

      it.each([
        ['negative', 0, 'high'],
        ['negative', 3, 'high'],
        ['negative', 6, 'medium'],
        ['negative', 7, null],
        ['negative-and-neutral', 7, 'medium'],
        ['negative-and-neutral', 8, 'medium'],
        ['negative-and-neutral', 9, null],
        ['off', 0, null],
      ])('NPS under "%s": answer %i opens %s', async (rule, score, priority) => {
        const s = await setup({ scale: 'nps' });
        await s.api.call('PATCH', `/surveys/${s.survey.id}`, { followUps: rule }, 200);
        const id = await click(h, (await message(s)).url(score));
        const fu = await followUpOf(id);
        if (priority === null) expect(fu).toBeUndefined();
        else expect(fu).toMatchObject({ priority, status: 'new' });
        if (priority === 'medium') expect(Number(fu!.due_at) - Number(fu!.created_at)).toBe(72 * HOUR);
      });

      it('owner: the member whose agent name matches (any case), else the survey default owner, else none', async () => {
        const s = await setup();
        const maria = await member(s.workspaceId, 'Maria Rossi');
        const lead = await member(s.workspaceId, 'Team Lead', 'admin');
        await h.query(`INSERT INTO member_agent_names (workspace_id, person_id, name, name_key) VALUES (?, ?, 'Maria Rossi', 'maria rossi'), (?, ?, 'maria', 'maria')`, [s.workspaceId, maria.id, s.workspaceId, maria.id]);
        const byName = await click(h, (await message(s, { agent: 'MARIA rossi' })).url(1));
        expect(await followUpOf(byName)).toMatchObject({ owner_person_id: maria.id });
        const unknownAgent = await click(h, (await message(s, { agent: 'Bob' })).url(1));
        expect(await followUpOf(unknownAgent)).toMatchObject({ owner_person_id: null });
        await h.query('UPDATE surveys SET default_owner_person_id = ? WHERE id = ?', [lead.id, s.survey.id]);
        const byDefault = await click(h, (await message(s, { agent: 'Bob' })).url(1));
        expect(await followUpOf(byDefault)).toMatchObject({ owner_person_id: lead.id });
      });

      it('a change of answer keeps the follow-up and logs it; a resolved one whose answer turns negative again reopens', async () => {
        const s = await setup();
        const m = await message(s);
        const id = await click(h, m.url(1));
        const fuId = String((await followUpOf(id))!.id);
        h.advanceClock(60_000);
        await changeAnswer(h, id, 3);
        expect(await followUpOf(id)).toMatchObject({ id: fuId, status: 'new' });
        await s.api.call('PATCH', `/followups/${fuId}`, { status: 'resolved', resolution: { rootCause: 'service', solved: true } }, 200);
        h.advanceClock(60_000);
        await changeAnswer(h, id, 1);
        const reopened = await followUpOf(id);
        expect(reopened).toMatchObject({ id: fuId, status: 'open', resolved_at: null, root_cause: null, solved: null });
        expect(await logOf(fuId)).toEqual([
          ['created', null, '1'],
          ['answer', '1', '3'],
          ['status', 'new', 'resolved'],
          ['resolution', null, 'service; solved: true'],
          ['answer', '3', '1'],
          ['reopened', 'resolved', 'open'],
        ]);
        expect(Number(reopened!.due_at), 'a fresh due time from the reopening').toBe(Number(reopened!.updated_at) + 24 * HOUR);
      });

      it('a confirmation on the thank-you page that counts a pending vote opens the follow-up then', async () => {
        const s = await setup();
        // A weak click (no Sec-Fetch headers) is pending until the person interacts.
        const weak = { 'user-agent': BROWSER_HEADERS['user-agent'], accept: BROWSER_HEADERS.accept, 'accept-language': 'en' };
        const id = await click(h, (await message(s)).url(1), weak);
        const status = (await s.api.response(id)).status;
        if (status === 'pending') {
          expect(await followUpOf(id), 'pending votes never open one').toBeUndefined();
          const { html } = await page(h, `/t/${id}`, weak);
          const token = /action="[^"]*\/comment"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)">/.exec(html)![1]!;
          const res = await postComment(h, id, { form_token: token, comment: 'It broke again.' });
          expect(res.status, await res.text()).toBe(303);
          expect((await s.api.response(id)).status).toBe('counted');
        }
        expect(await followUpOf(id)).toMatchObject({ status: 'new' });
      });
    });

    describe('rejects', () => {
      it('robots open nothing', async () => {
        const s = await setup();
        const id = await click(h, (await message(s)).url(1), ROBOT_HEADERS);
        expect((await s.api.response(id)).status).toBe('bot');
        expect(await followUpOf(id)).toBeUndefined();
      });

      it('a burst withdraws the follow-up nobody touched, with its log', async () => {
        const s = await setup({ scale: 'csat5' });
        const m = await message(s);
        const id = await click(h, m.url(1));
        const fuId = String((await followUpOf(id))!.id);
        h.advanceClock(300);
        for (const score of [2, 3]) {
          await click(h, m.url(score));
          h.advanceClock(300);
        }
        expect((await s.api.response(id)).status).not.toBe('counted');
        expect(await followUpOf(id)).toBeUndefined();
        expect(await logOf(fuId)).toEqual([]);
      });

      it('a withdrawn vote leaves a touched follow-up in place, and its log says so', async () => {
        const s = await setup();
        const id = await click(h, (await message(s)).url(1));
        const fuId = String((await followUpOf(id))!.id);
        await s.api.call('POST', `/followups/${fuId}/notes`, { text: 'Called the customer.' }, 201);
        await s.api.call('PATCH', `/responses/${id}`, { status: 'bot' }, 200);
        expect(await followUpOf(id)).toMatchObject({ id: fuId, touched: 1 });
        expect((await logOf(fuId)).map(([action, from, to]) => [action, from, to]).slice(-1)).toEqual([['withdrawn', 'counted', 'bot']]);
      });

      it('deleting a response (erasure) deletes its follow-up, notes and log', async () => {
        const s = await setup();
        const id = await click(h, (await message(s)).url(1));
        const fuId = String((await followUpOf(id))!.id);
        await s.api.call('POST', `/followups/${fuId}/notes`, { text: 'A note.' }, 201);
        await h.query('DELETE FROM response_events WHERE response_id = ?', [id]);
        await h.query('DELETE FROM responses WHERE id = ?', [id]);
        for (const table of ['followups WHERE id = ?', 'followup_notes WHERE followup_id = ?', 'followup_log WHERE followup_id = ?']) {
          expect(await h.query(`SELECT count(*) AS n FROM ${table}`, [fuId]), table).toEqual([{ n: 0 }]);
        }
      });
    });
  });

  describe('/api/v1/followups', () => {
    describe('happy path', () => {
      it('lists with filters (status, owner, survey, q, overdue), sorted by due time, paged by cursor', async () => {
        const s = await setup();
        const maria = await member(s.workspaceId, 'Maria');
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const rsp = await click(h, (await message(s, { recipient: `list${i}@example.com` })).url(1));
          ids.push(String((await followUpOf(rsp))!.id));
          h.advanceClock(1000);
        }
        await s.api.call('PATCH', `/followups/${ids[1]}`, { owner: maria.email, status: 'open' }, 200);
        const all = (await s.api.call('GET', '/followups?limit=2', undefined, 200)).json;
        expect(all.data.map((f: Json) => f.id)).toEqual(ids.slice(0, 2));
        const rest = (await s.api.call('GET', `/followups?limit=2&cursor=${all.next}`, undefined, 200)).json;
        expect(rest).toMatchObject({ data: [{ id: ids[2] }], next: null });
        expect((await s.api.call('GET', '/followups?status=open', undefined, 200)).json.data.map((f: Json) => f.id)).toEqual([ids[1]]);
        expect((await s.api.call('GET', `/followups?owner=${maria.id}`, undefined, 200)).json.data.map((f: Json) => f.id)).toEqual([ids[1]]);
        expect((await s.api.call('GET', '/followups?owner=unassigned&sort=-due', undefined, 200)).json.data.map((f: Json) => f.id)).toEqual([ids[2], ids[0]]);
        expect((await s.api.call('GET', '/followups?q=LIST2@example.com', undefined, 200)).json.data.map((f: Json) => f.id)).toEqual([ids[2]]);
        expect((await s.api.call('GET', `/followups?survey=${s.survey.id}&status=new,open`, undefined, 200)).json.data).toHaveLength(3);
        expect((await s.api.call('GET', '/followups?overdue=true', undefined, 200)).json.data).toEqual([]);
        h.advanceClock(25 * HOUR);
        const overdue = (await s.api.call('GET', '/followups?overdue=true', undefined, 200)).json.data;
        expect(overdue.map((f: Json) => [f.id, f.overdue])).toEqual(ids.map((id) => [id, true]));
      });

      it('gets one with its response, notes, log and the customer\'s other responses; the API key is the system actor', async () => {
        const s = await setup();
        const m1 = await message(s, { recipient: 'dora@example.com' });
        await click(h, m1.url(3));
        const rsp = await click(h, (await message(s, { recipient: 'dora@example.com' })).url(1));
        const fuId = String((await followUpOf(rsp))!.id);
        const { json: note } = await s.api.call('POST', `/followups/${fuId}/notes`, { text: '  Called back, refund on its way.  ' }, 201);
        expect(note).toMatchObject({ author: null, text: 'Called back, refund on its way.' });
        const { json } = await s.api.call('GET', `/followups/${fuId}`, undefined, 200);
        expect(json).toMatchObject({
          id: fuId,
          status: 'new',
          response: { id: rsp, score: 1, sentiment: 'negative', recipient: 'dora@example.com' },
          notes: [{ id: note.id, text: 'Called back, refund on its way.', author: null }],
          log: [{ action: 'created', actor: null }, { action: 'note', actor: null }],
          otherResponses: [{ subject: m1.subject, score: 3 }],
        });
      });

      it('works a follow-up: open (first action), reassign by email, resolve with a root cause', async () => {
        const s = await setup();
        const maria = await member(s.workspaceId, 'Maria');
        const rsp = await click(h, (await message(s)).url(1));
        const fuId = String((await followUpOf(rsp))!.id);
        h.advanceClock(5 * 60_000);
        const opened = (await s.api.call('PATCH', `/followups/${fuId}`, { status: 'open', owner: maria.email.toUpperCase(), priority: 'critical' }, 200)).json;
        expect(opened).toMatchObject({ status: 'open', priority: 'critical', owner: { id: maria.id, email: maria.email } });
        // Opened at the click's time; acted on five minutes (and the test's own milliseconds) later.
        expect(Date.parse(opened.firstActionAt) - Date.parse(opened.createdAt)).toBeGreaterThanOrEqual(5 * 60_000);
        expect(Date.parse(opened.firstActionAt) - Date.parse(opened.createdAt)).toBeLessThan(6 * 60_000);
        expect(Date.parse(opened.dueAt) - Date.parse(opened.createdAt)).toBe(4 * HOUR);
        const resolved = (await s.api.call('PATCH', `/followups/${fuId}`, { status: 'resolved', resolution: { rootCause: 'billing', solved: false } }, 200)).json;
        expect(resolved).toMatchObject({ status: 'resolved', resolution: { rootCause: 'billing', solved: false }, firstActionAt: opened.firstActionAt });
        expect(resolved.log.map((l: Json) => [l.action, l.from, l.to])).toEqual([
          ['created', null, '1'],
          ['status', 'new', 'open'],
          ['priority', 'high', 'critical'],
          ['owner', null, maria.email],
          ['status', 'open', 'resolved'],
          ['resolution', null, 'billing; solved: false'],
        ]);
      });

      it('PATCH /surveys/{id} sets the rule and the review page, and the survey shows them', async () => {
        const s = await setup();
        expect((await s.api.call('GET', `/surveys/${s.survey.id}`, undefined, 200)).json).toMatchObject({ followUps: 'negative', reviewUrl: null });
        const { json } = await s.api.call('PATCH', `/surveys/${s.survey.id}`, { followUps: 'negative-and-neutral', reviewUrl: 'https://www.trustpilot.com/review/example.com' }, 200);
        expect(json).toMatchObject({ followUps: 'negative-and-neutral', reviewUrl: 'https://www.trustpilot.com/review/example.com' });
        expect((await s.api.call('PATCH', `/surveys/${s.survey.id}`, { reviewUrl: null }, 200)).json).toMatchObject({ reviewUrl: null, followUps: 'negative-and-neutral' });
      });
    });

    describe('rejects', () => {
      it.each([
        ['resolving without a resolution', { status: 'resolved' }, 'VALIDATION_FAILED', 'resolution'],
        ['a root cause not in the list', { status: 'resolved', resolution: { rootCause: 'weather', solved: true } }, 'VALIDATION_FAILED', 'resolution.rootCause'],
        ['a resolution without resolving', { resolution: { rootCause: 'billing', solved: true } }, 'VALIDATION_FAILED', 'resolution'],
        ['back to new', { status: 'open' }, null, null],
        ['an unknown status', { status: 'closed' }, 'VALIDATION_FAILED', 'status'],
        ['an unknown priority', { priority: 'urgent' }, 'VALIDATION_FAILED', 'priority'],
        ['an owner nobody is', { owner: 'nobody@example.com' }, 'OWNER_NOT_A_MEMBER', 'owner'],
        ['an unknown field', { assignee: 'x' }, 'VALIDATION_FAILED', 'assignee'],
      ])('PATCH with %s → 400', async (_name, body, code, field) => {
        const s = await setup();
        const fuId = String((await followUpOf(await click(h, (await message(s)).url(1))))!.id);
        if (code === null) {
          await s.api.call('PATCH', `/followups/${fuId}`, body, 200);
          const { json } = await s.api.call('PATCH', `/followups/${fuId}`, { status: 'new' }, 400);
          expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'status' } });
          return;
        }
        const { json } = await s.api.call('PATCH', `/followups/${fuId}`, body, 400);
        expect(json.error, JSON.stringify(json)).toMatchObject({ code, details: { field } });
      });

      it.each([
        ['an empty note', { text: '   ' }],
        ['a note over 5,000 characters', { text: 'x'.repeat(5001) }],
        ['no text', {}],
      ])('POST notes with %s → 400', async (_name, body) => {
        const s = await setup();
        const fuId = String((await followUpOf(await click(h, (await message(s)).url(1))))!.id);
        const { json } = await s.api.call('POST', `/followups/${fuId}/notes`, body, 400);
        expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'text' } });
      });

      it.each([
        ['plain http', 'http://example.com/review', 'reviewUrl'],
        ['a script URL', 'javascript:alert(1)', 'reviewUrl'],
        ['a private address', 'https://10.0.0.1/review', 'reviewUrl'],
        ['an unknown rule', undefined, 'followUps'],
      ])('PATCH /surveys/{id} with %s → 400', async (_name, reviewUrl, field) => {
        const s = await setup();
        const body = field === 'followUps' ? { followUps: 'always' } : { reviewUrl };
        const { json } = await s.api.call('PATCH', `/surveys/${s.survey.id}`, body, 400);
        expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
      });

      it.each([
        ['status=closed', 'status'],
        ['overdue=yes', 'overdue'],
        ['limit=0', 'limit'],
        ['owner=me', 'owner'],
        ['cursor=nonsense', 'cursor'],
        ['sort=owner', 'sort'],
      ])('GET /followups?%s → 400', async (query, field) => {
        const s = await setup();
        const { json } = await s.api.call('GET', `/followups?${query}`, undefined, 400);
        expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
      });
    });

    describe('security', () => {
      it("another workspace's follow-up is 404 everywhere, and its members cannot own ours", async () => {
        const ours = await setup();
        const theirs = await setup();
        const stranger = await member(theirs.workspaceId, 'Stranger');
        const fuId = String((await followUpOf(await click(h, (await message(theirs)).url(1))))!.id);
        for (const [method, path, body] of [
          ['GET', `/followups/${fuId}`, undefined],
          ['PATCH', `/followups/${fuId}`, { status: 'open' }],
          ['POST', `/followups/${fuId}/notes`, { text: 'hi' }],
          ['PATCH', `/surveys/${theirs.survey.id}`, { followUps: 'off' }],
        ] as const) {
          const { json } = await ours.api.call(method, path, body, 404);
          expect(json.error.code).toBe('NOT_FOUND');
        }
        expect((await ours.api.call('GET', '/followups', undefined, 200)).json.data).toEqual([]);
        const own = String((await followUpOf(await click(h, (await message(ours)).url(1))))!.id);
        for (const owner of [stranger.id, stranger.email]) {
          const { json } = await ours.api.call('PATCH', `/followups/${own}`, { owner }, 400);
          expect(json.error).toMatchObject({ code: 'OWNER_NOT_A_MEMBER' });
        }
        expect(await h.query('SELECT touched FROM followups WHERE id = ?', [own])).toEqual([{ touched: 0 }]);
      });

      it('needs the API key', async () => {
        const res = await h.fetch('/api/v1/followups');
        expect(res.status, await res.text()).toBe(401);
      });
    });
  });

  describe('telling people (webhook events, Slack, overdue)', () => {
    it('followup.created, .assigned and .resolved reach a subscribed endpoint, with the follow-up and its app link', async () => {
      const s = await setup();
      const maria = await member(s.workspaceId, 'Maria');
      const inbox = new Inbox(h.receiverUrl);
      const { json: endpoint } = await s.api.call('POST', '/webhooks', { url: inbox.url, events: ['followup.created', 'followup.assigned', 'followup.resolved'] }, 201);
      await inbox.configure({ secrets: [endpoint.secret] });
      const rsp = await click(h, (await message(s)).url(1));
      await h.settle();
      await h.dispatch();
      const fuId = String((await followUpOf(rsp))!.id);
      await s.api.call('PATCH', `/followups/${fuId}`, { owner: maria.id }, 200);
      await s.api.call('PATCH', `/followups/${fuId}`, { status: 'resolved', resolution: { rootCause: 'product', solved: true } }, 200);
      await h.settle();
      await h.dispatch();
      const receipts = await inbox.waitFor(3);
      expect(typesOf(receipts)).toEqual(['followup.assigned', 'followup.created', 'followup.resolved']);
      for (const r of receipts) expect(r.verifiedWith, JSON.stringify(r.body)).toEqual([0]);
      const created = receipts.find((r) => (r.body as Json).type === 'followup.created')!.body as Json;
      expect(created.data).toMatchObject({ response: { id: rsp, score: 1 }, followUp: { id: fuId, url: `https://feedback.example.com/app/follow-ups/${fuId}` } });
    });

    it('a robot burst withdraws followup.created before it is sent (same settle window as feedback.negative)', async () => {
      const s = await setup({ scale: 'csat5' });
      const inbox = new Inbox(h.receiverUrl);
      const { json: endpoint } = await s.api.call('POST', '/webhooks', { url: inbox.url, events: ['followup.created'] }, 201);
      await inbox.configure({ secrets: [endpoint.secret] });
      // A paused endpoint holds what is queued: the burst comes before anything could be sent.
      await s.api.call('PATCH', `/webhooks/${endpoint.id}`, { status: 'paused' }, 200);
      const m = await message(s);
      const id = await click(h, m.url(1));
      h.advanceClock(300);
      for (const score of [2, 3]) {
        await click(h, m.url(score));
        h.advanceClock(300);
      }
      expect(await followUpOf(id)).toBeUndefined();
      await s.api.call('PATCH', `/webhooks/${endpoint.id}`, { status: 'active' }, 200);
      await h.dispatch();
      expect(await inbox.receipts()).toEqual([]);
    });

    it('followup.overdue goes once when the due time passes (the dispatcher run, injected clock)', async () => {
      const s = await setup();
      const inbox = new Inbox(h.receiverUrl);
      const { json: endpoint } = await s.api.call('POST', '/webhooks', { url: inbox.url, events: ['followup.overdue'] }, 201);
      await inbox.configure({ secrets: [endpoint.secret] });
      const rsp = await click(h, (await message(s)).url(1));
      const fuId = String((await followUpOf(rsp))!.id);
      await h.dispatch();
      h.advanceClock(23 * HOUR);
      await h.dispatch();
      expect(await inbox.receipts()).toEqual([]);
      h.advanceClock(2 * HOUR);
      await h.dispatch();
      await h.dispatch();
      h.advanceClock(HOUR);
      await h.dispatch();
      const receipts = await inbox.waitFor(1);
      expect(receipts.map((r) => [(r.body as Json).type, (r.body as Json).data.followUp.id])).toEqual([['followup.overdue', fuId]]);
      expect(await followUpOf(rsp)).toMatchObject({ overdue_notified_at: expect.any(Number) });
    });

    it('a Slack endpoint gets a Slack message (text and blocks: answer, comment, owner, link), unsigned, for follow-ups and feedback', async () => {
      const s = await setup();
      const maria = await member(s.workspaceId, 'Maria <Rossi>');
      await h.query(`INSERT INTO member_agent_names (workspace_id, person_id, name, name_key) VALUES (?, ?, 'maria', 'maria')`, [s.workspaceId, maria.id]);
      const inbox = new Inbox(h.receiverUrl);
      const { json: endpoint } = await s.api.call('POST', '/webhooks', { url: inbox.url, format: 'slack', events: ['followup.created', 'feedback.commented'] }, 201);
      expect(endpoint).toMatchObject({ format: 'slack' });
      await inbox.configure({ secrets: [endpoint.secret] });
      const rsp = await click(h, (await message(s, { agent: 'maria' })).url(1));
      await comment(h, rsp, 'Still broken <@channel> & worse');
      await h.settle();
      await h.dispatch();
      const receipts = await inbox.waitFor(2);
      const fuId = String((await followUpOf(rsp))!.id);
      const created = receipts.map((r) => r.body as Json).find((b) => b.text.startsWith('New follow-up'))!;
      expect(created, JSON.stringify(receipts.map((r) => r.body))).toBeDefined();
      expect(created.text).toContain(`https://feedback.example.com/app/follow-ups/${fuId}`);
      expect(created.text).toContain('Maria &lt;Rossi&gt;');
      expect(JSON.stringify(created.blocks)).toContain(`"url":"https://feedback.example.com/app/follow-ups/${fuId}"`);
      // The comment came after the follow-up went out (settle window 0 here): its own message holds it, escaped.
      const commented = receipts.map((r) => r.body as Json).find((b) => b.text.startsWith('New comment'));
      expect(commented, JSON.stringify(receipts.map((r) => r.body))).toBeDefined();
      expect(JSON.stringify(commented.blocks)).toContain('Still broken &lt;@channel&gt; &amp; worse');
      expect(JSON.stringify(receipts.map((r) => r.body))).not.toContain('<@channel>');
      for (const r of receipts) expect(r.signatures, 'Slack messages are not signed').toBeFalsy();
    });

    it.each([
      ['an unknown format', { format: 'teams' }],
    ])('POST /webhooks with %s → 400', async (_name, extra) => {
      const s = await setup();
      const { json } = await s.api.call('POST', '/webhooks', { url: 'https://hooks.example.com/x', ...extra }, 400);
      expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'format' } });
    });
  });

  describe('/api/v1/followups/metrics', () => {
    it('matches an independent computation: open, overdue, medians, resolved within due, recovery', async () => {
      const s = await setup();
      const other = await s.api.createSurvey({ name: 'Billing', scale: 'csat3' });
      const start = Date.parse((await s.api.call('GET', `/surveys/${s.survey.id}`, undefined, 200)).json.createdAt);
      // Five customers: three negative answers get follow-ups, worked at different speeds; then
      // some customers answer again (any survey), well or badly.
      const plan = [
        { who: 'a@example.com', first: 1, next: 3 },
        { who: 'b@example.com', first: 1, next: 1 },
        { who: 'c@example.com', first: 1, next: null },
        { who: 'd@example.com', first: 3, next: 1 },
        { who: 'e@example.com', first: 1, next: 2 },
      ];
      const fus: Record<string, string> = {};
      for (const p of plan) {
        const rsp = await click(h, (await message(s, { recipient: p.who })).url(p.first));
        const fu = await followUpOf(rsp);
        if (fu) fus[p.who] = String(fu.id);
        h.advanceClock(60_000);
      }
      await s.api.call('PATCH', `/followups/${fus['a@example.com']}`, { status: 'open' }, 200);
      h.advanceClock(2 * HOUR);
      await s.api.call('PATCH', `/followups/${fus['a@example.com']}`, { status: 'resolved', resolution: { rootCause: 'service', solved: true } }, 200);
      await s.api.call('PATCH', `/followups/${fus['b@example.com']}`, { status: 'escalated' }, 200);
      h.advanceClock(30 * HOUR);
      await s.api.call('PATCH', `/followups/${fus['e@example.com']}`, { status: 'resolved', resolution: { rootCause: 'product', solved: false } }, 200);
      for (const p of plan) {
        if (p.next !== null) await click(h, (await message(s, { recipient: p.who, survey: other.id })).url(p.next));
        h.advanceClock(60_000);
      }
      const to = Date.parse('2100-01-01T00:00:00Z');
      const { json: metrics } = await s.api.call('GET', `/followups/metrics?from=${new Date(start - 1000).toISOString()}&to=${to}`, undefined, 200);

      // The independent computation, from what the API shows.
      const list: Json[] = (await s.api.call('GET', '/followups?limit=500', undefined, 200)).json.data;
      const med = (xs: number[]) => {
        const v = [...xs].sort((x, y) => x - y);
        return v.length ? (v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2) : null;
      };
      const t = (iso: string | null) => (iso === null ? null : Date.parse(iso));
      const resolved = list.filter((f) => f.status === 'resolved');
      const open = list.filter((f) => f.status !== 'resolved');
      const overdue = list.filter((f) => f.overdue);
      const expected = {
        opened: list.length,
        resolved: resolved.length,
        open: open.length,
        overdue: overdue.length,
        medianFirstActionMs: med(list.filter((f) => f.firstActionAt).map((f) => t(f.firstActionAt)! - t(f.createdAt)!)),
        medianResolutionMs: med(resolved.map((f) => t(f.resolvedAt)! - t(f.createdAt)!)),
        resolvedWithinDueShare: resolved.filter((f) => t(f.resolvedAt)! <= t(f.dueAt)!).length / (resolved.length + overdue.length),
      };
      expect(metrics).toMatchObject(expected);
      // Recovery by hand from the plan: everyone had a negative answer (d's second); the next of
      // a is positive and of e neutral (recovered), of b negative; c and d have none yet (left out).
      const responses: Json[] = (await s.api.call('GET', '/responses?limit=1000', undefined, 200)).json.data;
      const byCustomer = new Map<string, Json[]>();
      for (const r of [...responses].sort((x, y) => Date.parse(x.firstAnsweredAt) - Date.parse(y.firstAnsweredAt))) byCustomer.set(r.recipient, [...(byCustomer.get(r.recipient) ?? []), r]);
      let customers = 0;
      let withNext = 0;
      let recovered = 0;
      for (const rows of byCustomer.values()) {
        const i = rows.findIndex((r) => r.sentiment === 'negative');
        if (i < 0) continue;
        customers++;
        if (rows[i + 1]) {
          withNext++;
          if (rows[i + 1].sentiment !== 'negative') recovered++;
        }
      }
      expect({ customers, withNext, recovered }).toEqual({ customers: 5, withNext: 3, recovered: 2 });
      expect(metrics.recovery).toEqual({ customers, withNextResponse: withNext, recovered });
      expect(metrics.recoveryRate).toBeCloseTo(recovered / withNext, 10);
      // One survey only.
      const { json: billing } = await s.api.call('GET', `/followups/metrics?survey=${other.id}&from=${start - 1000}&to=${to}`, undefined, 200);
      // b's and d's negative answers there opened follow-ups of their own; nobody answered after them.
      expect(billing).toMatchObject({ opened: 2, open: 2, recovery: { customers: 2, withNextResponse: 0, recovered: 0 }, recoveryRate: null });
    });

    it.each([
      ['from after to', 'from=2026-02-01&to=2026-01-01', 'from'],
      ['a date that is none', 'from=yesterday', 'from'],
      ['an unknown parameter', 'period=week', 'period'],
    ])('rejects %s → 400', async (_name, query, field) => {
      const s = await setup();
      const { json } = await s.api.call('GET', `/followups/metrics?${query}`, undefined, 400);
      expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
    });
  });
}
