import { Hono } from 'hono';
import type { AppDeps } from '../../app-env';
import type { Role } from '../../../schema';
import { agentNamesOf, changeAgentNames } from '../../services/followups';
import { deletePersonSession, deleteOtherSessions, listPersonWorkspaces, listSessions, setSessionWorkspace, updatePerson, workspaceProgress } from '../../db/members';
import { AppError, isDatabaseUnavailable } from '../../lib/errors';
import { acceptLink, changePassword, checkName, FormProblem, formTokenMatches, normalizeEmail, openLink, resumeSession, signIn, signOut } from '../../services/auth';
import { getWorkspaceTimeZone } from '../../db/workspaces';
import { setWorkspaceTimeZone } from '../../services/reports';
import { changeRole, inviteMember, isRole, leaveWorkspace, membersOf, removeMember, requireManager } from '../../services/members';
import { type FieldError } from '../../pages/app/layout';
import { isAppLocale, type AppMessages } from '../../pages/app/messages';
import { invitePage, loginPage, messagePage, setupPage } from '../../pages/app/sign-in-pages';
import { accountPage, homePage, inviteLinkPage, membersPage, sessionsPage } from '../../pages/app/workspace-pages';
import { limitForm, readFormFields } from '../read-form';
import { reportAppRoutes } from './reports';
import { followUpAppRoutes, lines } from './followups';
import { registerSettingsRoutes } from './settings';
import { snippetAppRoutes } from './snippets';
import { surveyAppRoutes } from './surveys';
import {
  actorOf,
  appPolicy,
  clearSessionCookie,
  localeOf,
  readSessionToken,
  refuseCrossSite,
  requireSession,
  type TeamContext,
  type TeamEnv,
  viewerOf,
  writeSessionCookie,
} from './context';

/** The largest form the app takes: its longest field is a 200-character password. */
const APP_FORM_LIMIT_BYTES = 16 * 1024;

/** Notices shown after a redirect (`?done=…`): only these keys, never text from the URL. */
const NOTICES = ['roleChanged', 'memberRemoved', 'saved', 'passwordChanged', 'sessionRevoked', 'timeZoneSaved'] as const;
type NoticeKey = (typeof NOTICES)[number];

function noticeOf(c: TeamContext, t: AppMessages): string | null {
  const key = c.req.query('done') as NoticeKey | undefined;
  if (!key || !NOTICES.includes(key)) return null;
  if (key === 'sessionRevoked') {
    const n = Number(c.req.query('n'));
    return Number.isInteger(n) && n >= 0 ? t.othersRevoked(n) : t.sessionRevoked;
  }
  return t[key];
}

function problemOf(t: AppMessages, error: FormProblem): FieldError {
  return { field: error.field, message: t.errors[error.key] };
}

/** Which friendly page an error becomes, and with what status. */
const ERROR_PAGES: Partial<Record<AppError['code'], keyof AppMessages['pages']>> = {
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'notFound',
  FORM_TOKEN_INVALID: 'crossSite',
  RATE_LIMITED: 'throttled',
  CONFLICT: 'conflict',
  FORM_MALFORMED: 'malformed',
  UNSUPPORTED_MEDIA_TYPE: 'malformed',
  PAYLOAD_TOO_LARGE: 'malformed',
  DB_UNAVAILABLE: 'unavailable',
};

/**
 * The team app under `/app` (issue 14): setup and invite links, sign-in, the workspace home,
 * Members, Account and Sessions. Server-rendered, no script; every POST passes the Origin check
 * and (signed in) the session's form token.
 */
