import { createHmac } from 'node:crypto';
import type { KeyRing } from '../lib/key-ring';
import { type DeletedCounts, clearSignalsBefore, deleteResponses, findResponseIds, isSuppressed, type ResponseSelection, type SuppressionRow } from '../db/privacy';
import { followUpIdOfResponse } from '../db/followups';
import { getResponseContact } from '../db/signature-links';
import { AppError } from '../lib/errors';
import { classifyInteraction } from '../lib/classify';
import { verifyFormToken } from '../lib/form-token';
import type { RequestSignals } from '../lib/signals';
import type { ServiceDeps } from './deps';
import { getFollowUp } from './followups';
import { getResponseWithEvents } from './responses';
import { BROWSER_RECIPIENT_PREFIX, HINT_RECIPIENT_PREFIX } from './signature-links';

const DAY_MS = 86_400_000;
/** Rows one retention run touches at most, per kind: bounded work per timer tick or Cron run. */
export const RETENTION_BATCH = 500;
const MAX_EMAIL = 320; // RFC 5321 §4.5.3.1: 64 + 1 + 255

/**
 * The address as given and lower-cased: links store the recipient as the caller sent it, so an
 * erasure of `Ann@Example.com` must also find `ann@example.com` (and the reverse).
 */
export function emailForms(raw: string): string[] {
  const email = raw.trim();
  if (!isAddress(email)) throw new AppError('VALIDATION_FAILED', '"email" must be an email address (name@domain).', { field: 'email' });
  return [...new Set([email, email.toLowerCase()])];
}

function isAddress(email: string): boolean {
  return email.length > 0 && email.length <= MAX_EMAIL && !/\s/.test(email) && /^[^@]+@[^@]+$/.test(email);
}

const SUPPRESSION_LABEL = 'clickback suppressed-recipient v1';

/**
 * HMAC-SHA256 of the lower-cased address under a key derived from one link key (HMAC of a fixed
 * label), so the stored hash cannot be reversed by hashing a list of guesses without `LINK_KEYS`.
 *
 * `node:crypto`'s synchronous `createHmac` rather than WebCrypto: every click of a per-message link
 * hashes its recipient, and WebCrypto's promise round trips cost ~100 µs of a click (`npm run
 * bench`); workerd provides it under `nodejs_compat`. Same bytes as the WebCrypto version.
 */
function suppressionHash(secret: Uint8Array, email: string): string {
  return createHmac('sha256', derivedKey(secret)).update(email.toLowerCase(), 'utf8').digest('base64url');
}

/** The derived key per link key, computed once: a ring's secrets live as long as its config. */
const derivedKeys = new WeakMap<Uint8Array, Buffer>();
function derivedKey(secret: Uint8Array): Buffer {
  let key = derivedKeys.get(secret);
  if (!key) {
    key = createHmac('sha256', secret).update(SUPPRESSION_LABEL, 'utf8').digest();
    derivedKeys.set(secret, key);
  }
  return key;
}

/** The hashes of the address under every link key: a suppression made before a key rotation still matches. */
function suppressionHashes(keys: KeyRing, email: string): string[] {
  return keys.kids.map((kid) => suppressionHash(keys.find(kid)!, email));
}

/**
 * What a click's write needs to refuse a suppressed recipient (`VoteInput.suppression`): its
 * hashes under the first two link keys (a rotation keeps the previous key second), or null when
 * the recipient is not an address (`hint:` votes are checked by their address).
 */
export function voteSuppression(keys: KeyRing, recipient: string): [string, string | null] | null {
  const email = recipient.replace(/^hint:/, '').trim();
  if (!email.includes('@')) return null;
  const [first, second] = keys.kids;
  return [suppressionHash(keys.find(first!)!, email), second ? suppressionHash(keys.find(second)!, email) : null];
}

/** After a click's write created nothing: whether that is because its recipient is suppressed (read only then). */
export async function isSuppressedVote(deps: ServiceDeps, workspaceId: string, suppression: [string, string | null] | null | undefined): Promise<boolean> {
  if (!suppression) return false;
  return isSuppressed(deps.db, workspaceId, suppression.filter((hash): hash is string => hash !== null));
}

