import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './harness';

export const ORIGIN = 'https://feedback.example.com';
export const PASSWORD = 'correct horse battery';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const DAY = 24 * 3600_000;

/** What a browser holds for the team app: its session cookie, and the form token of the last page it saw. */
export class Visitor {
  cookie: string | null = null;
  formToken = '';
  constructor(
    readonly h: Harness,
    readonly origin = ORIGIN,
  ) {}

  async request(path: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string>; withToken?: boolean } = {}) {
    const headers: Record<string, string> = { 'user-agent': UA, 'accept-language': 'en', ...(this.cookie ? { cookie: this.cookie } : {}) };
    let body: string | undefined;
    if (init.form) {
      const fields = { ...(init.withToken === false ? {} : { form_token: this.formToken }), ...init.form };
      body = new URLSearchParams(fields).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = this.origin;
    }
    // An empty header in `init.headers` means: send none at all (a request without Origin).
    const sent = Object.fromEntries(Object.entries({ ...headers, ...init.headers }).filter(([, v]) => v !== ''));
    const res = await this.h.fetch(path, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers: sent, body });
    const text = await res.text();
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      this.cookie = /Max-Age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '' ? null : pair;
    }
    const token = /name="form_token" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.formToken = token;
    return { res, text, status: res.status, location: res.headers.get('location'), describe: `${res.status} ${text.slice(0, 1500)}` };
  }

  get(path: string) {
    return this.request(path);
  }

  post(path: string, form: Record<string, string>, options: { headers?: Record<string, string>; withToken?: boolean } = {}) {
    return this.request(path, { form, ...options });
  }

  /** The token part of the cookie. */
  get token(): string | null {
    return this.cookie ? this.cookie.slice(this.cookie.indexOf('=') + 1) : null;
  }
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

/**
 * The people of a team-app test: a workspace with its signed-in owner, and someone who joins it
 * through an invitation (shared by the team app's contract suites). `next` numbers names and emails.
 */
export function teamAppPeople(h: () => Harness, next: () => number) {
  const email = (who: string) => `${who}-${next()}@example.com`;

  /** A new workspace whose owner has set up their account and is signed in. */
  async function ownedWorkspace(name = 'Acme') {
    const ws = await h().newWorkspace(`${name} ${next()}`);
    const owner = new Visitor(h());
    const address = email('owner');
    const path = pathOf(await h().setupLink(ws.id));
    const done = await owner.post(path, { name: 'Olivia Owner', email: address, password: PASSWORD }, { withToken: false });
    expect(done.status, done.describe).toBe(303);
    await owner.get('/app');
    return { ws, owner, email: address };
  }

  /** Invites `email` with `role` through the Members page and accepts it in a new browser. */
  async function join(inviter: Visitor, role: 'owner' | 'admin' | 'member', name = 'Mo Member') {
    const address = email(role);
    await inviter.get('/app/members');
    const shown = await inviter.post('/app/members/invite', { email: address, role });
    expect(shown.status, shown.describe).toBe(200);
    const url = /id="invite-url" readonly value="([^"]+)"/.exec(shown.text)?.[1];
    expect(url, shown.describe).toMatch(/\/app\/invite\/[A-Za-z0-9_-]{43}$/);
    const person = new Visitor(h());
    const accepted = await person.post(pathOf(url!.replace(/&amp;/g, '&')), { name, password: PASSWORD }, { withToken: false });
    expect(accepted.status, accepted.describe).toBe(303);
    await person.get('/app');
    const id = (await h().query('SELECT id FROM people WHERE email = ?', [address]))[0]!.id as string;
    return { person, email: address, id };
  }

  return { email, ownedWorkspace, join };
}

/**
 * The team app (issue 14, first part): setup and invite links, sign-in with throttling, sessions,
 * cross-site protection, roles and workspace isolation. The same suite runs on Node (real HTTP,
 * libSQL file) and inside workerd (the Workers entry, libSQL over HTTP); passwords are hashed with
 * the real scrypt of each runtime.
 */