export function teamAppRoutes(deps: AppDeps) {
  const { db, config, clock } = deps;
  const app = new Hono<TeamEnv>();
  const signedIn = requireSession(deps);

  app.use(appPolicy());
  app.use(refuseCrossSite(config.publicUrl));
  app.use(limitForm(APP_FORM_LIMIT_BYTES));

  app.onError(async function renderAppError(error, c) {
    const { locale, t } = localeOf(c, c.get('signedIn')?.person.locale);
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (isDatabaseUnavailable(error)) appError = new AppError('DB_UNAVAILABLE', 'The database is unavailable.');
    else {
      (deps.logError ?? ((m, f) => console.error(JSON.stringify({ level: 'error', message: m, ...f }))))('unhandled error', {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: c.req.routePath,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      appError = new AppError('INTERNAL_ERROR', 'Something went wrong.');
    }
    if (appError.code === 'DB_UNAVAILABLE') c.header('Retry-After', '30');
    if (appError.code === 'PAYLOAD_TOO_LARGE') c.header('Connection', 'close');
    const text = t.pages[ERROR_PAGES[appError.code] ?? 'internal'];
    const s = c.get('signedIn');
    const viewer = s ? await viewerOf(c, deps).catch(() => null) : null;
    return c.html(messagePage({ locale, t, title: text.title, message: text.message, viewer, reference: c.get('requestId') }), appError.status);
  });

  // Signing in and out

  app.get('/login', async function showLogin(c) {
    const token = readSessionToken(c, config.publicUrl);
    if (token && (await resumeSession(db, token, clock()))) return c.redirect('/app', 302);
    const { locale, t } = localeOf(c);
    return c.html(loginPage({ locale, t, email: '', errors: [], message: c.req.query('signed-out') === '1' ? t.signedOut : null }));
  });

  app.post('/login', async function login(c) {
    const field = await readFormFields(c, 'the sign-in form');
    const { locale, t } = localeOf(c);
    const email = field('email').trim();
    const password = field('password');
    const errors: FieldError[] = [];
    if (!email) errors.push({ field: 'email', message: t.errors.emailInvalid });
    if (!password) errors.push({ field: 'password', message: t.errors.passwordShort });
    if (errors.length) return c.html(loginPage({ locale, t, email, errors, message: null }), 400);
    const result = await signIn(db, { email, password, now: clock(), userAgent: c.req.header('user-agent') });
    if (!result.ok && result.reason === 'throttled') {
      c.header('Retry-After', '900');
      throw new AppError('RATE_LIMITED', 'Too many failed sign-ins for this email.');
    }
    if (!result.ok) return c.html(loginPage({ locale, t, email, errors: [{ field: 'email', message: t.errors.credentials }], message: null }), 401);
    // A session this browser had before (or one planted in it) ends: only the new token counts.
    const before = readSessionToken(c, config.publicUrl);
    if (before) await signOut(db, before);
    writeSessionCookie(c, config.publicUrl, result.token);
    return c.redirect('/app', 303);
  });

  app.post('/logout', async function logout(c) {
    const token = readSessionToken(c, config.publicUrl);
    if (token) {
      const session = await resumeSession(db, token, clock());
      if (session) {
        const field = await readFormFields(c, 'the sign-out form');
        if (!(await formTokenMatches(token, field('form_token')))) throw new AppError('FORM_TOKEN_INVALID', 'The form token does not match this session.');
        await signOut(db, token);
      }
    }
    clearSessionCookie(c, config.publicUrl);
    return c.redirect('/app/login?signed-out=1', 303);
  });

  // Setup and invite links

  for (const kind of ['setup', 'invite'] as const) {
    app.on(['GET', 'POST'], `/${kind}/:token`, async function useLink(c) {
      const { locale, t } = localeOf(c);
      const token = c.req.param('token');
      const link = await openLink(db, kind, token, clock());
      if (link.state !== 'open') {
        const [title, message, status] =
          link.state === 'used' ? [t.linkUsedTitle, t.linkUsed, 410] as const : link.state === 'expired' ? [t.linkExpiredTitle, t.linkExpired, 410] as const : [t.linkUnknownTitle, t.linkUnknown, 404] as const;
        return c.html(messagePage({ locale, t, title, message, viewer: null }), status);
      }
      const action = `/app/${kind}/${token}`;
      const { invitation } = link;
      const render = (values: { name: string; email: string }, errors: FieldError[]) =>
        kind === 'setup'
          ? setupPage({ locale, t, action, workspaceName: invitation.workspaceName, values, errors })
          : invitePage({ locale, t, action, workspaceName: invitation.workspaceName, roleName: t.roles[invitation.role], email: invitation.email ?? '', existing: link.existing !== null, values, errors });
      if (c.req.method === 'GET') return c.html(render({ name: '', email: '' }, []));
      const field = await readFormFields(c, 'the form');
      const values = { name: field('name'), email: field('email'), password: field('password') };
      let sessionToken: string | null;
      try {
        sessionToken = await acceptLink(db, link, values, { now: clock(), userAgent: c.req.header('user-agent'), locale: null });
      } catch (error) {
        if (error instanceof FormProblem) return c.html(render(values, [problemOf(t, error)]), 400);
        throw error;
      }
      if (!sessionToken) return c.html(messagePage({ locale, t, title: t.linkUsedTitle, message: t.linkUsed, viewer: null }), 410);
      const before = readSessionToken(c, config.publicUrl);
      if (before) await signOut(db, before);
      writeSessionCookie(c, config.publicUrl, sessionToken);
      return c.redirect('/app', 303);
    });
  }

  // Signed in

  app.get('/', signedIn, async function home(c) {
    const { locale, t } = localeOf(c, c.get('signedIn').person.locale);
    const progress = await workspaceProgress(db, c.get('signedIn').workspace.id);
    return c.html(homePage({ locale, t, viewer: await viewerOf(c, deps), progress }));
  });

  app.post('/workspace', signedIn, async function switchWorkspace(c) {
    const field = await readFormFields(c, 'the form');
    const s = c.get('signedIn');
    const target = (await listPersonWorkspaces(db, s.person.id)).find((w) => w.id === field('workspace'));
    if (!target) throw new AppError('NOT_FOUND', 'No such workspace.');
    await setSessionWorkspace(db, s.session.id, target.id);
    return c.redirect('/app', 303);
  });

  async function renderMembers(
    c: TeamContext,
    errors: FieldError[],
    values: { email: string; role: Role; timeZone?: string },
    status: 200 | 400 = 200,
    typedAgentNames?: { personId: string; text: string },
  ) {
    const { locale, t } = localeOf(c, c.get('signedIn').person.locale);
    const members = await membersOf(db, actorOf(c));
    const workspaceId = c.get('signedIn').workspace.id;
    const timeZone = values.timeZone ?? (await getWorkspaceTimeZone(db, workspaceId)) ?? 'UTC';
    const agentNames = await agentNamesOf(deps, workspaceId);
    return c.html(
      membersPage({ locale, t, viewer: await viewerOf(c, deps), members, agentNames, typedAgentNames, personId: c.get('signedIn').person.id, errors, values: { ...values, timeZone }, message: noticeOf(c, t) }),
      status,
    );
  }

  app.get('/members', signedIn, (c) => renderMembers(c, [], { email: '', role: 'member' }));

  // The workspace's time zone (issue 15): owners and admins; the reports' aggregates are re-bucketed in the same write.
  app.post('/members/time-zone', signedIn, async function saveTimeZone(c) {
    requireManager(actorOf(c));
    const field = await readFormFields(c, 'the time zone form');
    const name = field('timeZone');
    try {
      await setWorkspaceTimeZone(db, c.get('signedIn').workspace.id, name);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
      const { t } = localeOf(c, c.get('signedIn').person.locale);
      return renderMembers(c, [{ field: 'timeZone', message: t.errors.timeZoneInvalid }], { email: '', role: 'member', timeZone: name }, 400);
    }
    return c.redirect('/app/members?done=timeZoneSaved', 303);
  });

  app.post('/members/invite', signedIn, async function invite(c) {
    const actor = actorOf(c);
    requireManager(actor);
    const field = await readFormFields(c, 'the invitation form');
    const { locale, t } = localeOf(c, c.get('signedIn').person.locale);
    const role = field('role');
    const rawEmail = field('email');
    const errors: FieldError[] = [];
    let email = '';
    try {
      email = normalizeEmail(rawEmail);
    } catch {
      errors.push({ field: 'email', message: t.errors.emailInvalid });
    }
    if (!isRole(role)) errors.push({ field: 'invite-role-member', message: t.errors.roleInvalid });
    if (errors.length || !isRole(role)) return renderMembers(c, errors, { email: rawEmail, role: isRole(role) ? role : 'member' }, 400);
    const url = await inviteMember(db, actor, { email, role, now: clock(), publicUrl: config.publicUrl });
    return c.html(inviteLinkPage({ locale, t, viewer: await viewerOf(c, deps), email, url }));
  });

  app.post('/members/:personId/role', signedIn, async function changeMemberRole(c) {
    const field = await readFormFields(c, 'the form');
    const role = field('role');
    if (!isRole(role)) throw new AppError('FORM_MALFORMED', 'Unknown role.');
    await changeRole(db, actorOf(c), c.req.param('personId'), role);
    return c.redirect('/app/members?done=roleChanged', 303);
  });

  app.post('/members/:personId/agent-names', signedIn, async function saveAgentNames(c) {
    const actor = actorOf(c);
    const members = await membersOf(db, actor);
    const personId = c.req.param('personId');
    if (!members.some((m) => m.personId === personId)) throw new AppError('NOT_FOUND', 'No such member.');
    const text = (await readFormFields(c, 'the agent names form'))('agent-names');
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    try {
      await changeAgentNames(deps, actor.workspaceId, personId, lines(text));
    } catch (error) {
      // A name too long or too many (VALIDATION_FAILED), or another member's already (CONFLICT).
      if (!(error instanceof AppError) || (error.code !== 'VALIDATION_FAILED' && error.code !== 'CONFLICT')) throw error;
      const message = error.code === 'CONFLICT' ? t.followUps.errors.agentNameTaken : t.followUps.errors.agentNames;
      return renderMembers(c, [{ field: `agent-names-${personId}`, message }], { email: '', role: 'member' }, 400, { personId, text });
    }
    return c.redirect('/app/members?done=saved', 303);
  });

  app.post('/members/:personId/remove', signedIn, async function removeMemberRoute(c) {
    await removeMember(db, actorOf(c), c.req.param('personId'));
    return c.redirect('/app/members?done=memberRemoved', 303);
  });

  async function renderAccount(c: TeamContext, errors: FieldError[], status: 200 | 400 = 200, values?: { name: string; locale: string }) {
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const chosen = values && isAppLocale(values.locale) ? values.locale : values ? null : s.person.locale;
    return c.html(accountPage({ locale, t, viewer: await viewerOf(c, deps), values: { name: values?.name ?? s.person.name, locale: chosen }, errors, message: noticeOf(c, t) }), status);
  }

  app.get('/account', signedIn, (c) => renderAccount(c, []));

  app.post('/account', signedIn, async function saveAccount(c) {
    const field = await readFormFields(c, 'the account form');
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    const locale = field('locale');
    if (locale !== '' && !isAppLocale(locale)) throw new AppError('FORM_MALFORMED', 'Unknown language.');
    let name: string;
    try {
      name = checkName(field('name'));
    } catch (error) {
      if (error instanceof FormProblem) return renderAccount(c, [problemOf(t, error)], 400, { name: field('name'), locale });
      throw error;
    }
    await updatePerson(db, c.get('signedIn').person.id, { name, locale: isAppLocale(locale) ? locale : null });
    return c.redirect('/app/account?done=saved', 303);
  });

  app.post('/account/password', signedIn, async function newPassword(c) {
    const field = await readFormFields(c, 'the password form');
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    try {
      await changePassword(db, c.get('signedIn'), field('current'), field('password'));
    } catch (error) {
      if (error instanceof FormProblem) return renderAccount(c, [problemOf(t, error)], 400);
      throw error;
    }
    return c.redirect('/app/account?done=passwordChanged', 303);
  });

  app.post('/account/leave', signedIn, async function leave(c) {
    await leaveWorkspace(db, actorOf(c));
    // The session moves to another workspace of the person's, or ends (requireSession sees to it).
    return c.redirect('/app', 303);
  });

  app.get('/sessions', signedIn, async function showSessions(c) {
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const sessions = await listSessions(db, s.person.id, clock().getTime());
    return c.html(sessionsPage({ locale, t, viewer: await viewerOf(c, deps), sessions, currentId: s.session.id, message: noticeOf(c, t) }));
  });

  app.post('/sessions/revoke-others', signedIn, async function revokeOthers(c) {
    const s = c.get('signedIn');
    const n = await deleteOtherSessions(db, s.person.id, s.session.id);
    return c.redirect(`/app/sessions?done=sessionRevoked&n=${n}`, 303);
  });

  app.post('/sessions/:id/revoke', signedIn, async function revokeOne(c) {
    const s = c.get('signedIn');
    const id = c.req.param('id');
    if (id === s.session.id || !/^[0-9a-f]{64}$/.test(id)) throw new AppError('NOT_FOUND', 'No such session.');
    if (!(await deletePersonSession(db, s.person.id, id))) throw new AppError('NOT_FOUND', 'No such session.');
    return c.redirect('/app/sessions?done=sessionRevoked', 303);
  });

  // Before the settings routes: `/responses` and `/responses/export` are the feed's, not a response id.
  app.route('/', reportAppRoutes(deps));
  registerSettingsRoutes(app, deps, signedIn);
  app.route('/', surveyAppRoutes(deps));
  app.route('/', snippetAppRoutes(deps));
  app.route('/', followUpAppRoutes(deps));

  // Last: any other path under /app is the app's friendly 404 (a mounted app's notFound is not used).
  app.all('*', function appNotFound() {
    throw new AppError('NOT_FOUND', 'Nothing here.');
  });

  return app;
}
