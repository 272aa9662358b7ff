import type { AppLocale, Role } from '../../schema';
import type { Db } from '../db';
import {
  acceptInvitation,
  changePasswordHash,
  clearFailures,
  countFailures,
  deleteSession,
  findInvitation,
  findPerson,
  findPersonByEmail,
  findSession,
  insertInvitation,
  insertSession,
  listPersonWorkspaces,
  recordFailure,
  setSessionWorkspace,
  touchSession,
  type Invitation,
  type Person,
  type SessionRow,
} from '../db/members';
import { sha256Hex, timingSafeEqual, toBase64Url } from '../lib/encoding';
import { newId } from '../lib/ids';
import { decoyHash, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from '../lib/password';

/**
 * Sign-in, sessions and one-time links of the team app, along Lucia's guide: the browser holds a
 * random token, the database only its SHA-256, so a leaked database signs nobody in.
 */

/** A session ends after 14 days without use. */
export const SESSION_IDLE_MS = 14 * 24 * 3600_000;
/** How often a used session's expiry is pushed forward: one write a minute at most, not one a page. */
const TOUCH_EVERY_MS = 60_000;
/** A setup link works for 24 hours, an invitation for 7 days; each once. */
export const SETUP_LINK_TTL_MS = 24 * 3600_000;
export const INVITE_TTL_MS = 7 * 24 * 3600_000;
/** After 5 failed sign-ins for one email within 15 minutes, that email is refused until the window passes. */
export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

export const NAME_MAX = 100;
export const EMAIL_MAX = 254; // RFC 5321 §4.5.3.1.3

/** Why a form was refused: the field and a message key the page translates. */
export class FormProblem extends Error {
  constructor(
    readonly field: string,
    readonly key: 'nameRequired' | 'nameTooLong' | 'emailInvalid' | 'emailTaken' | 'passwordShort' | 'passwordLong' | 'passwordWrong' | 'credentials' | 'alreadyMember' | 'emailMismatch',
  ) {
    super(key);
    this.name = 'FormProblem';
  }
}

/** 256 random bits, base64url: a session token or a one-time link token. */
export function newSecretToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The CSRF token of the app's forms: derived from the session token, which only its browser holds. */
export async function formTokenFor(sessionToken: string): Promise<string> {
  return (await sha256Hex(`clickback app form:${sessionToken}`)).slice(0, 43);
}

export async function formTokenMatches(sessionToken: string, sent: string): Promise<boolean> {
  return timingSafeEqual(await formTokenFor(sessionToken), sent);
}

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > EMAIL_MAX || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new FormProblem('email', 'emailInvalid');
  return email;
}

export function checkName(raw: string): string {
  // One line: names are shown in lists and headers.
  const name = raw.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  if (!name) throw new FormProblem('name', 'nameRequired');
  if (name.length > NAME_MAX) throw new FormProblem('name', 'nameTooLong');
  return name;
}

export function checkNewPassword(password: string, field = 'password'): string {
  if (password.length < PASSWORD_MIN_LENGTH) throw new FormProblem(field, 'passwordShort');
  if (password.length > PASSWORD_MAX_LENGTH) throw new FormProblem(field, 'passwordLong');
  return password;
}

/** "Chrome on Linux" from a User-Agent: enough to recognise a browser in the Sessions list, no more kept. */
export function summarizeUserAgent(ua: string | undefined): string {
  if (!ua) return 'Unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl\//i.test(ua) ? 'curl' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null;
  return os ? `${browser} on ${os}` : browser;
}

async function sessionRow(personId: string, workspaceId: string, now: number, userAgent: string | undefined): Promise<{ token: string; row: SessionRow }> {
  const token = newSecretToken();
  return { token, row: { id: await sha256Hex(token), personId, workspaceId, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_IDLE_MS, userAgent: summarizeUserAgent(userAgent) } };
}

// One-time links

async function newLink(db: Db, kind: Invitation['kind'], workspaceId: string, role: Role, email: string | null, now: number, ttlMs: number, publicUrl: string): Promise<string> {
  const token = newSecretToken();
  await insertInvitation(db, { id: await sha256Hex(token), kind, workspaceId, role, email, createdAt: now, expiresAt: now + ttlMs, usedAt: null });
  return `${publicUrl}/app/${kind === 'setup' ? 'setup' : 'invite'}/${token}`;
}

/** The one-time setup link of a new workspace's owner (24 h): `…/app/setup/<token>`. */
export function createSetupLink(db: Db, input: { workspaceId: string; now: Date; publicUrl: string }): Promise<string> {
  return newLink(db, 'setup', input.workspaceId, 'owner', null, input.now.getTime(), SETUP_LINK_TTL_MS, input.publicUrl);
}

/** An invitation (7 days, once): `…/app/invite/<token>`. */
export function createInvite(db: Db, input: { workspaceId: string; email: string; role: Role; now: Date; publicUrl: string }): Promise<string> {
  return newLink(db, 'invite', input.workspaceId, input.role, normalizeEmail(input.email), input.now.getTime(), INVITE_TTL_MS, input.publicUrl);
}

export type LinkState = { state: 'open'; invitation: Invitation & { workspaceName: string }; existing: Person | null } | { state: 'unknown' | 'used' | 'expired' };

/** What a setup or invite link leads to; `existing` is the invited email's account, if it has one. */
export async function openLink(db: Db, kind: Invitation['kind'], token: string, now: Date): Promise<LinkState> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'unknown' };
  const invitation = await findInvitation(db, await sha256Hex(token));
  if (!invitation || invitation.kind !== kind) return { state: 'unknown' };
  if (invitation.usedAt !== null) return { state: 'used' };
  if (invitation.expiresAt <= now.getTime()) return { state: 'expired' };
  return { state: 'open', invitation, existing: invitation.email ? await findPersonByEmail(db, invitation.email) : null };
}

