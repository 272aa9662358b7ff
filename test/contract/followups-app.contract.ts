import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, click, formTokenOf, page } from './client';
import type { Harness } from './harness';
import { teamAppPeople } from './team-app.contract';

const HOUR = 3600_000;

/** The page names the field in its error summary and marks the field itself. */
function expectFieldError(page: { status: number; text: string; describe: string }, field: string) {
  expect(page.status, page.describe).toBe(400);
  expect(page.text, page.describe).toContain('class="error-summary"');
  expect(page.text, page.describe).toContain(`<a href="#${field}">`);
}

/** The follow-up ids an inbox page links to, in the order shown. */
function idsOn(text: string): string[] {
  return [...text.matchAll(/href="\/app\/follow-ups\/(fu_[0-9a-f]+)"/g)].map((m) => m[1]!);
}

/**
 * The team app's follow-ups (issue 16): the inbox, the detail page, the settings, the survey's
 * follow-up rule and review page, members' agent names, and the review invitation of the
 * thank-you page. The pages call the service the API calls; what they do is checked in the
 * database. Runs on Node and inside workerd.
 */
export function followUpsAppContract(start: () => Promise<Harness>) {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  const { ownedWorkspace, join } = teamAppPeople(() => h, () => ++seq);

  /** A workspace with a member, a csat3 survey and `n` unhappy customers (one follow-up each). */
  async function withFollowUps(n = 1) {
    const a = await ownedWorkspace();
    const member = await join(a.owner, 'member');
    const api = new Api(h, a.ws.apiKey);
    const survey = await api.createSurvey({ scale: 'csat3' });
    const customers: { email: string; subject: string; responseId: string; followUpId: string }[] = [];
    for (let i = 0; i < n; i++) {
      const email = `unhappy${++seq}@example.com`;
      const subject = `TICKET-${seq}`;
      const minted = await api.mint(survey.id, subject, email);
      const responseId = await click(h, minted.links.find((l) => l.score === 1)!.url);
      await h.settle();
      const [row] = await h.query('SELECT id FROM followups WHERE response_id = ?', [responseId]);
      expect(row, `a follow-up opened for ${responseId}`).toBeTruthy();
      customers.push({ email, subject, responseId, followUpId: row!.id as string });
    }
    return { ...a, member, api, survey, customers };
  }

  async function followUpRow(id: string) {
    return (await h.query('SELECT status, priority, owner_person_id, root_cause, solved FROM followups WHERE id = ?', [id]))[0]!;
  }

  describe('/app/follow-ups', () => {
    describe('happy path', () => {
      it('a member works a follow-up: note, status, priority, owner, resolution with root cause; the page shows the response, the notes and the log', async () => {
        const { member, customers } = await withFollowUps();
        const { followUpId, email } = customers[0]!;
        const inbox = await member.person.get('/app/follow-ups?view=unassigned');
        expect(inbox.status, inbox.describe).toBe(200);
        expect(idsOn(inbox.text)).toEqual([followUpId]);
        expect(inbox.text).toContain(email);
        const detail = await member.person.get(`/app/follow-ups/${followUpId}`);
        expect(detail.status, detail.describe).toBe(200);
        expect(detail.text).toContain(`Follow-up: ${email}`);
        expect(detail.text, 'the answer with its label').toContain('<strong>😞 Bad</strong>');
        expect(detail.text, 'the click with its classification').toMatch(/<td>created · 1<\/td><td><span class="tag">Counted<\/span>/);

        const steps: [string, Record<string, string>][] = [
          ['notes', { note: 'Called back, left a voicemail.' }],
          ['status', { status: 'open' }],
          ['priority', { priority: 'critical' }],
          ['owner', { owner: member.id }],
        ];
        for (const [action, form] of steps) {
          const done = await member.person.post(`/app/follow-ups/${followUpId}/${action}`, form);
          expect(done.status, `${action}: ${done.describe}`).toBe(303);
        }
        expect(await followUpRow(followUpId)).toMatchObject({ status: 'open', priority: 'critical', owner_person_id: member.id });
        const mine = await member.person.get('/app/follow-ups');
        expect(idsOn(mine.text), 'the Mine view').toEqual([followUpId]);
        expect(mine.text, 'the menu counts the member’s open follow-ups').toContain('1 open, assigned to you');
        const resolved = await member.person.post(`/app/follow-ups/${followUpId}/resolve`, { 'root-cause': 'billing', solved: 'yes' });
        expect(resolved.status, resolved.describe).toBe(303);
        expect(await followUpRow(followUpId)).toMatchObject({ status: 'resolved', root_cause: 'billing', solved: 1 });
        const after = await member.person.get(`/app/follow-ups/${followUpId}`);
        expect(after.text).toContain('Called back, left a voicemail.');
        expect(after.text).toMatch(/<td>Mo Member<\/td><td>Priority<\/td><td>High<\/td><td>Critical<\/td>/);
        expect(after.text).toMatch(/<td>Mo Member<\/td><td>Status<\/td><td>Open<\/td><td>Resolved<\/td>/);
        expect(after.text).toContain('Root cause: <strong>billing</strong>');
        expect(after.text, 'resolved: no longer counted in the menu').not.toContain('open, assigned to you');
      });

      it('filters by status, priority, survey, overdue and search; sorts by due time', async () => {
        const { owner, customers, survey } = await withFollowUps(3);
        const [first, second, third] = customers;
        await owner.get(`/app/follow-ups/${second!.followUpId}`);
        expect((await owner.post(`/app/follow-ups/${second!.followUpId}/priority`, { priority: 'low' })).status).toBe(303);
        const all = await owner.get('/app/follow-ups?view=all');
        expect(all.status, all.describe).toBe(200);
        expect(idsOn(all.text), 'due soonest first: the low priority one last').toEqual([first!.followUpId, third!.followUpId, second!.followUpId]);
        expect(idsOn((await owner.get('/app/follow-ups?view=all&sort=-due')).text)[0]).toBe(second!.followUpId);
        expect(idsOn((await owner.get(`/app/follow-ups?view=all&q=${encodeURIComponent(third!.email)}`)).text)).toEqual([third!.followUpId]);
        expect(idsOn((await owner.get(`/app/follow-ups?view=all&q=${third!.subject}`)).text)).toEqual([third!.followUpId]);
        expect(idsOn((await owner.get('/app/follow-ups?view=all&priority=low')).text)).toEqual([second!.followUpId]);
        expect(idsOn((await owner.get(`/app/follow-ups?view=all&survey=${survey.id}`)).text)).toHaveLength(3);
        expect(idsOn((await owner.get('/app/follow-ups?view=all&status=resolved')).text)).toEqual([]);
        expect(idsOn((await owner.get('/app/follow-ups?view=all&overdue=1')).text), 'nothing overdue yet').toEqual([]);
        h.advanceClock(25 * HOUR);
        const overdue = await owner.get('/app/follow-ups?view=all&overdue=1');
        expect(idsOn(overdue.text), 'high priority: due in 24 hours').toEqual([first!.followUpId, third!.followUpId]);
        expect(overdue.text, 'marked by a word, not a colour alone').toContain('<strong class="tag">Overdue</strong>');
        h.advanceClock(-25 * HOUR);
      });

      it('pages by cursor: 50 a page, the next page link, then the first page link', async () => {
        const { owner, api, survey } = await withFollowUps();
        for (let batch = 0; batch < 5; batch++) {
          await Promise.all(
            Array.from({ length: 10 }, async (_, i) => {
              const minted = await api.mint(survey.id, `PAGE-${batch}-${i}`, `page${batch}-${i}@example.com`);
              await click(h, minted.links.find((l) => l.score === 1)!.url);
            }),
          );
        }
        await h.settle();
        const first = await owner.get('/app/follow-ups?view=all&sort=created');
        expect(idsOn(first.text), first.describe).toHaveLength(50);
        const next = /<a href="(\/app\/follow-ups\?[^"]*cursor=[^"]+)">Next page<\/a>/.exec(first.text)?.[1];
        expect(next, first.describe).toBeTruthy();
        const second = await owner.get(next!.replaceAll('&amp;', '&'));
        expect(second.status, second.describe).toBe(200);
        expect(idsOn(second.text)).toHaveLength(1);
        expect(idsOn(first.text)).not.toContain(idsOn(second.text)[0]);
        expect(second.text).toContain('>First page</a>');
        expect(second.text).not.toContain('Next page');
      });

      it('reassigns several follow-ups in one post, and back to the same view', async () => {
        const { owner, member, customers } = await withFollowUps(3);
        const inbox = await owner.get('/app/follow-ups?view=all&sort=created');
        const form = new URLSearchParams({ form_token: owner.formToken, back: 'view=all&sort=created', 'owner-to': member.id });
        form.append('ids', customers[0]!.followUpId);
        form.append('ids', customers[2]!.followUpId);
        const res = await h.fetch('/app/follow-ups/reassign', { method: 'POST', headers: { cookie: owner.cookie!, origin: owner.origin, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
        expect(res.status, `${await res.clone().text()} ${inbox.status}`).toBe(303);
        expect(res.headers.get('location')).toBe('/app/follow-ups?view=all&sort=created&done=reassigned&n=2');
        const owners = await h.query('SELECT id, owner_person_id FROM followups WHERE id IN (?, ?, ?) ORDER BY created_at', customers.map((c) => c.followUpId));
        expect(owners.map((o) => o.owner_person_id)).toEqual([member.id, null, member.id]);
        expect((await owner.get('/app/follow-ups?view=all&sort=created&done=reassigned&n=2')).text).toContain('2 follow-ups reassigned.');
        const log = await h.query("SELECT action, \"to\" FROM followup_log WHERE followup_id = ? AND action = 'owner'", [customers[0]!.followUpId]);
        expect(log).toEqual([{ action: 'owner', to: member.email }]);
      });

      it('exports the filtered list as CSV (BOM, header, one row per follow-up)', async () => {
        const { owner, customers } = await withFollowUps(2);
        await owner.get('/app/follow-ups');
        const res = await h.fetch(`/app/follow-ups/export.csv?view=all&q=${encodeURIComponent(customers[1]!.email)}`, { headers: { cookie: owner.cookie! } });
        const bytes = new Uint8Array(await res.arrayBuffer());
        const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
        expect(res.status, text).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(res.headers.get('content-disposition')).toContain('attachment');
        expect(text.startsWith('\uFEFFid,status,priority,owner,survey,ticket,customer')).toBe(true);
        const lines = text.trim().split('\r\n');
        expect(lines, text).toHaveLength(2);
        expect(lines[1]).toContain(customers[1]!.followUpId);
        const whole = await (await h.fetch('/app/follow-ups/export.csv?view=all', { headers: { cookie: owner.cookie! } })).text();
        expect(whole.trim().split('\r\n'), whole).toHaveLength(3);
      });
    });

    describe('rejects', () => {
      it.each([
        ['no root cause', { solved: 'yes' }, 'root-cause'],
        ['a root cause not on the list', { 'root-cause': 'weather', solved: 'no' }, 'root-cause'],
        ['no answer to "solved"', { 'root-cause': 'billing' }, 'solved-yes'],
      ])('resolving with %s: 400 naming the field, nothing changes', async (_, form, field) => {
        const { member, customers } = await withFollowUps();
        await member.person.get(`/app/follow-ups/${customers[0]!.followUpId}`);
        const page = await member.person.post(`/app/follow-ups/${customers[0]!.followUpId}/resolve`, form as Record<string, string>);
        expectFieldError(page, field);
        expect((await followUpRow(customers[0]!.followUpId)).status).toBe('new');
      });

      it('moving a follow-up back to new: 400 naming the field, it stays open', async () => {
        const { member, customers } = await withFollowUps();
        const id = customers[0]!.followUpId;
        await member.person.get(`/app/follow-ups/${id}`);
        expect((await member.person.post(`/app/follow-ups/${id}/status`, { status: 'open' })).status).toBe(303);
        expectFieldError(await member.person.post(`/app/follow-ups/${id}/status`, { status: 'new' }), 'status');
        expect((await followUpRow(id)).status).toBe('open');
      });

      it.each([
        ['empty', ''],
        ['blank', '   '],
        ['too long', 'n'.repeat(5001)],
      ])('a note that is %s: 400 naming the field, no note stored', async (_, note) => {
        const { member, customers } = await withFollowUps();
        await member.person.get(`/app/follow-ups/${customers[0]!.followUpId}`);
        expectFieldError(await member.person.post(`/app/follow-ups/${customers[0]!.followUpId}/notes`, { note }), 'note');
        expect(await h.query('SELECT id FROM followup_notes WHERE followup_id = ?', [customers[0]!.followUpId])).toEqual([]);
      });

      it.each([
        ['status', 'status=bogus'],
        ['priority', 'priority=urgent'],
        ['sort', 'sort=name'],
        ['q', `q=${'x'.repeat(321)}`],
        ['status', 'cursor=not-a-cursor'],
      ])('an inbox filter that is wrong (%s): 400 with the error summary', async (field, query) => {
        const { owner } = await withFollowUps();
        expectFieldError(await owner.get(`/app/follow-ups?view=all&${query}`), field);
      });

      it('reassigning nothing, or to someone who is not a member (in bulk or one): 400 naming the field, nothing changes', async () => {
        const { owner, customers } = await withFollowUps();
        const other = await ownedWorkspace('Other');
        const stranger = (await h.query('SELECT person_id FROM memberships WHERE workspace_id = ?', [other.ws.id]))[0]!.person_id as string;
        await owner.get('/app/follow-ups?view=all');
        expectFieldError(await owner.post('/app/follow-ups/reassign', { back: 'view=all', 'owner-to': '' }), 'reassign');
        expectFieldError(await owner.post('/app/follow-ups/reassign', { back: 'view=all', 'owner-to': stranger, ids: customers[0]!.followUpId }), 'owner-to');
        await owner.get(`/app/follow-ups/${customers[0]!.followUpId}`);
        for (const who of [stranger, 'x'.repeat(400)]) expectFieldError(await owner.post(`/app/follow-ups/${customers[0]!.followUpId}/owner`, { owner: who }), 'owner');
        expect((await followUpRow(customers[0]!.followUpId)).owner_person_id).toBeNull();
      });
    });

    describe('security', () => {
      it('another workspace’s follow-up is 404 on every page and post, and nothing changes', async () => {
        const a = await withFollowUps();
        const b = await ownedWorkspace('Beta');
        const id = a.customers[0]!.followUpId;
        expect((await b.owner.get(`/app/follow-ups/${id}`)).status).toBe(404);
        expect(idsOn((await b.owner.get('/app/follow-ups?view=all')).text)).toEqual([]);
        const csv = await (await h.fetch('/app/follow-ups/export.csv?view=all', { headers: { cookie: b.owner.cookie! } })).text();
        expect(csv.trim().split('\r\n'), csv).toHaveLength(1);
        const posts: [string, Record<string, string>][] = [
          [`/app/follow-ups/${id}/status`, { status: 'open' }],
          [`/app/follow-ups/${id}/priority`, { priority: 'low' }],
          [`/app/follow-ups/${id}/owner`, { owner: '' }],
          [`/app/follow-ups/${id}/resolve`, { 'root-cause': 'billing', solved: 'yes' }],
          [`/app/follow-ups/${id}/notes`, { note: 'hello' }],
          ['/app/follow-ups/reassign', { ids: id, 'owner-to': '', back: '' }],
        ];
        for (const [path, form] of posts) {
          const res = await b.owner.post(path, form);
          expect(res.status, `${path}: ${res.describe}`).toBe(404);
        }
        expect(await followUpRow(id)).toMatchObject({ status: 'new', priority: 'high', owner_person_id: null });
        expect(await h.query('SELECT id FROM followup_notes WHERE followup_id = ?', [id])).toEqual([]);
      });

      it('a post without the form token, or from another site, is refused (403) and changes nothing', async () => {
        const { member, customers } = await withFollowUps();
        const id = customers[0]!.followUpId;
        await member.person.get(`/app/follow-ups/${id}`);
        const noToken = await member.person.post(`/app/follow-ups/${id}/status`, { status: 'open' }, { withToken: false });
        expect(noToken.status, noToken.describe).toBe(403);
        const crossSite = await member.person.post(`/app/follow-ups/${id}/status`, { status: 'open' }, { headers: { origin: 'https://evil.example' } });
        expect(crossSite.status, crossSite.describe).toBe(403);
        const bulk = await member.person.post('/app/follow-ups/reassign', { ids: id, 'owner-to': member.id, back: '' }, { headers: { origin: 'https://evil.example' } });
        expect(bulk.status, bulk.describe).toBe(403);
        expect(await followUpRow(id)).toMatchObject({ status: 'new', owner_person_id: null });
      });

      it('signed out: the inbox sends to the sign-in page, the export gives nothing', async () => {
        const res = await h.fetch('/app/follow-ups/export.csv', { redirect: 'manual' });
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe('/app/login');
      });
    });
  });

  describe('/app/follow-ups/settings', () => {
    it('happy path: an owner sets due hours and root causes; the next resolution picks from them', async () => {
      const { owner, ws, member, customers } = await withFollowUps();
      const form = await owner.get('/app/follow-ups/settings');
      expect(form.status, form.describe).toBe(200);
      expect(form.text).toContain('value="24"');
      const saved = await owner.post('/app/follow-ups/settings', { 'due-critical': '2', 'due-high': '12', 'due-medium': '48', 'due-low': '120', 'root-causes': 'Shipping\nRefund\n\nshipping\n' });
      expect(saved.status, saved.describe).toBe(303);
      const [row] = await h.query('SELECT follow_up_due_hours AS hours, follow_up_root_causes AS causes FROM workspaces WHERE id = ?', [ws.id]);
      expect(JSON.parse(row!.hours as string)).toEqual({ critical: 2, high: 12, medium: 48, low: 120 });
      expect(JSON.parse(row!.causes as string), 'blank lines and repeats dropped').toEqual(['Shipping', 'Refund']);
      await member.person.get(`/app/follow-ups/${customers[0]!.followUpId}`);
      expect((await member.person.post(`/app/follow-ups/${customers[0]!.followUpId}/resolve`, { 'root-cause': 'Refund', solved: 'no' })).status).toBe(303);
      expect(await followUpRow(customers[0]!.followUpId)).toMatchObject({ status: 'resolved', root_cause: 'Refund', solved: 0 });
    });

    it.each([
      ['a due time of zero hours', { 'due-high': '0' }, 'due-high'],
      ['a due time that is not a number', { 'due-low': 'soon' }, 'due-low'],
      ['no root causes', { 'root-causes': '\n \n' }, 'root-causes'],
      ['a root cause too long', { 'root-causes': 'r'.repeat(61) }, 'root-causes'],
    ])('rejects %s: 400 naming the field, nothing saved', async (_, change, field) => {
      const { owner, ws } = await ownedWorkspace();
      await owner.get('/app/follow-ups/settings');
      const form = { 'due-critical': '4', 'due-high': '24', 'due-medium': '72', 'due-low': '168', 'root-causes': 'product', ...change };
      expectFieldError(await owner.post('/app/follow-ups/settings', form), field);
      const [row] = await h.query('SELECT follow_up_root_causes AS causes FROM workspaces WHERE id = ?', [ws.id]);
      expect(JSON.parse(row!.causes as string)).toContain('billing');
    });

    it('security: a member gets 403 on the page and the post', async () => {
      const { member, ws } = await withFollowUps();
      expect((await member.person.get('/app/follow-ups/settings')).status).toBe(403);
      await member.person.get('/app/follow-ups');
      const res = await member.person.post('/app/follow-ups/settings', { 'due-critical': '1', 'due-high': '1', 'due-medium': '1', 'due-low': '1', 'root-causes': 'x' });
      expect(res.status, res.describe).toBe(403);
      const [row] = await h.query('SELECT follow_up_root_causes AS causes FROM workspaces WHERE id = ?', [ws.id]);
      expect(JSON.parse(row!.causes as string)).toContain('billing');
    });
  });

  describe('/app/surveys/:id/follow-ups', () => {
    it('happy path: an admin sets the rule, the default owner, a priority and the review page', async () => {
      const { owner, member, survey } = await withFollowUps();
      const form = await owner.get(`/app/surveys/${survey.id}`);
      expect(form.status, form.describe).toBe(200);
      expect(form.text).toContain('id="rule-negative" name="rule" value="negative" checked');
      const saved = await owner.post(`/app/surveys/${survey.id}/follow-ups`, { rule: 'negative-and-neutral', 'default-owner': member.id, 'priority-1': 'critical', 'priority-2': '', 'priority-3': '', 'review-url': 'https://reviews.example/acme' });
      expect(saved.status, saved.describe).toBe(303);
      const [row] = await h.query('SELECT follow_ups, default_owner_person_id, follow_up_priorities, review_url FROM surveys WHERE id = ?', [survey.id]);
      expect(row).toEqual({ follow_ups: 'negative-and-neutral', default_owner_person_id: member.id, follow_up_priorities: '{"1":"critical"}', review_url: 'https://reviews.example/acme' });
      const readOnly = await member.person.get(`/app/surveys/${survey.id}`);
      expect(readOnly.text, 'a member sees the settings').toContain('Negative and neutral answers (NPS passives too)');
      expect(readOnly.text).not.toContain(`action="/app/surveys/${survey.id}/follow-ups"`);
    });

    it.each([
      ['a plain http review page', { 'review-url': 'http://reviews.example/acme' }, 'review-url'],
      ['a review page that is no address', { 'review-url': 'reviews' }, 'review-url'],
      ['a review page on a private address', { 'review-url': 'https://10.0.0.1/reviews' }, 'review-url'],
      ['an unknown rule', { rule: 'always' }, 'rule-negative'],
      ['an unknown priority', { 'priority-1': 'urgent' }, 'priority-1'],
      ['a default owner from elsewhere', { 'default-owner': 'per_00000000000000000000' }, 'default-owner'],
    ])('rejects %s: 400 naming the field, nothing saved', async (_, change, field) => {
      const { owner, survey } = await withFollowUps();
      await owner.get(`/app/surveys/${survey.id}`);
      expectFieldError(await owner.post(`/app/surveys/${survey.id}/follow-ups`, { rule: 'off', 'default-owner': '', 'review-url': '', ...change }), field);
      expect((await h.query('SELECT follow_ups FROM surveys WHERE id = ?', [survey.id]))[0]).toEqual({ follow_ups: 'negative' });
    });

    it('security: a member gets 403; another workspace’s survey is 404', async () => {
      const { member, survey } = await withFollowUps();
      const b = await ownedWorkspace('Beta');
      await member.person.get(`/app/surveys/${survey.id}`);
      expect((await member.person.post(`/app/surveys/${survey.id}/follow-ups`, { rule: 'off', 'review-url': '' })).status).toBe(403);
      await b.owner.get('/app/surveys');
      expect((await b.owner.post(`/app/surveys/${survey.id}/follow-ups`, { rule: 'off', 'review-url': '' })).status).toBe(404);
      expect((await h.query('SELECT follow_ups FROM surveys WHERE id = ?', [survey.id]))[0]).toEqual({ follow_ups: 'negative' });
    });
  });

  describe('/app/members/:personId/agent-names', () => {
    it('happy path: an owner gives a member agent names; their unhappy customers’ follow-ups are theirs', async () => {
      const { owner, member, api, survey, ws } = await withFollowUps();
      await owner.get('/app/members');
      const saved = await owner.post(`/app/members/${member.id}/agent-names`, { 'agent-names': 'maria\nMaria Rossi\nMARIA' });
      expect(saved.status, saved.describe).toBe(303);
      expect(await h.query('SELECT name FROM member_agent_names WHERE workspace_id = ? ORDER BY name', [ws.id])).toEqual([{ name: 'Maria Rossi' }, { name: 'maria' }]);
      expect((await owner.get('/app/members')).text).toContain('maria\nMaria Rossi</textarea>');
      const minted = await api.mint(survey.id, 'T-AGENT', 'agent@example.com', { agent: 'Maria Rossi' });
      const responseId = await click(h, minted.links.find((l) => l.score === 1)!.url);
      await h.settle();
      expect((await h.query('SELECT owner_person_id FROM followups WHERE response_id = ?', [responseId]))[0]).toEqual({ owner_person_id: member.id });
    });

    it('rejects a name another member has (any case), and too many names: 400, nothing saved', async () => {
      const { owner, member, ws } = await withFollowUps();
      const admin = await join(owner, 'admin', 'Ada Admin');
      await owner.get('/app/members');
      expect((await owner.post(`/app/members/${member.id}/agent-names`, { 'agent-names': 'maria' })).status).toBe(303);
      expectFieldError(await owner.post(`/app/members/${admin.id}/agent-names`, { 'agent-names': 'ada\nMARIA' }), `agent-names-${admin.id}`);
      expectFieldError(await owner.post(`/app/members/${admin.id}/agent-names`, { 'agent-names': Array.from({ length: 21 }, (_, i) => `a${i}`).join('\n') }), `agent-names-${admin.id}`);
      expect(await h.query('SELECT name FROM member_agent_names WHERE workspace_id = ?', [ws.id])).toEqual([{ name: 'maria' }]);
    });

    it('security: a member gets 403; a person of another workspace is 404', async () => {
      const { owner, member } = await withFollowUps();
      const b = await ownedWorkspace('Beta');
      await member.person.get('/app/follow-ups');
      expect((await member.person.post(`/app/members/${member.id}/agent-names`, { 'agent-names': 'me' })).status).toBe(403);
      await b.owner.get('/app/members');
      expect((await b.owner.post(`/app/members/${member.id}/agent-names`, { 'agent-names': 'x' })).status).toBe(404);
      await owner.get('/app/members');
      expect(await h.query('SELECT name FROM member_agent_names WHERE person_id = ?', [member.id])).toEqual([]);
    });
  });

  describe('/t/:id/review', () => {
    /** A survey with a review page, and one response per answer given. */
    async function reviewed(scores: number[]) {
      const a = await ownedWorkspace();
      const api = new Api(h, a.ws.apiKey);
      const survey = await api.createSurvey({ scale: 'csat3' });
      await a.owner.get(`/app/surveys/${survey.id}`);
      const saved = await a.owner.post(`/app/surveys/${survey.id}/follow-ups`, { rule: 'negative', 'default-owner': '', 'review-url': 'https://reviews.example/acme?src=survey' });
      expect(saved.status, saved.describe).toBe(303);
      const responses: string[] = [];
      for (const score of scores) {
        const minted = await api.mint(survey.id, `T-${++seq}`, `r${seq}@example.com`);
        responses.push(await click(h, minted.links.find((l) => l.score === score)!.url));
      }
      await h.settle();
      return { ...a, survey, responses };
    }

    /** The invitation's form, with the response's id and token taken out (to compare two pages). */
    function invitation(html: string, responseId: string): string {
      const form = /<form method="post" action="\/t\/[^"]+\/review"[\s\S]*?<\/form>/.exec(html)?.[0];
      expect(form, html.slice(0, 2000)).toBeTruthy();
      return form!.replaceAll(responseId, 'ID').replace(/value="[^"]+"/, 'value="TOKEN"');
    }

    it('happy path: the same invitation for an unhappy and a happy customer; a click counts once and leaves for the review page', async () => {
      const { owner, survey, responses } = await reviewed([1, 3]);
      const [unhappy, happy] = await Promise.all(responses.map((id) => page(h, `/t/${id}`)));
      expect(invitation(unhappy!.html, responses[0]!), 'no review gating').toBe(invitation(happy!.html, responses[1]!));
      expect(unhappy!.html).toContain('Write a public review');
      expect(unhappy!.res.headers.get('content-security-policy'), 'the form may end at the review page').toContain("form-action 'self' https://reviews.example");
      for (const [i, id] of responses.entries()) {
        const html = i === 0 ? unhappy!.html : happy!.html;
        for (let n = 0; n < 2; n++) {
          const res = await h.fetch(`/t/${id}/review`, { method: 'POST', redirect: 'manual', headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ form_token: formTokenOf(html) }).toString() });
          expect(res.status, await res.text()).toBe(303);
          expect(res.headers.get('location')).toBe('https://reviews.example/acme?src=survey');
          expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        }
      }
      expect(await h.query('SELECT response_id FROM review_clicks WHERE survey_id = ? ORDER BY response_id', [survey.id])).toEqual([...responses].sort().map((r) => ({ response_id: r })));
      const list = await owner.get('/app/surveys');
      expect(list.text, 'the count per survey').toMatch(new RegExp(`href="/app/surveys/${survey.id}"[\\s\\S]*?<td>2</td></tr>`));
    });

    it('a GET (a link scanner) counts nothing and goes back to the thank-you page', async () => {
      const { survey, responses } = await reviewed([2]);
      const res = await h.fetch(`/t/${responses[0]}/review`, { redirect: 'manual', headers: BROWSER_HEADERS });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/t/${responses[0]}`);
      expect(await h.query('SELECT response_id FROM review_clicks WHERE survey_id = ?', [survey.id])).toEqual([]);
    });

    it('rejects a post without the page’s token (403), and a survey without a review page has no invitation (404)', async () => {
      const { survey, responses } = await reviewed([1]);
      const post = (id: string, token: string) =>
        h.fetch(`/t/${id}/review`, { method: 'POST', redirect: 'manual', headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ form_token: token }).toString() });
      expect((await post(responses[0]!, 'forged')).status).toBe(403);
      expect(await h.query('SELECT response_id FROM review_clicks WHERE survey_id = ?', [survey.id])).toEqual([]);
      const plain = await ownedWorkspace();
      const api = new Api(h, plain.ws.apiKey);
      const other = await api.createSurvey({ scale: 'csat3' });
      const id = await click(h, (await api.mint(other.id, 'T-PLAIN', 'p@example.com')).links[0]!.url);
      const { html } = await page(h, `/t/${id}`);
      expect(html).not.toContain('/review"');
      expect((await post(id, formTokenOf(html))).status).toBe(404);
    });
  });
}
