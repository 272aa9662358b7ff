import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPDESK_PRESETS, PRESET_NAMES } from '../../worker/lib/helpdesk-presets';
import { Api, BROWSER_HEADERS, click, comment, formTokenOf, page } from './client';
import type { Harness } from './harness';
import { Inbox } from './receiver';

const DAY_MS = 86_400_000;

/**
 * Customers' data: erasure (`DELETE /api/v1/respondents/{email}`), access (`GET` of the same),
 * suppression, and retention in the background loop. `start` takes extra settings, so the
 * retention tests run on their own service whose clock they move.
 */
export function privacyContract(start: (env?: Record<string, string>) => Promise<Harness>) {
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
  const unique = (name: string) => `${name}.${++seq}.${Date.now()}@example.com`;
  const path = (email: string, query = '') => `/respondents/${encodeURIComponent(email)}${query}`;

  /** A signature link whose helpdesk fills in the requester's email: its votes are stored as `hint:<email>`. */
  async function hintVote(a: Api, surveyId: string, email: string, ticket: string) {
    const presetName = PRESET_NAMES.find((name) => HELPDESK_PRESETS[name].placeholders.email && HELPDESK_PRESETS[name].placeholders.ticket)!;
    const preset = HELPDESK_PRESETS[presetName];
    const { json } = await a.call('POST', '/snippets', { survey: surveyId, preset: presetName }, 201);
    const url = new URL((json.links[0] as { url: string }).url.replace(preset.placeholders.ticket!, ticket).replace(preset.placeholders.email!, email));
    const res = await h.fetch(url.pathname + url.search, { headers: BROWSER_HEADERS });
    expect(res.status, await res.clone().text()).toBe(303);
    return res.headers.get('location')!.slice(3);
  }

  /** An anonymous signature vote whose voter left `email` as contact on the thank-you page. */
  async function anonymousVoteWithContact(a: Api, surveyId: string, email: string) {
    const { json } = await a.call('POST', '/snippets', { survey: surveyId, preset: 'plain' }, 201);
    const url = new URL((json.links[0] as { url: string }).url);
    const res = await h.fetch(url.pathname + url.search, { headers: BROWSER_HEADERS });
    expect(res.status, await res.clone().text()).toBe(303);
    const id = res.headers.get('location')!.slice(3);
    const { html } = await page(h, `/t/${id}`);
    const post = await h.fetch(`/t/${id}/contact`, {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ contact: email, form_token: formTokenOf(html) }).toString(),
    });
    expect(post.status, await post.clone().text()).toBe(303);
    return id;
  }

  /** Everything a person leaves in a workspace: two per-message answers (one commented), a hint vote, an anonymous vote with a contact. */
  async function footprint(a: Api, email: string) {
    const survey = await a.createSurvey();
    const first = await a.mint(survey.id, `T-${++seq}`, email);
    const second = await a.mint(survey.id, `T-${++seq}`, email);
    const commented = await click(h, first.links[0]!.url);
    const secret = `secret remark ${seq} ${Date.now()}`;
    await comment(h, commented, secret);
    const plain = await click(h, second.links[2]!.url);
    const hinted = await hintVote(a, survey.id, email, `TCK-${++seq}`);
    const anonymous = await anonymousVoteWithContact(a, survey.id, email);
    return { survey, ids: [commented, plain, hinted, anonymous].sort(), secret };
  }

  // The customer's "Delete my answer" (the thank-you page, then its confirmation step).
  const form = (fields: Record<string, string>, headers: Record<string, string> = BROWSER_HEADERS) => ({
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  async function answered() {
    const survey = await api.createSurvey();
    const id = await click(h, (await api.mint(survey.id, `T-del-${++seq}`, unique('self'))).links[0]!.url);
    await comment(h, id, 'please forget this');
    return id;
  }
  /** The thank-you page's offer, then the confirmation step: returns the step's page. */
  async function askToDelete(id: string, headers: Record<string, string> = BROWSER_HEADERS) {
    const { html } = await page(h, `/t/${id}`, headers);
    expect(html).toContain(`action="/t/${id}/delete"`);
    const res = await h.fetch(`/t/${id}/delete`, form({ form_token: formTokenOf(html) }, headers));
    const step = await res.text();
    expect(res.status, step).toBe(200);
    return step;
  }

  describe('DELETE /api/v1/respondents/{email}', () => {
    describe('happy path', () => {
      it('erases every response of the address (per-message, hint, anonymous with contact), their history, contacts and webhook rows, and says how many', async () => {
        const inbox = new Inbox(h.receiverUrl);
        const { json: endpoint } = await api.call('POST', '/webhooks', { url: inbox.url, events: ['feedback.created', 'feedback.updated', 'feedback.commented', 'feedback.negative'] }, 201);
        await inbox.configure({ secrets: [endpoint.secret] });
        const email = unique('ann');
        const { ids, secret } = await footprint(api, email);
        const bystander = await click(h, (await api.mint((await api.createSurvey()).id, 'T-keep', unique('bob'))).links[0]!.url);
        const before = await h.query(`SELECT count(*) AS n FROM webhook_events WHERE response_id IN (${ids.map(() => '?').join(',')})`, ids);
        expect(Number(before[0]!.n)).toBeGreaterThan(0);

        await h.settle();
        const sentBefore = (await inbox.receipts()).length; // a comment's event may go at once, before the erasure

        const { json } = await api.call('DELETE', path(email), undefined, 200);
        expect(json).toMatchObject({ responses: 4, contacts: 1, suppressed: false });
        expect(json.events).toBeGreaterThanOrEqual(5); // four clicks and a comment
        expect(json.webhookEvents).toBe(Number(before[0]!.n));
        expect(json.webhookDeliveries).toBe(json.webhookEvents);

        for (const id of ids) await api.call('GET', `/responses/${id}`, undefined, 404);
        for (const [table, column] of [['response_events', 'response_id'], ['response_contacts', 'response_id'], ['webhook_events', 'response_id']]) {
          const rows = await h.query(`SELECT count(*) AS n FROM ${table} WHERE ${column} IN (${ids.map(() => '?').join(',')})`, ids);
          expect(Number(rows[0]!.n), table).toBe(0);
        }
        expect(await h.query(`SELECT id FROM responses WHERE id IN (${ids.map(() => '?').join(',')})`, ids)).toEqual([]);
        expect(await h.query('SELECT id FROM responses WHERE workspace_id = ? AND recipient IN (?, ?)', [acmeId, email, `hint:${email}`])).toEqual([]);
        expect(await h.query('SELECT response_id FROM response_contacts WHERE workspace_id = ? AND email = ?', [acmeId, email])).toEqual([]);
        expect(JSON.stringify(await h.query('SELECT comment FROM webhook_events WHERE workspace_id = ? ORDER BY occurred_at', [acmeId]))).not.toContain(secret);
        // Reports count them no more; the bystander is untouched.
        expect((await api.responses('?status=all')).data.map((r) => r.id)).not.toContain(ids[0]);
        await api.call('GET', `/responses/${bystander}`, undefined, 200);
        // Pending deliveries of erased responses never send.
        h.advanceClock(120_000);
        await h.dispatch();
        await h.settle();
        const sent = (await inbox.receipts()).slice(sentBefore).map((r) => JSON.stringify(r));
        expect(sent.filter((body) => ids.some((id) => body.includes(id)) || body.includes(email))).toEqual([]);
      });

      it('erases the follow-up the team opened for an unhappy answer, with its notes and log, and the access export showed them before', async () => {
        const email = unique('unhappy');
        const survey = await api.createSurvey();
        const id = await click(h, (await api.mint(survey.id, `T-fu-${++seq}`, email)).links[0]!.url); // the lowest answer: negative
        const { json: list } = await api.call('GET', `/followups?q=${encodeURIComponent(email)}`, undefined, 200);
        expect(list.data, JSON.stringify(list)).toHaveLength(1);
        const followUpId = (list.data as { id: string }[])[0]!.id;
        const note = `called back ${email}`;
        await api.call('POST', `/followups/${followUpId}/notes`, { text: note }, 201);

        const { json: exported } = await api.call('GET', path(email), undefined, 200);
        const [response] = exported.responses as { id: string; followUp: { id: string; notes: { text: string }[]; log: unknown[] } | null }[];
        expect(response!.id).toBe(id);
        expect(response!.followUp?.id).toBe(followUpId);
        expect(response!.followUp?.notes.map((n) => n.text)).toEqual([note]);
        expect(response!.followUp?.log.length).toBeGreaterThan(0);

        const { json } = await api.call('DELETE', path(email), undefined, 200);
        expect(json).toMatchObject({ responses: 1, followUps: 1, followUpNotes: 1 });
        expect(json.followUpLog).toBeGreaterThan(0);
        await api.call('GET', `/followups/${followUpId}`, undefined, 404);
        for (const table of ['followup_notes', 'followup_log']) {
          expect(await h.query(`SELECT id FROM ${table} WHERE followup_id = ?`, [followUpId]), table).toEqual([]);
        }
      });

      it('answers zeros for an address with nothing stored, and for a repeated erasure (the answer does not tell who was surveyed)', async () => {
        const email = unique('twice');
        await footprint(api, email);
        const { json: first } = await api.call('DELETE', path(email), undefined, 200);
        expect(first.responses).toBe(4);
        for (const address of [email, unique('never')]) {
          const { json } = await api.call('DELETE', path(address), undefined, 200);
          expect(json).toEqual({ responses: 0, events: 0, contacts: 0, followUps: 0, followUpNotes: 0, followUpLog: 0, reviewClicks: 0, webhookEvents: 0, webhookDeliveries: 0, suppressed: false });
        }
      });

      it('finds the address whatever its case', async () => {
        const email = unique('Case');
        const survey = await api.createSurvey();
        await click(h, (await api.mint(survey.id, 'T-case', email.toLowerCase())).links[0]!.url);
        const { json } = await api.call('DELETE', path(email.toUpperCase().replace('@EXAMPLE.COM', '@example.com')), undefined, 200);
        expect(json.responses).toBe(1);
      });

      it('?suppress=true keeps a keyed hash: new links for the address are refused (any case), other addresses and workspaces are not', async () => {
        const email = unique('never-again');
        const survey = await api.createSurvey();
        await click(h, (await api.mint(survey.id, 'T-s', email)).links[0]!.url);
        const { json } = await api.call('DELETE', path(email, '?suppress=true'), undefined, 200);
        expect(json).toMatchObject({ responses: 1, suppressed: true });
        const stored = await h.query('SELECT hash, kid FROM suppressed_recipients WHERE workspace_id = ?', [acmeId]);
        expect(stored).toHaveLength(1);
        expect(JSON.stringify(stored)).not.toContain(email.split('@')[0]);
        for (const recipient of [email, email.toUpperCase()]) {
          const { json: refused } = await api.call('POST', '/links', { survey: survey.id, subject: 'T-again', recipient }, 409);
          expect(refused.error.code).toBe('RECIPIENT_SUPPRESSED');
        }
        const { json: render } = await api.call('POST', '/emails/render', { survey: survey.id, subject: 'T-again', recipient: email }, 409);
        expect(render.error.code).toBe('RECIPIENT_SUPPRESSED');
        expect((await api.call('GET', path(email), undefined, 200)).json).toMatchObject({ suppressed: true, responses: [] });
        await api.mint(survey.id, 'T-other', unique('someone-else'));
        await other.mint((await other.createSurvey()).id, 'T-b', email);
      });

      it('?suppress=true: a link minted before the erasure, and a signature vote with the address as hint, record nothing (a plain thanks)', async () => {
        const email = unique('old-link');
        const survey = await api.createSurvey();
        const early = await api.mint(survey.id, 'T-early', email);
        await api.call('DELETE', path(email, '?suppress=true'), undefined, 200);
        const res = await h.fetch(new URL(early.links[1]!.url).pathname, { headers: BROWSER_HEADERS });
        const html = await res.text();
        expect(res.status, html).toBe(200);
        expect(html).toContain('Thank you for your feedback');
        const presetName = PRESET_NAMES.find((name) => HELPDESK_PRESETS[name].placeholders.email && HELPDESK_PRESETS[name].placeholders.ticket)!;
        const preset = HELPDESK_PRESETS[presetName];
        const { json } = await api.call('POST', '/snippets', { survey: survey.id, preset: presetName }, 201);
        const url = new URL((json.links[0] as { url: string }).url.replace(preset.placeholders.ticket!, 'TCK-s').replace(preset.placeholders.email!, email.toUpperCase()));
        const hinted = await h.fetch(url.pathname + url.search, { headers: BROWSER_HEADERS });
        expect(hinted.status, await hinted.clone().text()).toBe(200);
        expect((await api.call('GET', path(email), undefined, 200)).json).toMatchObject({ suppressed: true, responses: [] });
        // The same link of a recipient who is not suppressed still records.
        await click(h, (await api.mint(survey.id, 'T-fine', unique('fine'))).links[0]!.url);
      });
    });

    describe('rejects', () => {
      const cases: [string, string, number, string][] = [
        ['not an address', path('not-an-address'), 400, 'VALIDATION_FAILED'],
        ['two @', path('a@b@example.com'), 400, 'VALIDATION_FAILED'],
        ['spaces', path('ann smith@example.com'), 400, 'VALIDATION_FAILED'],
        ['longer than 320 characters', path(`${'a'.repeat(320)}@example.com`), 400, 'VALIDATION_FAILED'],
        ['suppress that is not true or false', path('ann@example.com', '?suppress=yes'), 400, 'VALIDATION_FAILED'],
        ['an unknown query parameter', path('ann@example.com', '?everything=1'), 400, 'VALIDATION_FAILED'],
      ];
      for (const [what, url, status, code] of cases) {
        it(`${what} → ${status} ${code}`, async () => {
          const { json } = await api.call('DELETE', url, undefined, status);
          expect(json.error.code, JSON.stringify(json)).toBe(code);
        });
      }
    });

    describe('security', () => {
      it('a caller without a key gets 401 and nothing is erased', async () => {
        const email = unique('nokey');
        const survey = await api.createSurvey();
        const id = await click(h, (await api.mint(survey.id, 'T-k', email)).links[0]!.url);
        for (const method of ['DELETE', 'GET']) {
          const res = await h.fetch(`/api/v1${path(email)}`, { method });
          expect(res.status, await res.text()).toBe(401);
        }
        await api.call('GET', `/responses/${id}`, undefined, 200);
      });

      it('workspace A cannot erase or read what workspace B stores about the same address', async () => {
        const email = unique('shared');
        const inA = await footprint(api, email);
        const inB = await footprint(other, email);
        const { json } = await api.call('DELETE', path(email), undefined, 200);
        expect(json.responses).toBe(4);
        for (const id of inB.ids) await other.call('GET', `/responses/${id}`, undefined, 200);
        const { json: exportB } = await other.call('GET', path(email), undefined, 200);
        expect(exportB.responses.map((r: { id: string }) => r.id)).toEqual(inB.ids);
        const { json: exportA } = await api.call('GET', path(email), undefined, 200);
        expect(exportA.responses).toEqual([]);
        expect(inA.ids.some((id) => inB.ids.includes(id))).toBe(false);
      });
    });
  });

  describe('GET /api/v1/respondents/{email}', () => {
    describe('happy path', () => {
      it('returns every response of the address with its history, signals, comment and contact', async () => {
        const email = unique('export');
        const { ids, secret } = await footprint(api, email);
        const { json } = await api.call('GET', path(email), undefined, 200);
        expect(json.email).toBe(email);
        expect(json.suppressed).toBe(false);
        expect(json.responses.map((r: { id: string }) => r.id)).toEqual(ids);
        const commented = json.responses.find((r: { comment: string | null }) => r.comment === secret);
        expect(commented.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'commented']);
        expect(commented.events[0].signals.userAgent).toBe(BROWSER_HEADERS['user-agent']);
        const anonymous = json.responses.find((r: { contact: unknown }) => r.contact !== null);
        expect(anonymous.contact).toMatchObject({ email, ticket: null });
        expect(json.responses.filter((r: { recipient: string }) => r.recipient === `hint:${email}`)).toHaveLength(1);
      });
    });

    describe('rejects', () => {
      it('an address that is not one → 400 VALIDATION_FAILED; an unknown one → an empty list', async () => {
        expect((await api.call('GET', path('nobody'), undefined, 400)).json.error.code).toBe('VALIDATION_FAILED');
        expect((await api.call('GET', path(unique('unknown')), undefined, 200)).json).toMatchObject({ suppressed: false, responses: [] });
      });
    });
  });

  describe('POST /t/:id/delete, /t/:id/delete/confirm (the customer deletes their answer)', () => {
    describe('happy path', () => {
      it('offers "Delete my answer"; the first post only asks; the confirmation deletes the response, its history and webhook rows, and the page says so', async () => {
        const id = await answered();
        const step = await askToDelete(id);
        expect(step).toContain('Delete your answer?');
        expect(step).toContain(`action="/t/${id}/delete/confirm"`);
        expect(step).toContain(`href="/t/${id}"`); // the way back
        expect(step).not.toMatch(/<script/);
        await api.call('GET', `/responses/${id}`, undefined, 200); // asking deleted nothing
        const res = await h.fetch(`/t/${id}/delete/confirm`, form({ form_token: formTokenOf(step) }));
        expect(res.status, await res.clone().text()).toBe(303);
        const done = await page(h, res.headers.get('location')!);
        expect(done.res.status, done.html).toBe(200);
        expect(done.html).toContain('Your answer has been deleted');
        await api.call('GET', `/responses/${id}`, undefined, 404);
        expect(await h.query('SELECT id FROM response_events WHERE response_id = ?', [id])).toEqual([]);
        expect(await h.query('SELECT id FROM webhook_events WHERE response_id = ?', [id])).toEqual([]);
        expect((await page(h, `/t/${id}`)).res.status).toBe(404);
      });

      it('speaks the customer\'s language at every step', async () => {
        const expected = { de: ['Meine Antwort löschen', 'Ihre Antwort löschen?', 'Ihre Antwort wurde gelöscht'], fr: ['Supprimer ma réponse', 'Supprimer votre réponse ?', 'Votre réponse a été supprimée'] };
        for (const [locale, [offer, question, deleted]] of Object.entries(expected)) {
          const headers = { ...BROWSER_HEADERS, 'accept-language': locale };
          const id = await answered();
          expect((await page(h, `/t/${id}`, headers)).html).toContain(offer);
          const step = await askToDelete(id, headers);
          expect(step).toContain(question!.replace(/ \?$/, ''));
          const res = await h.fetch(`/t/${id}/delete/confirm`, form({ form_token: formTokenOf(step) }, headers));
          expect((await page(h, res.headers.get('location')!, headers)).html).toContain(deleted);
        }
      });
    });

    describe('rejects', () => {
      it('tokens of another purpose, another response, or forged → 403 and nothing deleted; an unknown response → 404', async () => {
        const id = await answered();
        const otherId = await answered();
        const { html } = await page(h, `/t/${id}`);
        const step = await askToDelete(otherId);
        const cases: [string, string, string, number][] = [
          ['the comment form\'s token at the confirmation', `/t/${id}/delete/confirm`, formTokenOf(html), 403],
          ['another response\'s confirmation token', `/t/${id}/delete/confirm`, formTokenOf(step), 403],
          ['a forged token at the first step', `/t/${id}/delete`, 'k1.9999999999.forged', 403],
          ['no token', `/t/${id}/delete/confirm`, '', 403],
          ['an unknown response', '/t/rsp_000000000000000000000000000000000000/delete/confirm', formTokenOf(step), 404],
        ];
        for (const [what, url, token, status] of cases) {
          const res = await h.fetch(url, form({ form_token: token }));
          expect(res.status, `${what} → ${await res.text()}`).toBe(status);
        }
        await api.call('GET', `/responses/${id}`, undefined, 200);
        await api.call('GET', `/responses/${otherId}`, undefined, 200);
      });
    });

    describe('security', () => {
      it('a robot\'s confirmation (a scanner submitting the forms) deletes nothing; the person can still do it', async () => {
        const id = await answered();
        const robot = { ...BROWSER_HEADERS, 'user-agent': 'curl/8.4.0' };
        const step = await askToDelete(id, robot);
        const res = await h.fetch(`/t/${id}/delete/confirm`, form({ form_token: formTokenOf(step) }, robot));
        const html = await res.text();
        expect(res.status, html).toBe(403);
        expect(html).toContain('nothing was deleted');
        await api.call('GET', `/responses/${id}`, undefined, 200);
        const again = await h.fetch(`/t/${id}/delete/confirm`, form({ form_token: formTokenOf(html) }));
        expect(again.status, await again.clone().text()).toBe(303);
        await api.call('GET', `/responses/${id}`, undefined, 404);
      });
    });
  });

  describe('retention (the Node maintenance timer, the Workers Cron Trigger)', () => {
    it(`clears the request signals of events older than SIGNAL_RETENTION_DAYS, keeping classification and reason`, async () => {
      const r = await start({ SIGNAL_RETENTION_DAYS: '30' });
      try {
        const a = new Api(r, (await r.newWorkspace('Retention')).apiKey);
        const survey = await a.createSurvey();
        const old = await click(r, (await a.mint(survey.id, 'T-old', unique('old'))).links[0]!.url);
        r.advanceClock(20 * DAY_MS);
        const recent = await click(r, (await a.mint(survey.id, 'T-new', unique('new'))).links[0]!.url);
        r.advanceClock(11 * DAY_MS); // old: 31 days; recent: 11
        await r.maintain();
        const [oldEvent] = (await a.response(old)).events;
        expect(oldEvent.signals).toMatchObject({ userAgent: null, acceptLanguage: null, ipPrefix: null, asn: null, asOrganization: null, country: null });
        expect(oldEvent.status).toBeTruthy();
        expect(oldEvent.reason).toBeTruthy();
        const [recentEvent] = (await a.response(recent)).events;
        expect(recentEvent.signals.userAgent).toBe(BROWSER_HEADERS['user-agent']);
        expect((await a.response(old)).score).toBe((await a.response(old)).score);
      } finally {
        await r.close();
      }
    });

    it('deletes whole responses whose last activity is older than RESPONSE_RETENTION_DAYS (off by default), with their history', async () => {
      const off = await start();
      const on = await start({ RESPONSE_RETENTION_DAYS: '60' });
      try {
        for (const [r, kept] of [[off, true], [on, false]] as const) {
          const a = new Api(r, (await r.newWorkspace('Retention')).apiKey);
          const survey = await a.createSurvey();
          const stale = await click(r, (await a.mint(survey.id, 'T-stale', unique('stale'))).links[0]!.url);
          const revived = await click(r, (await a.mint(survey.id, 'T-revived', unique('revived'))).links[0]!.url);
          r.advanceClock(50 * DAY_MS);
          await comment(r, revived, 'still relevant'); // activity: 50 days after its answer
          r.advanceClock(11 * DAY_MS);
          await r.maintain();
          await a.call('GET', `/responses/${stale}`, undefined, kept ? 200 : 404);
          await a.call('GET', `/responses/${revived}`, undefined, 200);
          if (!kept) expect(await r.query('SELECT id FROM response_events WHERE response_id = ?', [stale])).toEqual([]);
        }
      } finally {
        await off.close();
        await on.close();
      }
    });
  });

  describe('the one deletion of responses (erasure, "Delete my answer", retention)', () => {
    /**
     * Triggers on `responses`, as the report aggregates kept by SQLite use: one refuses to delete
     * a response whose events or contact are still there (children go first), one counts the
     * deletions of the workspace in its name (a table the test may read, by its primary key).
     */
    async function watchDeletions(r: Harness, workspaceId: string) {
      await r.query(`CREATE TRIGGER test_children_first_${workspaceId} BEFORE DELETE ON responses
        WHEN old.workspace_id = '${workspaceId}' AND (EXISTS (SELECT 1 FROM response_events WHERE response_id = old.id) OR EXISTS (SELECT 1 FROM response_contacts WHERE response_id = old.id))
        BEGIN SELECT RAISE(ABORT, 'a response deleted before what it owns'); END`);
      await r.query(`CREATE TRIGGER test_count_${workspaceId} AFTER DELETE ON responses WHEN old.workspace_id = '${workspaceId}'
        BEGIN UPDATE workspaces SET name = name || '+' WHERE id = old.workspace_id; END`);
      return async () => String((await r.query('SELECT name FROM workspaces WHERE id = ?', [workspaceId]))[0]!.name).replace(/[^+]/g, '').length;
    }

    describe('happy path', () => {
      it('every path deletes responses with DELETE FROM responses, after the rows they own: triggers on responses see each one', async () => {
        const ws = await h.newWorkspace('Triggers');
        const a = new Api(h, ws.apiKey);
        const deletions = await watchDeletions(h, ws.id);
        const survey = await a.createSurvey();
        const email = unique('trigger');
        await click(h, (await a.mint(survey.id, `T-trg-${++seq}`, email)).links[0]!.url);
        await hintVote(a, survey.id, email, `T-trg-${++seq}`);
        const { json } = await a.call('DELETE', path(email), undefined, 200);
        expect(json.responses).toBe(2);
        expect(await deletions()).toBe(2);
        const own = await click(h, (await a.mint(survey.id, `T-trg-${++seq}`, unique('self'))).links[0]!.url);
        await comment(h, own, 'forget me');
        const step = await askToDelete(own);
        const res = await h.fetch(`/t/${own}/delete/confirm`, form({ form_token: formTokenOf(step) }));
        expect(res.status, await res.text()).toBe(303);
        expect(await deletions()).toBe(3);

        const r = await start({ RESPONSE_RETENTION_DAYS: '60' });
        try {
          const old = await r.newWorkspace('Retention triggers');
          const countOld = await watchDeletions(r, old.id);
          const o = new Api(r, old.apiKey);
          await click(r, (await o.mint((await o.createSurvey()).id, 'T-old', unique('old'))).links[0]!.url);
          r.advanceClock(61 * DAY_MS);
          await r.maintain();
          expect(await countOld()).toBe(1);
        } finally {
          await r.close();
        }
      });
    });
  });
}