/**
 * Accepts an open link: a new person with the form's name and password, or (the email already has
 * an account) that person after checking their password. Returns the new session's token, or
 * null when the link was used or expired meanwhile.
 */
export async function acceptLink(
  db: Db,
  link: Extract<LinkState, { state: 'open' }>,
  form: { name: string; email?: string; password: string },
  context: { now: Date; userAgent: string | undefined; locale: AppLocale | null },
): Promise<string | null> {
  const now = context.now.getTime();
  const { invitation } = link;
  const email = invitation.email ?? normalizeEmail(form.email ?? '');
  const existing = link.existing ?? (invitation.email ? null : await findPersonByEmail(db, email));
  let newPerson: Person | null = null;
  let personId: string;
  if (existing) {
    // The email has an account: the link adds a workspace to it, for whoever knows its password.
    if (!(await verifyPassword(form.password, existing.passwordHash))) throw new FormProblem('password', invitation.email ? 'passwordWrong' : 'emailTaken');
    const workspaces = await listPersonWorkspaces(db, existing.id);
    if (workspaces.some((w) => w.id === invitation.workspaceId)) throw new FormProblem(invitation.email ? 'password' : 'email', 'alreadyMember');
    personId = existing.id;
  } else {
    const name = checkName(form.name);
    const password = checkNewPassword(form.password);
    newPerson = { id: newId('person'), email, name, passwordHash: await hashPassword(password), locale: context.locale, createdAt: now };
    personId = newPerson.id;
  }
  const { token, row } = await sessionRow(personId, invitation.workspaceId, now, context.userAgent);
  const accepted = await acceptInvitation(db, { invitationId: invitation.id, now, newPerson, personId, workspaceId: invitation.workspaceId, role: invitation.role, session: row });
  return accepted ? token : null;
}

// Signing in

export type SignInResult = { ok: true; token: string } | { ok: false; reason: 'credentials' | 'throttled' };

/**
 * Checks an email and password. An unknown email and a wrong password answer the same, after the
 * same work (a decoy hash is verified for an unknown email). Past 5 failures in 15 minutes the
 * email is refused without looking at the password. Every sign-in starts a new session with a new
 * token: a token planted before it (session fixation) is never the one signed in.
 */
export async function signIn(db: Db, input: { email: string; password: string; now: Date; userAgent: string | undefined }): Promise<SignInResult> {
  const now = input.now.getTime();
  const email = input.email.trim().toLowerCase().slice(0, EMAIL_MAX);
  if ((await countFailures(db, email, now - SIGN_IN_WINDOW_MS)) >= SIGN_IN_MAX_FAILURES) return { ok: false, reason: 'throttled' };
  const person = email ? await findPersonByEmail(db, email) : null;
  const password = input.password.slice(0, PASSWORD_MAX_LENGTH + 1);
  const matches = await verifyPassword(password, person?.passwordHash ?? (await decoyHash()));
  if (!person || !matches) {
    await recordFailure(db, email, now, now - SIGN_IN_WINDOW_MS);
    return { ok: false, reason: 'credentials' };
  }
  const workspaces = await listPersonWorkspaces(db, person.id);
  const first = workspaces[0];
  if (!first) {
    // An account that belongs to no workspace any more has nothing to open: the same answer.
    return { ok: false, reason: 'credentials' };
  }
  await clearFailures(db, email);
  const { token, row } = await sessionRow(person.id, first.id, now, input.userAgent);
  await insertSession(db, row);
  return { ok: true, token };
}

export interface SignedIn {
  token: string;
  session: SessionRow;
  person: Person;
  workspace: { id: string; name: string; role: Role };
}

/**
 * The session a cookie's token opens, or null. Pushes the idle expiry forward (at most once a
 * minute). When the person no longer belongs to the session's workspace, it moves to another of
 * theirs, or ends when there is none.
 */
export async function resumeSession(db: Db, token: string, now: Date): Promise<SignedIn | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = await sha256Hex(token);
  const at = now.getTime();
  const found = await findSession(db, id, at);
  if (!found || !timingSafeEqual(found.session.id, id)) return null;
  let workspace = found.role ? { id: found.session.workspaceId, name: found.workspaceName, role: found.role } : null;
  if (!workspace) {
    const other = (await listPersonWorkspaces(db, found.person.id))[0];
    if (!other) {
      await deleteSession(db, id);
      return null;
    }
    await setSessionWorkspace(db, id, other.id);
    workspace = other;
  }
  if (at - found.session.lastSeenAt >= TOUCH_EVERY_MS) await touchSession(db, id, at, at + SESSION_IDLE_MS);
  return { token, session: found.session, person: found.person, workspace };
}

/** Ends the session (sign-out): the token opens nothing afterwards, whoever holds a copy. */
export async function signOut(db: Db, token: string): Promise<void> {
  await deleteSession(db, await sha256Hex(token));
}

/** Changes the password after checking the current one; every other session of the person ends. */
export async function changePassword(db: Db, signedIn: SignedIn, current: string, next: string): Promise<void> {
  const person = await findPerson(db, signedIn.person.id);
  if (!person || !(await verifyPassword(current.slice(0, PASSWORD_MAX_LENGTH + 1), person.passwordHash))) throw new FormProblem('current', 'passwordWrong');
  checkNewPassword(next, 'password');
  await changePasswordHash(db, person.id, await hashPassword(next), signedIn.session.id);
}
