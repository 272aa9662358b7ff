import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, click } from './client';
import type { Harness } from './harness';
import { Inbox } from './receiver';
import { teamAppPeople, type Visitor } from './team-app.contract';

/** The text of the field shown once (an API key, a signing secret). */
function shownOnce(page: { text: string; describe: string }): string {
  const value = /id="shown-once" readonly value="([^"]+)"/.exec(page.text)?.[1];
  expect(value, page.describe).toBeTruthy();
  return value!;
}

/** The page names the field in its error summary and marks the field itself. */
function expectFieldError(page: { status: number; text: string; describe: string }, field: string) {
  expect(page.status, page.describe).toBe(400);
  expect(page.text, page.describe).toContain('class="error-summary"');
  expect(page.text, page.describe).toContain(`<a href="#${field}">`);
}

/**
 * The team app's Webhooks, API keys and Responses pages (issue 14). Each page calls the service
 * the API calls, so what a page does is checked through the API (the same database), and the
 * other way round. Runs on Node and inside workerd.
 */
export function teamAppSettingsContract(start: () => Promise<Harness>) {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  const { ownedWorkspace, join } = teamAppPeople(() => h, () => ++seq);

  /** A workspace with a survey and one vote in it (a negative answer, so webhooks have an event). */
  async function withResponse(owner: { ws: { apiKey: string } }) {
    const api = new Api(h, owner.ws.apiKey);
    const survey = await api.createSurvey({ scale: 'csat3' });
    const subject = `TICKET-${++seq}`;
    const minted = await api.mint(survey.id, subject, `customer${seq}@example.com`);
    const responseId = await click(h, minted.links.find((l) => l.score === 1)!.url);
    await h.settle();
    return { api, survey, subject, responseId };
  }

  /** An endpoint added through the page, pointing at a fresh inbox that checks its signatures. */
  async function addEndpoint(owner: Visitor, events = ['feedback.negative']) {
    const inbox = new Inbox(h.receiverUrl);
    await owner.get('/app/webhooks');
    const form = new URLSearchParams({ form_token: owner.formToken, url: inbox.url, description: 'Help desk' });
    for (const e of events) form.append('events', e);
    const res = await h.fetch('/app/webhooks', {
      method: 'POST',
      headers: { cookie: owner.cookie!, origin: owner.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const text = await res.text();
    const page = { text, describe: `${res.status} ${text.slice(0, 1500)}` };
    expect(res.status, page.describe).toBe(200);
    const secret = shownOnce(page);
    await inbox.configure({ secrets: [secret] });
    const id = /href="\/app\/webhooks\/(wh_[0-9a-z]+)"/.exec(text)?.[1];
    expect(id, page.describe).toBeTruthy();
    return { inbox, secret, id: id! };
  }

  describe('/app/api-keys', () => {
    describe('happy path', () => {
      it('creates a key shown once (it works on the API), lists it by prefix, revokes it after a confirmation', async () => {
        const { owner } = await ownedWorkspace();
        const list = await owner.get('/app/api-keys');
        expect(list.status, list.describe).toBe(200);
        expect(list.text).toContain('default');
        const created = await owner.post('/app/api-keys', { name: 'Help desk' });
        expect(created.status, created.describe).toBe(200);
        const key = shownOnce(created);
        expect(key).toMatch(/^cbk_/);
        const api = await h.fetch('/api/v1/surveys', { headers: { authorization: `Bearer ${key}` } });
        expect(api.status, await api.clone().text()).toBe(200);
        const after = await owner.get('/app/api-keys');
        expect(after.text).toContain('Help desk');
        expect(after.text).toContain(`${key.slice(0, 12)}…`);
        expect(after.text, 'the key itself is never shown again').not.toContain(key);
        const id = (await h.query('SELECT id FROM api_keys WHERE name = ?', ['Help desk']))[0]!.id as string;
        const confirm = await owner.get(`/app/api-keys/${id}/revoke`);
        expect(confirm.status, confirm.describe).toBe(200);
        expect(confirm.text).toContain('Revoke this API key?');
        expect((await h.fetch('/api/v1/surveys', { headers: { authorization: `Bearer ${key}` } })).status, 'the confirmation page changes nothing').toBe(200);
        const revoked = await owner.post(`/app/api-keys/${id}/revoke`, {});
        expect(revoked.status, revoked.describe).toBe(303);
        expect(revoked.location).toBe('/app/api-keys?done=keyRevoked');
        expect((await h.fetch('/api/v1/surveys', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
        expect((await owner.get('/app/api-keys?done=keyRevoked')).text).toContain('The API key has been revoked.');
      });
    });

    describe('rejects', () => {
      it.each([
        ['empty', ''],
        ['blank', '   '],
        ['too long', 'k'.repeat(101)],
        ['a control character', 'a\u0007b'],
      ])('a name that is %s: 400 with the field named, no key created', async (_, name) => {
        const { owner, ws } = await ownedWorkspace();
        await owner.get('/app/api-keys');
        const page = await owner.post('/app/api-keys', { name });
        expectFieldError(page, 'name');
        expect(await h.query('SELECT id FROM api_keys WHERE workspace_id = ?', [ws.id])).toHaveLength(1);
      });
    });

    describe('security', () => {
      it('a member gets 403 on every page and POST; workspace B’s key is 404; a cross-site POST changes nothing', async () => {
        const a = await ownedWorkspace();
        const { person: member } = await join(a.owner, 'member');
        const b = await ownedWorkspace('Beta');
        const keyA = (await h.query('SELECT id FROM api_keys WHERE workspace_id = ?', [a.ws.id]))[0]!.id as string;
        const keyB = (await h.query('SELECT id FROM api_keys WHERE workspace_id = ?', [b.ws.id]))[0]!.id as string;
        for (const [method, path] of [['GET', '/app/api-keys'], ['POST', '/app/api-keys'], ['GET', `/app/api-keys/${keyA}/revoke`], ['POST', `/app/api-keys/${keyA}/revoke`]] as const) {
          const res = method === 'GET' ? await member.get(path) : await member.post(path, { name: 'Mine' });
          expect(res.status, `${method} ${path}: ${res.describe}`).toBe(403);
        }
        for (const [method, path] of [['GET', `/app/api-keys/${keyB}/revoke`], ['POST', `/app/api-keys/${keyB}/revoke`], ['POST', '/app/api-keys/key_nope/revoke']] as const) {
          const res = method === 'GET' ? await a.owner.get(path) : await a.owner.post(path, {});
          expect(res.status, `${method} ${path}: ${res.describe}`).toBe(404);
        }
        const crossSite = await a.owner.post('/app/api-keys', { name: 'Evil' }, { headers: { origin: 'https://evil.example' } });
        expect(crossSite.status, crossSite.describe).toBe(403);
        const keys = await h.query('SELECT name, revoked_at FROM api_keys WHERE workspace_id IN (?, ?) ORDER BY name', [a.ws.id, b.ws.id]);
        expect(keys).toEqual([{ name: 'default', revoked_at: null }, { name: 'default', revoked_at: null }]);
      });
    });
  });

  describe('/app/webhooks', () => {
    describe('happy path', () => {
      it('adds an endpoint (secret shown once), pings it, edits, pauses and resumes, rotates the secret, deletes it after a confirmation', async () => {
        const { owner, ws } = await ownedWorkspace();
        const api = new Api(h, ws.apiKey);
        const { inbox, secret, id } = await addEndpoint(owner, ['feedback.negative', 'feedback.commented']);
        expect(secret).toMatch(/^whsec_/);
        const [listed] = (await api.call('GET', '/webhooks', undefined, 200)).json.data;
        expect(listed).toMatchObject({ id, url: inbox.url, description: 'Help desk', events: ['feedback.negative', 'feedback.commented'], status: 'active' });
        const list = await owner.get('/app/webhooks');
        expect(list.text).toContain(inbox.url);
        expect(list.text, 'the secret is shown once').not.toContain(secret);

        const ping = await owner.post(`/app/webhooks/${id}/ping`, {});
        expect(ping.status, ping.describe).toBe(303);
        expect(ping.location).toBe(`/app/webhooks/${id}?done=pingSent`);
        await inbox.waitFor(1);
        const detail = await owner.get(ping.location!);
        expect(detail.text).toContain('The ping has been sent');
        expect(detail.text).toMatch(/<code>webhook\.ping<\/code>[\s\S]*<span class="tag">Succeeded<\/span><\/td><td>1<\/td><td>20\d /);

        const saved = await owner.post(`/app/webhooks/${id}`, { url: inbox.url, events: 'feedback.created', description: '' });
        expect(saved.status, saved.describe).toBe(303);
        expect((await api.call('GET', `/webhooks/${id}`, undefined, 200)).json).toMatchObject({ events: ['feedback.created'], description: null });

        const paused = await owner.post(`/app/webhooks/${id}/status`, { status: 'paused' });
        expect(paused.location).toBe(`/app/webhooks/${id}?done=endpointPaused`);
        expect((await api.call('GET', `/webhooks/${id}`, undefined, 200)).json).toMatchObject({ status: 'paused', pausedReason: 'manual' });
        const pausedPage = await owner.get(`/app/webhooks/${id}`);
        expect(pausedPage.text).toContain('>Resume<');
        expect(pausedPage.text, 'a paused endpoint offers no ping').not.toContain(`/app/webhooks/${id}/ping`);
        await owner.post(`/app/webhooks/${id}/status`, { status: 'active' });
        expect((await api.call('GET', `/webhooks/${id}`, undefined, 200)).json.status).toBe('active');

        const rotated = await owner.post(`/app/webhooks/${id}/rotate`, {});
        expect(rotated.status, rotated.describe).toBe(200);
        const newSecret = shownOnce(rotated);
        expect(newSecret).toMatch(/^whsec_/);
        expect(newSecret).not.toBe(secret);
        expect((await api.call('GET', `/webhooks/${id}`, undefined, 200)).json.previousSecretExpiresAt).not.toBeNull();

        const confirm = await owner.get(`/app/webhooks/${id}/delete`);
        expect(confirm.status, confirm.describe).toBe(200);
        expect(confirm.text).toContain('Delete this endpoint?');
        const deleted = await owner.post(`/app/webhooks/${id}/delete`, {});
        expect(deleted.location).toBe('/app/webhooks?done=endpointDeleted');
        expect((await api.call('GET', '/webhooks', undefined, 200)).json.data).toEqual([]);
        expect((await owner.get(`/app/webhooks/${id}`)).status).toBe(404);
      });

      it('lists an endpoint’s deliveries with status, attempts, last result and next attempt; retries a failed one; replays an event', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { id, inbox } = await addEndpoint(owner);
        await inbox.configure({ secrets: [(await h.query('SELECT secret FROM webhook_endpoints WHERE id = ?', [id]))[0]!.secret as string], otherwise: { status: 500 } });
        await withResponse({ ws });
        const [delivery] = (await new Api(h, ws.apiKey).call('GET', `/webhooks/${id}/deliveries`, undefined, 200)).json.data;
        expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
        const page = await owner.get(`/app/webhooks/${id}`);
        expect(page.text).toMatch(/<code>feedback\.negative<\/code>[\s\S]*<span class="tag">Pending<\/span><\/td><td>1<\/td><td>500/);
        expect(page.text).toContain(`/app/webhooks/${id}/deliveries/${delivery.id}/retry`);
        const filtered = await owner.get(`/app/webhooks/${id}?status=succeeded`);
        expect(filtered.text).toContain('No deliveries.');

        await inbox.configure({ secrets: [(await h.query('SELECT secret FROM webhook_endpoints WHERE id = ?', [id]))[0]!.secret as string] });
        const retried = await owner.post(`/app/webhooks/${id}/deliveries/${delivery.id}/retry`, {});
        expect(retried.location).toBe(`/app/webhooks/${id}?done=retried`);
        await h.dispatch();
        const after = (await new Api(h, ws.apiKey).call('GET', `/webhooks/${id}/deliveries/${delivery.id}`, undefined, 200)).json;
        expect(after).toMatchObject({ status: 'succeeded', attempts: 2 });
        const again = await owner.post(`/app/webhooks/${id}/deliveries/${delivery.id}/retry`, {});
        expect(again.location, 'a delivery that succeeded is replayed, not retried').toBe(`/app/webhooks/${id}?done=cannotRetry`);

        const replayed = await owner.post(`/app/webhooks/${id}/replay`, { event: delivery.event.id });
        expect(replayed.location, replayed.describe).toBe(`/app/webhooks/${id}?done=replayed`);
        await h.settle();
        await h.dispatch();
        const receipts = await inbox.waitFor(2);
        expect(new Set(receipts.map((r) => r.webhookId)).size, 'a replay is a new message').toBe(2);
      });
    });

    describe('rejects', () => {
      it.each([
        ['no URL', { url: '' }, 'url'],
        ['a URL that is not http(s)', { url: 'ftp://hooks.example.com/x' }, 'url'],
        ['no event ticked', { events: [] as string[] }, 'events-feedback.negative'],
        ['a description over 500 characters', { description: 'd'.repeat(501) }, 'description'],
      ])('%s: 400 with the field named, nothing added', async (_, change, field) => {
        const { owner, ws } = await ownedWorkspace();
        await owner.get('/app/webhooks');
        const values = { url: 'https://hooks.example.com/clickback', events: ['feedback.negative'], description: '', ...change };
        const form = new URLSearchParams({ form_token: owner.formToken, url: values.url, description: values.description });
        for (const e of values.events) form.append('events', e);
        const res = await h.fetch('/app/webhooks', { method: 'POST', headers: { cookie: owner.cookie!, origin: owner.origin, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
        const text = await res.text();
        expectFieldError({ status: res.status, text, describe: `${res.status} ${text.slice(0, 1500)}` }, field);
        expect(await h.query('SELECT id FROM webhook_endpoints WHERE workspace_id = ?', [ws.id])).toEqual([]);
      });

      it('replaying an event that is not this workspace’s: 400 with the field named', async () => {
        const { owner } = await ownedWorkspace();
        const { id } = await addEndpoint(owner);
        await owner.get(`/app/webhooks/${id}`);
        expectFieldError(await owner.post(`/app/webhooks/${id}/replay`, { event: 'whe_nope' }), 'event');
      });
    });

    describe('security', () => {
      it('a member gets 403 on every page and POST; workspace B’s endpoint is 404; a cross-site POST changes nothing', async () => {
        const a = await ownedWorkspace();
        const { person: member } = await join(a.owner, 'member');
        const { id } = await addEndpoint(a.owner);
        const b = await ownedWorkspace('Beta');
        const { id: idB } = await addEndpoint(b.owner);
        const member403 = [
          ['GET', '/app/webhooks'],
          ['POST', '/app/webhooks'],
          ['GET', `/app/webhooks/${id}`],
          ['POST', `/app/webhooks/${id}`],
          ['POST', `/app/webhooks/${id}/status`],
          ['POST', `/app/webhooks/${id}/rotate`],
          ['POST', `/app/webhooks/${id}/ping`],
          ['POST', `/app/webhooks/${id}/replay`],
          ['GET', `/app/webhooks/${id}/delete`],
          ['POST', `/app/webhooks/${id}/delete`],
        ] as const;
        for (const [method, path] of member403) {
          const res = method === 'GET' ? await member.get(path) : await member.post(path, { url: 'https://x.example.com', status: 'paused', event: 'whe_x' });
          expect(res.status, `${method} ${path}: ${res.describe}`).toBe(403);
        }
        for (const [method, path] of [['GET', `/app/webhooks/${idB}`], ['GET', `/app/webhooks/${idB}/delete`], ['POST', `/app/webhooks/${idB}/rotate`], ['POST', `/app/webhooks/${idB}/delete`], ['POST', `/app/webhooks/${idB}/status`], ['POST', `/app/webhooks/${idB}/ping`]] as const) {
          const res = method === 'GET' ? await a.owner.get(path) : await a.owner.post(path, { status: 'paused' });
          expect(res.status, `${method} ${path}: ${res.describe}`).toBe(404);
        }
        const crossSite = await a.owner.post(`/app/webhooks/${id}/delete`, {}, { headers: { origin: 'https://evil.example' } });
        expect(crossSite.status, crossSite.describe).toBe(403);
        expect(await h.query('SELECT status FROM webhook_endpoints WHERE id IN (?, ?)', [id, idB])).toEqual([{ status: 'active' }, { status: 'active' }]);
      });
    });
  });

  describe('/app/responses', () => {
    describe('happy path', () => {
      it('every role lists responses with the API’s filters and opens one with its clicks, signals and reasons', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { person: member } = await join(owner, 'member');
        const { subject, responseId, survey } = await withResponse({ ws });
        const list = await member.get('/app/responses?status=all');
        expect(list.status, list.describe).toBe(200);
        expect(list.text).toContain(`href="/app/responses/${responseId}"`);
        expect(list.text).toContain(subject);
        expect((await member.get(`/app/responses?status=all&subject=${subject}`)).text).toContain(responseId);
        expect((await member.get(`/app/responses?status=all&survey=${survey.id}&since=2000-01-01`)).text).toContain(responseId);
        expect((await member.get('/app/responses?status=all&subject=OTHER')).text).toContain('No responses match.');
        expect((await member.get('/app/responses?status=bot')).text).toContain('No responses match.');
        const detail = await member.get(`/app/responses/${responseId}`);
        expect(detail.status, detail.describe).toBe(200);
        expect(detail.text).toContain('Clicks and signals');
        expect(detail.text).toContain('user-agent');
        expect(detail.text, 'a member sees no override').not.toContain('/override');
        const asOwner = await owner.get(`/app/responses/${responseId}`);
        expect(asOwner.text).toContain(`/app/responses/${responseId}/override?status=bot`);
      });

      it('pages with the API’s cursor', async () => {
        const { owner, ws } = await ownedWorkspace();
        const api = new Api(h, ws.apiKey);
        const survey = await api.createSurvey({ scale: 'csat3' });
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push(await click(h, (await api.mint(survey.id, `PAGE-${i}`, `p${i}@example.com`)).links[0]!.url));
        await h.settle();
        const { next } = await api.responses('?status=all&limit=2');
        expect(next).toBeTruthy();
        const second = await owner.get(`/app/responses?status=all&cursor=${encodeURIComponent(next!)}`);
        expect(second.status, second.describe).toBe(200);
        expect(second.text).toContain(ids[0]);
        expect(second.text).not.toContain(ids[2]);
      });

      it('an admin marks a response as a robot’s after a confirmation; the API shows it', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { person: admin } = await join(owner, 'admin');
        const { api, responseId } = await withResponse({ ws });
        const confirm = await admin.get(`/app/responses/${responseId}/override?status=bot`);
        expect(confirm.status, confirm.describe).toBe(200);
        expect(confirm.text).toContain('Mark this response as robot?');
        const done = await admin.post(`/app/responses/${responseId}/override`, { status: 'bot' });
        expect(done.status, done.describe).toBe(303);
        expect(done.location).toBe(`/app/responses/${responseId}?done=overridden`);
        expect((await api.response(responseId)).status).toBe('bot');
        await admin.post(`/app/responses/${responseId}/override`, { status: 'counted' });
        expect((await api.response(responseId)).status).toBe('counted');
      });
    });

    describe('rejects', () => {
      it.each([
        ['a date that is not one', 'since=yesterday', 'since'],
        ['an unknown status', 'status=nope', 'status'],
        ['a cursor that is not ours', 'cursor=garbage', 'survey'],
      ])('%s: 400 with the field named', async (_, query, field) => {
        const { owner } = await ownedWorkspace();
        expectFieldError(await owner.get(`/app/responses?${query}`), field);
      });
    });

    describe('security', () => {
      it('a member gets 403 on the override; workspace B’s response is 404; a cross-site POST changes nothing', async () => {
        const a = await ownedWorkspace();
        const { person: member } = await join(a.owner, 'member');
        const { api, responseId } = await withResponse(a);
        const b = await ownedWorkspace('Beta');
        const { responseId: responseB } = await withResponse(b);
        expect((await member.get(`/app/responses/${responseId}/override?status=bot`)).status).toBe(403);
        expect((await member.post(`/app/responses/${responseId}/override`, { status: 'bot' })).status).toBe(403);
        for (const path of [`/app/responses/${responseB}`, `/app/responses/${responseB}/override?status=bot`, '/app/responses/rsp_nope']) {
          const res = await a.owner.get(path);
          expect(res.status, `${path}: ${res.describe}`).toBe(404);
        }
        await a.owner.get('/app/responses');
        expect((await a.owner.post(`/app/responses/${responseB}/override`, { status: 'bot' })).status).toBe(404);
        const crossSite = await a.owner.post(`/app/responses/${responseId}/override`, { status: 'bot' }, { headers: { origin: 'https://evil.example' } });
        expect(crossSite.status, crossSite.describe).toBe(403);
        expect((await api.response(responseId)).status).not.toBe('bot');
      });
    });
  });

  describe('/app/responses/:id/erase', () => {
    /** The API's view of an address: its responses and whether it is suppressed. */
    async function respondent(api: Api, email: string) {
      return (await api.call('GET', `/respondents/${encodeURIComponent(email)}`, undefined, 200)).json as { responses: unknown[]; suppressed: boolean };
    }

    describe('happy path', () => {
      it('an admin erases an address after a confirmation, with "never survey again": the page counts what went per kind, the API finds nothing, new links are refused', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { person: admin } = await join(owner, 'admin');
        const { api, survey, responseId } = await withResponse({ ws });
        const email = `customer${seq}@example.com`;
        // A second message to the same address: the erasure is the address's, not the response's.
        await click(h, (await api.mint(survey.id, `OTHER-${seq}`, email)).links[0]!.url);
        await h.settle();
        const detail = await admin.get(`/app/responses/${responseId}`);
        expect(detail.text, detail.describe).toContain(`href="/app/responses/${responseId}/erase"`);
        const confirm = await admin.get(`/app/responses/${responseId}/erase`);
        expect(confirm.status, confirm.describe).toBe(200);
        expect(confirm.text).toContain('Erase this customer’s data?');
        expect(confirm.text).toContain(email);
        expect(confirm.text).toContain('name="suppress"');
        expect((await respondent(api, email)).responses, 'the confirmation page erases nothing').toHaveLength(2);

        const done = await admin.post(`/app/responses/${responseId}/erase`, { suppress: '1' });
        expect(done.status, done.describe).toBe(200);
        expect(done.text).toContain('The customer’s data has been erased');
        expect(done.text).toContain('<th scope="row">Responses</th><td>2</td>');
        expect(done.text).toContain('<th scope="row">Clicks, comments and decisions (with their signals)</th><td>2</td>');
        expect(done.text).toContain('The address will not be surveyed again.');
        expect(await respondent(api, email)).toMatchObject({ responses: [], suppressed: true });
        const refused = await api.call('POST', '/links', { survey: survey.id, subject: 'AGAIN', recipient: email }, 409);
        expect(refused.json.error.code).toBe('RECIPIENT_SUPPRESSED');
        const gone = await admin.get(`/app/responses/${responseId}`);
        expect(gone.status, gone.describe).toBe(404);
      });

      it('without the box the address is not suppressed; a customer id erases every response given to it, and offers no suppression', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { api, responseId } = await withResponse({ ws });
        const email = `customer${seq}@example.com`;
        const done = await owner.post(`/app/responses/${responseId}/erase`, {});
        expect(done.status, done.describe).toBe(200);
        expect(done.text).toContain('<th scope="row">Responses</th><td>1</td>');
        expect(done.text).not.toContain('will not be surveyed again');
        expect(await respondent(api, email)).toMatchObject({ responses: [], suppressed: false });

        const survey = await api.createSurvey({ scale: 'thumbs' });
        const customer = `cust-${seq}`;
        const ids = [];
        for (const subject of ['A', 'B']) ids.push(await click(h, (await api.mint(survey.id, subject, customer)).links[0]!.url));
        const kept = await click(h, (await api.mint(survey.id, 'C', `cust-other-${seq}`)).links[0]!.url);
        const confirm = await owner.get(`/app/responses/${ids[0]}/erase`);
        expect(confirm.text, confirm.describe).toContain(`the customer ${customer}`);
        expect(confirm.text).not.toContain('name="suppress"');
        const erased = await owner.post(`/app/responses/${ids[0]}/erase`, { suppress: '1' });
        expect(erased.text, erased.describe).toContain('<th scope="row">Responses</th><td>2</td>');
        expect(erased.text).not.toContain('will not be surveyed again');
        for (const id of ids) await api.call('GET', `/responses/${id}`, undefined, 404);
        expect((await api.response(kept)).id).toBe(kept);
      });
    });

    describe('security', () => {
      it('a member gets 403 and sees no erase link; workspace B’s response is 404; a cross-site POST erases nothing', async () => {
        const a = await ownedWorkspace();
        const { person: member } = await join(a.owner, 'member');
        const { api, responseId } = await withResponse(a);
        const b = await ownedWorkspace('Beta');
        const { api: apiB, responseId: responseB } = await withResponse(b);
        expect((await member.get(`/app/responses/${responseId}`)).text).not.toContain('/erase');
        const memberGet = await member.get(`/app/responses/${responseId}/erase`);
        expect(memberGet.status, memberGet.describe).toBe(403);
        const memberPost = await member.post(`/app/responses/${responseId}/erase`, { suppress: '1' });
        expect(memberPost.status, memberPost.describe).toBe(403);
        for (const path of [`/app/responses/${responseB}/erase`, '/app/responses/rsp_nope/erase']) {
          const res = await a.owner.get(path);
          expect(res.status, `${path}: ${res.describe}`).toBe(404);
        }
        await a.owner.get('/app/responses');
        const other = await a.owner.post(`/app/responses/${responseB}/erase`, { suppress: '1' });
        expect(other.status, other.describe).toBe(404);
        expect((await apiB.response(responseB)).id).toBe(responseB);
        const crossSite = await a.owner.post(`/app/responses/${responseId}/erase`, { suppress: '1' }, { headers: { origin: 'https://evil.example' } });
        expect(crossSite.status, crossSite.describe).toBe(403);
        const noToken = await a.owner.post(`/app/responses/${responseId}/erase`, { suppress: '1' }, { withToken: false });
        expect(noToken.status, noToken.describe).toBe(403);
        expect((await api.response(responseId)).id, 'nothing was erased').toBe(responseId);
      });
    });
  });
}