/**
 * Refuses a recipient the workspace was asked never to survey again (API `POST /links`, email
 * render, CLI): 409 RECIPIENT_SUPPRESSED. Recipients that are not addresses are never suppressed.
 */
export async function assertNotSuppressed(deps: ServiceDeps, workspaceId: string, recipient: string): Promise<void> {
  if (!recipient.includes('@')) return;
  if (await isSuppressed(deps.db, workspaceId, suppressionHashes(deps.config.linkKeys, recipient.trim()))) {
    throw new AppError('RECIPIENT_SUPPRESSED', 'This recipient asked not to be surveyed again (suppressed after an erasure); no link is made for it.');
  }
}

/** What an erasure removed, per kind (the API's `Erasure`). */
export type ErasureResult = DeletedCounts & { suppressed: boolean };

/**
 * Erasure (GDPR art. 17) of an address in one workspace: every response it answered through a
 * per-message link or a signature link's `hint:`, and every anonymous vote that left it as a
 * contact, with their events (and signals), contacts and webhook rows, in one atomic write. An
 * unknown address erases nothing and answers zeros: the answer must not tell whether a person
 * was ever surveyed any differently from a repeated erasure. With `suppress`, only a keyed hash
 * of the address stays, so new links for it are refused.
 */
export async function eraseRespondent(deps: ServiceDeps, workspaceId: string, rawEmail: string, options: { suppress: boolean }): Promise<ErasureResult> {
  const emails = emailForms(rawEmail);
  const suppress = options.suppress
    ? { workspaceId, hash: suppressionHash(deps.config.linkKeys.current.secret, emails[0]!), kid: deps.config.linkKeys.current.kid, at: deps.clock().getTime() }
    : null;
  return { ...(await removeResponses(deps, { by: 'recipient', workspaceId, recipients: emails }, suppress)), suppressed: suppress !== null };
}

/**
 * THE deletion of responses, whatever asks for it: erasure (API, CLI, team app), the customer's
 * "Delete my answer", response retention. One atomic write removes the responses and everything
 * they own (`deleteResponses`, whose `RESPONSE_OWNED_ROWS` is where rows added later join); then,
 * when anything went, `compact` (Node: a TRUNCATE checkpoint) so the erased bytes leave the WAL.
 */
async function removeResponses(deps: ServiceDeps, selection: ResponseSelection, suppress: SuppressionRow | null = null): Promise<DeletedCounts> {
  const deleted = await deleteResponses(deps.db, selection, suppress);
  if (deleted.responses + deleted.contacts > 0) await deps.compact?.();
  return deleted;
}

/**
 * Whose data the team app's "Erase this customer's data" on one response erases: an address (the
 * per-message link's recipient, a signature vote's `hint:`, or the contact an anonymous voter
 * left), a customer id given as a link's recipient, or nobody known (an anonymous vote that left no
 * address: then that response alone).
 */
export type ResponseCustomer = { kind: 'email'; email: string } | { kind: 'recipient'; recipient: string } | { kind: 'anonymous' };

/** The customer of a response of the workspace (reads the contact of an anonymous vote only). */
export async function customerOfResponse(deps: ServiceDeps, workspaceId: string, response: { id: string; recipient: string }): Promise<ResponseCustomer> {
  const { recipient } = response;
  if (!recipient.startsWith(BROWSER_RECIPIENT_PREFIX)) {
    const address = recipient.startsWith(HINT_RECIPIENT_PREFIX) ? recipient.slice(HINT_RECIPIENT_PREFIX.length) : recipient;
    return isAddress(address) ? { kind: 'email', email: address } : { kind: 'recipient', recipient };
  }
  const contact = await getResponseContact(deps.db, workspaceId, response.id);
  return contact?.email && isAddress(contact.email) ? { kind: 'email', email: contact.email } : { kind: 'anonymous' };
}

/**
 * The team app's erasure from one response (`customerOfResponse`): an address goes through
 * `eraseRespondent`, as the API and the CLI (with `suppress` if asked); a customer id erases every
 * response given to it; an anonymous vote, itself. Only an address can be suppressed.
 */
