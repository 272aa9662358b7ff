import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../app-env';
import type { AppDeps } from '../../app-env';
import type { AppLocale } from '../../../schema';
import { countOpenFollowUpsOf } from '../../db/followup-counts';
import { listPersonWorkspaces } from '../../db/members';
import { AppError } from '../../lib/errors';
import { formTokenFor, formTokenMatches, resumeSession, SESSION_IDLE_MS, type SignedIn } from '../../services/auth';
import type { Actor } from '../../services/members';
import { appCsp, type Viewer } from '../../pages/app/layout';
import { appLocale, messagesFor, type AppMessages } from '../../pages/app/messages';
import { readFormFields } from '../read-form';

/** Hono typing of the team app: the signed-in person, once `requireSession` has run. */
export type TeamEnv = AppEnv & { Variables: AppEnv['Variables'] & { signedIn: SignedIn } };
export type TeamContext = Context<TeamEnv>;

/**
 * The session cookie. On https it is `__Host-cb_session`: Secure, no Domain, Path=/ (the prefix
 * requires Path=/, RFC 6265bis §4.1.3.2), so no sibling subdomain and no plain-http page can set
 * or overwrite it. On http (development) it is `cb_session` with Path=/app. HttpOnly and
 * SameSite=Lax always.
 */
export function sessionCookie(publicUrl: string) {
  const secure = publicUrl.startsWith('https:');
  return { name: secure ? '__Host-cb_session' : 'cb_session', options: { httpOnly: true, sameSite: 'Lax' as const, secure, path: secure ? '/' : '/app' } };
}

export function writeSessionCookie(c: Context, publicUrl: string, token: string): void {
  const cookie = sessionCookie(publicUrl);
  setCookie(c, cookie.name, token, { ...cookie.options, maxAge: SESSION_IDLE_MS / 1000 });
}

export function clearSessionCookie(c: Context, publicUrl: string): void {
  const cookie = sessionCookie(publicUrl);
  deleteCookie(c, cookie.name, cookie.options);
}

export function readSessionToken(c: Context, publicUrl: string): string | undefined {
  return getCookie(c, sessionCookie(publicUrl).name);
}

/** The language of a page: the signed-in person's setting, else the browser's. */
export function localeOf(c: Context, setting?: AppLocale | null): { locale: AppLocale; t: AppMessages } {
  const locale = appLocale(setting, c.req.header('accept-language'));
  return { locale, t: messagesFor(locale) };
}

/**
 * Every app page: its own stylesheet hash in the CSP (the security headers keep a policy a route
 * set), unless the page set its own (the Snippets page, whose preview needs a little more).
 */
export function appPolicy(): MiddlewareHandler<TeamEnv> {
  return async function setAppPolicy(c, next) {
    await next();
    if (c.res.headers.has('Content-Security-Policy')) return;
    c.res.headers.set('Content-Security-Policy', await appCsp());
  };
}

/**
 * Cross-site requests change nothing: a POST whose `Origin` is another site is refused before
 * anything is read. Pages are served with `Referrer-Policy: no-referrer`, under which browsers
 * send `Origin: null` on their own form posts (Fetch §3.2.5, "serializing a request origin"): then,
 * as without an Origin, `Sec-Fetch-Site` decides (W3C Fetch Metadata), and only `same-origin` (or
 * `none`, a user's own action) passes; an opaque origin without it is refused. The form token
 * (`requireSession`) is the second, independent check. Same origin = PUBLIC_URL's or the
 * request's own (behind a proxy that keeps the Host).
 */
export function refuseCrossSite(publicUrl: string): MiddlewareHandler<TeamEnv> {
  const publicOrigin = new URL(publicUrl).origin;
  return async function checkOrigin(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const sameSite = site === 'same-origin' || site === 'none';
    if (origin !== undefined && origin !== 'null') {
      if (origin !== publicOrigin && origin !== new URL(c.req.url).origin) throw new AppError('FORM_TOKEN_INVALID', 'Cross-site request refused.');
    } else if (origin === 'null' ? !sameSite : site !== undefined && !sameSite) {
      throw new AppError('FORM_TOKEN_INVALID', 'Cross-site request refused.');
    }
    return next();
  };
}

/**
 * Signed-in routes: the cookie's session, or to the sign-in page (GET) / 303 there (POST). A POST
 * must carry the form token derived from this session's token, so a form from elsewhere, or from
 * before a sign-out, is refused (403) before the handler runs.
 */
export function requireSession(deps: AppDeps): MiddlewareHandler<TeamEnv> {
  return async function checkSession(c, next) {
    const token = readSessionToken(c, deps.config.publicUrl);
    const signedIn = token ? await resumeSession(deps.db, token, deps.clock()) : null;
    if (!signedIn) {
      if (token) clearSessionCookie(c, deps.config.publicUrl);
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/app/login', 302);
      throw new AppError('FORM_TOKEN_INVALID', 'Not signed in.');
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const field = await readFormFields(c, 'the form');
      if (!(await formTokenMatches(signedIn.token, field('form_token')))) throw new AppError('FORM_TOKEN_INVALID', 'The form token does not match this session.');
    }
    c.set('signedIn', signedIn);
    // The idle expiry moves with use: the cookie's lifetime follows the session's.
    writeSessionCookie(c, deps.config.publicUrl, signedIn.token);
    await next();
  };
}

export function actorOf(c: TeamContext): Actor {
  const s = c.get('signedIn');
  return { personId: s.person.id, workspaceId: s.workspace.id, role: s.workspace.role };
}

/** What the header of a signed-in page needs: names, the workspace list, the form token, the count of the viewer's open follow-ups. */
export async function viewerOf(c: TeamContext, deps: AppDeps): Promise<Viewer> {
  const s = c.get('signedIn');
  return {
    name: s.person.name,
    role: s.workspace.role,
    workspace: { id: s.workspace.id, name: s.workspace.name },
    workspaces: await listPersonWorkspaces(deps.db, s.person.id),
    formToken: await formTokenFor(s.token),
    followUpsMine: await countOpenFollowUpsOf(deps.db, s.workspace.id, s.person.id),
  };
}