export function teamAppContract(start: (env?: Record<string, string>) => Promise<Harness>) {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  const { email, ownedWorkspace, join } = teamAppPeople(() => h, () => ++seq);

  describe('/app/setup/:token', () => {
    describe('happy path', () => {
      it('asks for name, email and password, signs the owner in and lands on the workspace home', async () => {
        const ws = await h.newWorkspace('Setup Co');
        const path = pathOf(await h.setupLink(ws.id));
        const visitor = new Visitor(h);
        const form = await visitor.get(path);
        expect(form.status, form.describe).toBe(200);
        for (const name of ['name', 'email', 'password']) expect(form.text).toContain(`name="${name}"`);
        expect(form.text).toContain('Setup Co');
        const done = await visitor.post(path, { name: 'Olivia', email: 'Olivia.Setup@Example.com', password: PASSWORD }, { withToken: false });
        expect(done.status, done.describe).toBe(303);
        expect(done.location).toBe('/app');
        const home = await visitor.get('/app');
        expect(home.status, home.describe).toBe(200);
        expect(home.text).toContain('Setup Co');
        expect(home.text).toContain('What to do next');
        expect(home.text).toContain('href="/app/members"');
        const [person] = await h.query("SELECT p.email, m.role FROM people p JOIN memberships m ON m.person_id = p.id WHERE m.workspace_id = ?", [ws.id]);
        expect(person).toEqual({ email: 'olivia.setup@example.com', role: 'owner' });
      });

      it('the home counts what the workspace has, read from the database', async () => {
        const { owner, ws } = await ownedWorkspace();
        const survey = await h.fetch('/api/v1/surveys', { method: 'POST', headers: { authorization: `Bearer ${ws.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'CSAT', scale: 'csat5', question: 'How did we do?' }) });
        expect(survey.status, await survey.clone().text()).toBe(201);
        const home = await owner.get('/app');
        expect(home.text).toMatch(/<strong>Create a survey<\/strong> <span class="tag">Done<\/span>/);
        expect(home.text).toMatch(/<strong>Add a webhook, so unhappy answers reach your help desk<\/strong> <span class="tag">To do<\/span>/);
      });
    });

    describe('rejects', () => {
      it.each([
        { case: 'a short password', form: { name: 'A', email: 'a@example.com', password: 'short' }, field: 'password', message: 'at least 10 characters' },
        { case: 'an email without @', form: { name: 'A', email: 'nope', password: PASSWORD }, field: 'email', message: 'correct format' },
        { case: 'an empty name', form: { name: '  ', email: 'a@example.com', password: PASSWORD }, field: 'name', message: 'Enter your name' },
      ])('$case: 400, the error summary names the field, and the link still works', async ({ form, field, message }) => {
        const ws = await h.newWorkspace('Rejects');
        const path = pathOf(await h.setupLink(ws.id));
        const visitor = new Visitor(h);
        const res = await visitor.post(path, form, { withToken: false });
        expect(res.status, res.describe).toBe(400);
        expect(res.text).toContain('There is a problem');
        expect(res.text).toContain(`href="#${field}"`);
        expect(res.text).toContain(message);
        expect(res.text).toContain(`aria-invalid="true"`);
        expect(visitor.cookie).toBeNull();
        expect((await visitor.get(path)).status).toBe(200);
      });
    });

    describe('security', () => {
      it('works once', async () => {
        const ws = await h.newWorkspace('Once');
        const path = pathOf(await h.setupLink(ws.id));
        expect((await new Visitor(h).post(path, { name: 'A', email: email('once'), password: PASSWORD }, { withToken: false })).status).toBe(303);
        const again = new Visitor(h);
        const second = await again.post(path, { name: 'B', email: email('twice'), password: PASSWORD }, { withToken: false });
        expect(second.status, second.describe).toBe(410);
        expect(second.text).toContain('already been used');
        expect(again.cookie).toBeNull();
        expect((await h.query('SELECT count(*) AS n FROM memberships WHERE workspace_id = ?', [ws.id]))[0]!.n).toBe(1);
      });

      it('expires after 24 hours', async () => {
        const ws = await h.newWorkspace('Expires');
        const path = pathOf(await h.setupLink(ws.id));
        h.advanceClock(DAY + 1000);
        try {
          const res = await new Visitor(h).post(path, { name: 'A', email: email('late'), password: PASSWORD }, { withToken: false });
          expect(res.status, res.describe).toBe(410);
          expect(res.text).toContain('expired');
        } finally {
          h.advanceClock(-(DAY + 1000));
        }
      });

      it('an unknown or malformed token is 404', async () => {
        for (const token of ['x'.repeat(43), 'short', '%3Cscript%3E']) {
          const res = await new Visitor(h).get(`/app/setup/${token}`);
          expect(res.status, res.describe).toBe(404);
        }
      });
    });
  });

  describe('/app/invite/:token', () => {
    describe('happy path', () => {
      it('an admin invites from Members; the link is shown to copy; the member joins with name and password', async () => {
        const { owner, ws } = await ownedWorkspace();
        const { person } = await join(owner, 'member', 'Marco Membro');
        const home = await person.get('/app');
        expect(home.status, home.describe).toBe(200);
        const [{ name: workspaceName }] = (await h.query('SELECT name FROM workspaces WHERE id = ?', [ws.id])) as [{ name: string }];
        expect(home.text).toContain(`<h1>${workspaceName}</h1>`);
        // A member sees no settings: no Members link.
        expect(home.text).not.toContain('href="/app/members"');
        const members = await owner.get('/app/members');
        expect(members.text).toContain('Marco Membro');
      });

      it('the CLI-style invite link works for 7 days', async () => {
        const { ws } = await ownedWorkspace();
        const path = pathOf(await h.inviteLink(ws.id, email('week'), 'admin'));
        h.advanceClock(7 * DAY - 60_000);
        try {
          const form = await new Visitor(h).get(path);
          expect(form.status, form.describe).toBe(200);
          expect(form.text).toContain('name="name"');
          expect(form.text).toContain('name="password"');
          expect(form.text).toContain('as Admin');
          const joined = await new Visitor(h).post(path, { name: 'Ada', password: PASSWORD }, { withToken: false });
          expect(joined.status, joined.describe).toBe(303);
        } finally {
          h.advanceClock(-(7 * DAY - 60_000));
        }
      });

      it('someone with an account joins a second workspace with their password and can switch', async () => {
        const a = await ownedWorkspace('Alpha');
        const b = await ownedWorkspace('Beta');
        const path = pathOf(await h.inviteLink(b.ws.id, a.email, 'member'));
        const form = await new Visitor(h).get(path);
        expect(form.text).toContain('already has an account');
        expect(form.text).not.toContain('name="name"');
        const visitor = new Visitor(h);
        const wrong = await visitor.post(path, { password: 'not the password' }, { withToken: false });
        expect(wrong.status, wrong.describe).toBe(400);
        const joined = await visitor.post(path, { password: PASSWORD }, { withToken: false });
        expect(joined.status, joined.describe).toBe(303);
        const home = await visitor.get('/app');
        expect(home.text).toContain('name="workspace"');
        expect(home.text).toContain('Alpha');
        const switched = await visitor.post('/app/workspace', { workspace: a.ws.id });
        expect(switched.status, switched.describe).toBe(303);
        const now = await visitor.get('/app');
        expect(now.text).toMatch(/<h1>Alpha \d+<\/h1>/);
      });
    });

    describe('security', () => {
      it('works once and not after 7 days', async () => {
        const { ws } = await ownedWorkspace();
        const once = pathOf(await h.inviteLink(ws.id, email('once'), 'member'));
        expect((await new Visitor(h).post(once, { name: 'A', password: PASSWORD }, { withToken: false })).status).toBe(303);
        expect((await new Visitor(h).post(once, { name: 'B', password: PASSWORD }, { withToken: false })).status).toBe(410);
        const late = pathOf(await h.inviteLink(ws.id, email('late'), 'member'));
        h.advanceClock(7 * DAY + 1000);
        try {
          const res = await new Visitor(h).post(late, { name: 'C', password: PASSWORD }, { withToken: false });
          expect(res.status, res.describe).toBe(410);
        } finally {
          h.advanceClock(-(7 * DAY + 1000));
        }
      });

      it('a setup token is not an invite token (and the other way round)', async () => {
        const ws = await h.newWorkspace('Kinds');
        const token = pathOf(await h.setupLink(ws.id)).split('/').pop();
        expect((await new Visitor(h).get(`/app/invite/${token}`)).status).toBe(404);
      });
    });
  });

  describe('/app/login', () => {
    describe('happy path', () => {
      it('signs in with email and password; POST /app/logout ends the session server-side', async () => {
        const { email: address } = await ownedWorkspace();
        const visitor = new Visitor(h);
        const form = await visitor.get('/app/login');
        expect(form.text).toContain('name="email"');
        expect(form.text).toContain('name="password"');
        const done = await visitor.post('/app/login', { email: address.toUpperCase(), password: PASSWORD }, { withToken: false });
        expect(done.status, done.describe).toBe(303);
        const token = visitor.cookie!;
        expect((await visitor.get('/app')).status).toBe(200);
        const out = await visitor.post('/app/logout', {});
        expect(out.status, out.describe).toBe(303);
        expect(out.location).toBe('/app/login?signed-out=1');
        // The old cookie, replayed, opens nothing.
        const replay = new Visitor(h);
        replay.cookie = token;
        const res = await replay.get('/app');
        expect(res.status, res.describe).toBe(302);
        expect(res.location).toBe('/app/login');
      });

      it('answers in Italian for an Italian browser, and in the person’s own language once set', async () => {
        const res = await new Visitor(h).request('/app/login', { headers: { 'accept-language': 'it-IT,it;q=0.9,en;q=0.5' } });
        expect(res.text).toContain('<html lang="it"');
        expect(res.text).toContain('Accedi');
        const { owner } = await ownedWorkspace();
        await owner.get('/app/account');
        expect((await owner.post('/app/account', { name: 'Olivia', locale: 'it' })).status).toBe(303);
        const page = await owner.get('/app/account');
        expect(page.text).toContain('<html lang="it"');
        expect(page.text).toContain('Cambia password');
      });
    });

    describe('rejects', () => {
      it('the same answer for an unknown email and a wrong password', async () => {
        const { email: address } = await ownedWorkspace();
        const unknown = await new Visitor(h).post('/app/login', { email: 'nobody-here@example.com', password: PASSWORD }, { withToken: false });
        const wrong = await new Visitor(h).post('/app/login', { email: address, password: 'wrong password!' }, { withToken: false });
        expect(unknown.status, unknown.describe).toBe(401);
        expect(wrong.status, wrong.describe).toBe(401);
        const message = (text: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(text)?.[0];
        expect(message(unknown.text)).toBe(message(wrong.text));
        expect(message(unknown.text)).toContain('The email address or password is not correct');
      });
    });

    describe('security', () => {
      it('after 5 failures in 15 minutes: 429 even with the right password, until the window passes', async () => {
        const { email: address } = await ownedWorkspace();
        for (let i = 0; i < 5; i++) {
          const res = await new Visitor(h).post('/app/login', { email: address, password: `wrong password ${i}` }, { withToken: false });
          expect(res.status, res.describe).toBe(401);
        }
        const refused = new Visitor(h);
        const blocked = await refused.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
        expect(blocked.status, blocked.describe).toBe(429);
        expect(blocked.text).toContain('Too many attempts');
        expect(refused.cookie).toBeNull();
        h.advanceClock(15 * 60_000 + 1000);
        try {
          const ok = await new Visitor(h).post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
          expect(ok.status, ok.describe).toBe(303);
        } finally {
          h.advanceClock(-(15 * 60_000 + 1000));
        }
      });

      it('session fixation: a cookie set before sign-in is not kept after it', async () => {
        const { email: address } = await ownedWorkspace();
        const attacker = new Visitor(h);
        await attacker.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
        const planted = attacker.cookie!;
        expect(planted).toBeTruthy();
        // The victim's browser carries the planted cookie and signs in.
        const victim = new Visitor(h);
        victim.cookie = planted;
        const done = await victim.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
        expect(done.status, done.describe).toBe(303);
        expect(victim.cookie).not.toBe(planted);
        // The planted session is gone server-side.
        const res = await attacker.get('/app');
        expect(res.status, res.describe).toBe(302);
        // A made-up token is never adopted either.
        const made = new Visitor(h);
        made.cookie = `__Host-cb_session=${'A'.repeat(43)}`;
        await made.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
        expect(made.token).not.toBe('A'.repeat(43));
      });

      it('the cookie on https: __Host- name, Secure, HttpOnly, SameSite=Lax; only a hash is stored', async () => {
        const visitor = new Visitor(h);
        const { email: address } = await ownedWorkspace();
        const res = await visitor.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
        const cookie = res.res.headers.getSetCookie()[0]!;
        expect(cookie).toMatch(/^__Host-cb_session=[A-Za-z0-9_-]{43};/);
        expect(cookie).toContain('Path=/;');
        expect(cookie).toContain('HttpOnly');
        expect(cookie).toContain('Secure');
        expect(cookie).toContain('SameSite=Lax');
        expect(cookie).toContain('Max-Age=1209600');
        const rows = await h.query('SELECT id FROM sessions WHERE id = ?', [visitor.token!]);
        expect(rows).toEqual([]);
      });

      it('the cookie on http: cb_session, Path=/app, HttpOnly, SameSite=Lax, not Secure', async () => {
        const plain = await start({ PUBLIC_URL: 'http://feedback.example.com' });
        try {
          const ws = await plain.newWorkspace('Plain');
          const path = pathOf(await plain.setupLink(ws.id));
          const res = await new Visitor(plain, 'http://feedback.example.com').post(path, { name: 'P', email: 'plain@example.com', password: PASSWORD }, { withToken: false });
          expect(res.status, res.describe).toBe(303);
          const cookie = res.res.headers.getSetCookie()[0]!;
          expect(cookie).toMatch(/^cb_session=[A-Za-z0-9_-]{43};/);
          expect(cookie).toContain('Path=/app');
          expect(cookie).toContain('HttpOnly');
          expect(cookie).toContain('SameSite=Lax');
          expect(cookie).not.toContain('Secure');
        } finally {
          await plain.close();
        }
      });

      it('a session unused for 14 days has ended', async () => {
        const { owner } = await ownedWorkspace();
        h.advanceClock(14 * DAY + 1000);
        try {
          const res = await owner.get('/app');
          expect(res.status, res.describe).toBe(302);
        } finally {
          h.advanceClock(-(14 * DAY + 1000));
        }
      });
    });
  });

  describe('/app/account', () => {
    it('happy path: changes name and language', async () => {
      const { owner } = await ownedWorkspace();
      await owner.get('/app/account');
      const saved = await owner.post('/app/account', { name: 'Olivia Renamed', locale: 'en' });
      expect(saved.status, saved.describe).toBe(303);
      const page = await owner.get('/app/account?done=saved');
      expect(page.text).toContain('value="Olivia Renamed"');
      expect(page.text).toContain('Saved.');
    });

    it('rejects: a wrong current password or a short new one (400, field named)', async () => {
      const { owner } = await ownedWorkspace();
      await owner.get('/app/account');
      const wrong = await owner.post('/app/account/password', { current: 'not it at all', password: 'a new long password' });
      expect(wrong.status, wrong.describe).toBe(400);
      expect(wrong.text).toContain('href="#current"');
      const short = await owner.post('/app/account/password', { current: PASSWORD, password: 'short' });
      expect(short.status, short.describe).toBe(400);
      expect(short.text).toContain('href="#password"');
    });

    it('security: changing the password ends the other sessions, not this one', async () => {
      const { owner, email: address } = await ownedWorkspace();
      const other = new Visitor(h);
      await other.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
      expect((await other.get('/app')).status).toBe(200);
      await owner.get('/app/account');
      const changed = await owner.post('/app/account/password', { current: PASSWORD, password: 'a brand new password' });
      expect(changed.status, changed.describe).toBe(303);
      expect((await other.get('/app')).status).toBe(302);
      expect((await owner.get('/app')).status).toBe(200);
      const relog = await new Visitor(h).post('/app/login', { email: address, password: 'a brand new password' }, { withToken: false });
      expect(relog.status, relog.describe).toBe(303);
    });
  });

  describe('/app/sessions', () => {
    it('lists this person’s sessions; ends one, then all others', async () => {
      const { owner, email: address } = await ownedWorkspace();
      const second = new Visitor(h);
      await second.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
      const third = new Visitor(h);
      await third.post('/app/login', { email: address, password: PASSWORD }, { withToken: false });
      const page = await owner.get('/app/sessions');
      expect(page.status, page.describe).toBe(200);
      expect(page.text).toContain('Chrome on Linux');
      const ids = [...page.text.matchAll(/action="\/app\/sessions\/([0-9a-f]{64})\/revoke"/g)].map((m) => m[1]!);
      expect(ids).toHaveLength(2);
      const one = await owner.post(`/app/sessions/${ids[0]}/revoke`, {});
      expect(one.status, one.describe).toBe(303);
      const open = [(await second.get('/app')).status, (await third.get('/app')).status].sort();
      expect(open).toEqual([200, 302]);
      await owner.get('/app/sessions');
      const rest = await owner.post('/app/sessions/revoke-others', {});
      expect(rest.status, rest.describe).toBe(303);
      expect((await second.get('/app')).status).toBe(302);
      expect((await third.get('/app')).status).toBe(302);
      expect((await owner.get('/app')).status).toBe(200);
    });

    it('security: another person’s session is 404 and keeps working', async () => {
      const a = await ownedWorkspace();
      const b = await ownedWorkspace();
      const bSession = (await h.query('SELECT s.id FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.email = ?', [b.email]))[0]!.id as string;
      await a.owner.get('/app/sessions');
      const res = await a.owner.post(`/app/sessions/${bSession}/revoke`, {});
      expect(res.status, res.describe).toBe(404);
      expect((await b.owner.get('/app')).status).toBe(200);
    });
  });

  describe('cross-site requests', () => {
    it.each<{ case: string; headers: Record<string, string>; withToken: boolean; token?: string }>([
      { case: 'Origin of another site', headers: { origin: 'https://evil.example' }, withToken: true },
      { case: 'Origin "null" (a sandboxed or data: page)', headers: { origin: 'null' }, withToken: true },
      { case: 'Origin "null", Sec-Fetch-Site: cross-site', headers: { origin: 'null', 'sec-fetch-site': 'cross-site' }, withToken: true },
      { case: 'no Origin, Sec-Fetch-Site: same-site (a sibling subdomain)', headers: { origin: '', 'sec-fetch-site': 'same-site' }, withToken: true },
      { case: 'no Origin, Sec-Fetch-Site: cross-site', headers: { origin: '', 'sec-fetch-site': 'cross-site' }, withToken: true },
      { case: 'the right Origin but no form token', headers: {}, withToken: false },
      { case: 'the right Origin and another session’s form token', headers: {}, withToken: false, token: 'other' },
    ])('$case: 403, a friendly page, nothing changed', async ({ headers, withToken, token }) => {
      const { owner } = await ownedWorkspace();
      await owner.get('/app/account');
      const form: Record<string, string> = { name: 'Mallory Was Here', locale: '' };
      if (token === 'other') form.form_token = 'x'.repeat(43);
      const res = await owner.request('/app/account', { form, headers, withToken });
      expect(res.status, res.describe).toBe(403);
      expect(res.text).toContain('This form could not be sent');
      expect((await owner.get('/app/account')).text).not.toContain('Mallory');
    });

    it('what Chromium sends under Referrer-Policy: no-referrer (Origin: null, Sec-Fetch-Site: same-origin) is accepted', async () => {
      const { owner } = await ownedWorkspace();
      await owner.get('/app/account');
      const res = await owner.request('/app/account', { form: { name: 'Same Origin', locale: '' }, headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
      expect(res.status, res.describe).toBe(303);
      expect((await owner.get('/app/account')).text).toContain('value="Same Origin"');
    });

    it('a cross-site POST to sign out or invite changes nothing either', async () => {
      const { owner, ws } = await ownedWorkspace();
      await owner.get('/app');
      const out = await owner.request('/app/logout', { form: {}, headers: { origin: 'https://evil.example' } });
      expect(out.status, out.describe).toBe(403);
      expect((await owner.get('/app')).status).toBe(200);
      const invite = await owner.request('/app/members/invite', { form: { email: 'x@example.com', role: 'owner' }, headers: { origin: 'https://evil.example' } });
      expect(invite.status, invite.describe).toBe(403);
      expect((await h.query('SELECT count(*) AS n FROM invitations WHERE workspace_id = ? AND kind = ?', [ws.id, 'invite']))[0]!.n).toBe(0);
    });
  });

  describe('roles', () => {
    it('a member reaches no admin page or POST (403)', async () => {
      const { owner } = await ownedWorkspace();
      const { person } = await join(owner, 'member');
      const { id: otherId } = await join(owner, 'member', 'Other Member');
      const page = await person.get('/app/members');
      expect(page.status, page.describe).toBe(403);
      expect(page.text).toContain('You cannot do this');
      await person.get('/app');
      for (const [path, form] of [
        ['/app/members/invite', { email: 'x@example.com', role: 'member' }],
        [`/app/members/${otherId}/role`, { role: 'admin' }],
        [`/app/members/${otherId}/remove`, {}],
      ] as const) {
        const res = await person.post(path, form);
        expect(res.status, `${path}: ${res.describe}`).toBe(403);
      }
      expect((await h.query('SELECT role FROM memberships WHERE person_id = ?', [otherId]))[0]!.role).toBe('member');
    });

    it('an admin manages members and admins but cannot invite, demote or remove an owner', async () => {
      const { owner, ws } = await ownedWorkspace();
      const { person: admin } = await join(owner, 'admin');
      const { id: memberId } = await join(owner, 'member');
      const ownerId = (await h.query("SELECT person_id FROM memberships WHERE workspace_id = ? AND role = 'owner'", [ws.id]))[0]!.person_id as string;
      const page = await admin.get('/app/members');
      expect(page.status, page.describe).toBe(200);
      expect(page.text).not.toContain('value="owner"');
      expect((await admin.post(`/app/members/${memberId}/role`, { role: 'admin' })).status).toBe(303);
      expect((await admin.post(`/app/members/${ownerId}/role`, { role: 'member' })).status).toBe(403);
      expect((await admin.post(`/app/members/${ownerId}/remove`, {})).status).toBe(403);
      expect((await admin.post('/app/members/invite', { email: 'boss@example.com', role: 'owner' })).status).toBe(403);
      expect((await admin.post(`/app/members/${memberId}/role`, { role: 'owner' })).status).toBe(403);
      expect((await admin.post(`/app/members/${memberId}/remove`, {})).status).toBe(303);
      expect(await h.query('SELECT role FROM memberships WHERE workspace_id = ? ORDER BY role', [ws.id])).toEqual([{ role: 'admin' }, { role: 'owner' }]);
    });

    it('the last owner can neither leave nor be demoted; with a second owner, they can', async () => {
      const { owner, ws } = await ownedWorkspace();
      const ownerId = (await h.query("SELECT person_id FROM memberships WHERE workspace_id = ? AND role = 'owner'", [ws.id]))[0]!.person_id as string;
      await owner.get('/app/account');
      const leave = await owner.post('/app/account/leave', {});
      expect(leave.status, leave.describe).toBe(409);
      expect(leave.text).toContain('needs an owner');
      const demote = await owner.post(`/app/members/${ownerId}/role`, { role: 'member' });
      expect(demote.status, demote.describe).toBe(409);
      const { person: second } = await join(owner, 'owner');
      const removed = await second.post(`/app/members/${ownerId}/remove`, {});
      expect(removed.status, removed.describe).toBe(303);
      // The removed owner's session had nothing left to open.
      expect((await owner.get('/app')).status).toBe(302);
    });
  });

  describe('workspaces', () => {
    it('the people of workspace A see and change nothing of workspace B (404)', async () => {
      const a = await ownedWorkspace('A');
      const b = await ownedWorkspace('B');
      const { id: bMember } = await join(b.owner, 'member', 'Bea of B');
      await a.owner.get('/app/members');
      for (const [path, form] of [
        [`/app/members/${bMember}/role`, { role: 'admin' }],
        [`/app/members/${bMember}/remove`, {}],
        ['/app/workspace', { workspace: b.ws.id }],
      ] as const) {
        const res = await a.owner.post(path, form);
        expect(res.status, `${path}: ${res.describe}`).toBe(404);
      }
      const members = await a.owner.get('/app/members');
      expect(members.text).not.toContain('Bea of B');
      expect((await h.query('SELECT role FROM memberships WHERE person_id = ?', [bMember]))[0]!.role).toBe('member');
      const home = await a.owner.get('/app');
      expect(home.text).not.toContain(b.ws.id);
    });

    it('an unknown app page is a friendly 404', async () => {
      const { owner } = await ownedWorkspace();
      const res = await owner.get('/app/no-such-page');
      expect(res.status, res.describe).toBe(404);
      expect(res.text).toContain('Page not found');
    });

    it('signed out, every page sends to the sign-in page and every POST is refused', async () => {
      const visitor = new Visitor(h);
      for (const path of ['/app', '/app/members', '/app/account', '/app/sessions', '/app/surveys', '/app/snippets']) {
        const res = await visitor.get(path);
        expect(res.status, `${path}: ${res.describe}`).toBe(302);
        expect(res.location).toBe('/app/login');
      }
      const res = await visitor.post('/app/account', { name: 'x' });
      expect(res.status, res.describe).toBe(403);
    });

    it('pages carry the strict CSP: the stylesheet by hash, no inline script or style attribute', async () => {
      const { owner } = await ownedWorkspace();
      for (const path of ['/app', '/app/members', '/app/account', '/app/sessions', '/app/surveys', '/app/login']) {
        const res = await owner.get(path);
        const csp = res.res.headers.get('content-security-policy') ?? '';
        expect(csp, path).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'self'; form-action 'self'/);
        expect(csp).not.toContain('unsafe-inline');
        expect(res.text).not.toContain('<script');
        expect(res.text).not.toContain(' style=');
      }
    });
  });
}