export async function eraseCustomer(deps: ServiceDeps, workspaceId: string, responseId: string, customer: ResponseCustomer, options: { suppress: boolean }): Promise<ErasureResult> {
  if (customer.kind === 'email') return eraseRespondent(deps, workspaceId, customer.email, options);
  const selection: ResponseSelection = customer.kind === 'recipient' ? { by: 'recipient', workspaceId, recipients: [customer.recipient] } : { by: 'id', responseId, workspaceId };
  return { ...(await removeResponses(deps, selection)), suppressed: false };
}

/**
 * Access (GDPR art. 15): everything the workspace stores about an address, as the API shows it:
 * each response with its history (every click with its request signals, comments, decisions),
 * the contact left on the thank-you page, the follow-up the team opened (with its notes and log),
 * and whether the address is suppressed.
 */
export async function exportRespondent(deps: ServiceDeps, workspaceId: string, rawEmail: string) {
  const emails = emailForms(rawEmail);
  const ids = await findResponseIds(deps.db, workspaceId, emails);
  const responses = [];
  for (const id of ids.sort()) {
    const response = await getResponseWithEvents(deps.db, workspaceId, id);
    const contact = await getResponseContact(deps.db, workspaceId, id);
    const followUpId = await followUpIdOfResponse(deps.db, workspaceId, id);
    // The customer's other responses are this export's other entries: not repeated per follow-up.
    const followUp = followUpId ? await getFollowUp(deps, workspaceId, followUpId).then(({ otherResponses: _others, ...rest }) => rest) : null;
    responses.push({ ...response, contact: contact ? { email: contact.email, ticket: contact.ticket, createdAt: new Date(contact.createdAt).toISOString() } : null, followUp });
  }
  const suppressed = await isSuppressed(deps.db, workspaceId, suppressionHashes(deps.config.linkKeys, emails[0]!));
  return { email: emails[0]!, exportedAt: deps.clock().toISOString(), suppressed, responses };
}

/** What one retention run did. */
export interface RetentionRun {
  /** Events whose request signals were cleared. */
  signalsCleared: number;
  /** Responses deleted (with what they own) by `RESPONSE_RETENTION_DAYS`; 0 when it is off. */
  responsesDeleted: number;
}

/**
 * One bounded retention run (the Node maintenance timer, the Workers Cron Trigger): clears the
 * signals of at most `RETENTION_BATCH` events older than `SIGNAL_RETENTION_DAYS`, and, when
 * `RESPONSE_RETENTION_DAYS` is set, deletes at most `RETENTION_BATCH` responses whose last activity
 * is older, through the same deletion as an erasure. A backlog drains over the following runs.
 */
export async function applyRetention(deps: ServiceDeps): Promise<RetentionRun> {
  const now = deps.clock().getTime();
  const { signalRetentionDays, responseRetentionDays } = deps.config;
  const signalsCleared = await clearSignalsBefore(deps.db, now - signalRetentionDays * DAY_MS, RETENTION_BATCH);
  const responsesDeleted =
    responseRetentionDays === null ? 0 : (await removeResponses(deps, { by: 'age', before: now - responseRetentionDays * DAY_MS, limit: RETENTION_BATCH })).responses;
  return { signalsCleared, responsesDeleted };
}

/**
 * The customer's "Delete my answer" (thank-you page, confirmation step): deletes the response and
 * everything it owns, through the same deletion as an erasure. Needs the confirmation step's
 * token (purpose `delete`, bound to the response). A request classified as a robot's
 * (`classifyInteraction`: a scanner network or agent, no user agent) deletes nothing: mail
 * scanners open pages and submit their forms, and one must never erase a person's answer; a
 * person whose browser looks like a robot's is told so and can ask the team instead.
 */
export async function deleteOwnAnswer(deps: ServiceDeps, responseId: string, formToken: string, signals: RequestSignals): Promise<{ deleted: boolean }> {
  if (!(await verifyFormToken(deps.config.formKeys, formToken, responseId, deps.clock(), 'delete'))) {
    throw new AppError('FORM_TOKEN_INVALID', 'The form has expired or was changed.');
  }
  if (classifyInteraction(signals)?.status === 'bot') return { deleted: false };
  const deleted = await removeResponses(deps, { by: 'id', responseId });
  return { deleted: deleted.responses > 0 };
}
