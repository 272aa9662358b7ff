import { isSuppressedVote } from './privacy';
import { type Scale, scaleAnswers } from '../../schema/scales';
import { settleWindows, type SettleWindows } from '../config';
import { EXCESS_VOTE, type ExcessVote, type RecordedVote, type VoteInput } from '../db/responses';
import { type Classification, classifyClick } from '../lib/classify';
import { deleteVoteCountsBefore, findOrCreateSignatureLink, getResponseOwner, getSignatureLink, listVoteCounts, getSignatureLinkWithSurvey, saveResponseContact, type SignatureLink } from '../db/signature-links';
import { verifyFormToken } from '../lib/form-token';
import { isId } from '../lib/ids';
import type { Survey } from '../db/surveys';
import { AppError, isDatabaseUnavailable } from '../lib/errors';
import type { HelpdeskPreset } from '../lib/helpdesk-presets';
import { randomBase32 } from '../lib/ids';
import type { RequestSignals } from '../lib/signals';
import { signSignatureLinkId, verifySignatureLinkToken } from '../lib/signature-token';
import { checkPlausibleScore, droppedOrScore, parseScore, surveyGone, voteInput, writeOrQueue } from './capture';
import type { ServiceDeps } from './deps';
import { type QueuedClick, queueUnresolvedClick } from './queued-votes';

/**
 * Signature links (`/s/<token>/<score>?t=…&e=…`): one link per (survey, agent), pasted into a
 * signature or a macro. The helpdesk may substitute the ticket ref (`t`) and the requester's email
 * (`e`) when it sends. Those parameters are unsigned: they are identity hints, never proof, and
 * a value still holding its placeholder (`{{ticket.id}}`) counts as absent.
 */

/** Query parameter names: one letter each, to keep the link short. */
export const HINT_PARAMS = { ticket: 't', email: 'e' } as const;

export interface SignatureLinkSet {
  link: SignatureLink;
  /** One URL per answer, placeholders as the preset wants them (not percent-encoded). */
  urls: { score: number; url: string }[];
}

/** The (reused or new) signature link of (survey, agent) and its URL per answer for a preset. */
export async function signatureLinkUrls(deps: ServiceDeps, survey: Survey, agent: string | null, preset: HelpdeskPreset): Promise<SignatureLinkSet> {
  const link = await findOrCreateSignatureLink(deps.db, survey, agent, deps.clock());
  const token = await signSignatureLinkId(deps.config.linkKeys, link.id);
  // Placeholders go in verbatim: the helpdesk looks for its exact syntax in the href.
  const query = [
    preset.placeholders.ticket ? `${HINT_PARAMS.ticket}=${preset.placeholders.ticket}` : '',
    preset.placeholders.email ? `${HINT_PARAMS.email}=${preset.placeholders.email}` : '',
  ]
    .filter(Boolean)
    .join('&');
  const base = `${deps.config.publicUrl}/s/${token}`;
  return { link, urls: scaleAnswers(link.scale).map((score) => ({ score, url: `${base}/${score}${query ? `?${query}` : ''}` })) };
}

/** True when a value is still a helpdesk placeholder (Liquid/Handlebars `{{…}}`, Help Scout `{%…%}`). */
export function isPlaceholder(value: string): boolean {
  return /\{\{|\}\}|\{%|%\}/.test(value);
}

/** A hint as usable identity, or null when absent, unsubstituted, too long or not plausible. */
export function readHints(query: { ticket?: string | undefined; email?: string | undefined }): { ticket: string | null; email: string | null } {
  const clean = (value: string | undefined, max: number) => {
    const text = value?.trim() ?? '';
    // eslint-disable-next-line no-control-regex
    if (!text || text.length > max || isPlaceholder(text) || /[\u0000-\u001f\u007f]/.test(text)) return null;
    return text;
  };
  const ticket = clean(query.ticket, 200);
  // A "+" in an unencoded address arrives as a space (application/x-www-form-urlencoded).
  const email = clean(query.email?.replace(/ /g, '+'), 320)?.toLowerCase() ?? null;
  return { ticket, email: email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null };
}

/** The recipient of an anonymous signature vote: the browser (see `recordSignatureClick`). */
export const BROWSER_RECIPIENT_PREFIX = 'browser:';
/**
 * The recipient of a signature vote whose email came from a helpdesk placeholder. The hint is
 * unsigned (anyone can type any email into the URL), so it lives in its own namespace: it can never
 * land on, and overwrite, the response of a signed per-message link for the same ticket and email.
 */
export const HINT_RECIPIENT_PREFIX = 'hint:';

/**
 * True for a recipient in a namespace the service writes itself (`hint:`, `browser:`), in any case.
 * The subject needs no such rule: a signature response is always told apart by its recipient.
 */
export function isInternalRecipient(recipient: string): boolean {
  const lower = recipient.trimStart().toLowerCase();
  return lower.startsWith(HINT_RECIPIENT_PREFIX) || lower.startsWith(BROWSER_RECIPIENT_PREFIX);
}

/**
 * Refuses an internal recipient for a per-message link (`POST /api/v1/links`, the email render,
 * the CLI): a signed link for `hint:ann@example.com` would land on the response that anyone can
 * reach by typing that email into a signature link's unsigned hint, and overwrite it.
 */
export function assertPublicRecipient(recipient: string): void {
  if (isInternalRecipient(recipient)) {
    throw new AppError('VALIDATION_FAILED', `"recipient" must not start with "${HINT_RECIPIENT_PREFIX}" or "${BROWSER_RECIPIENT_PREFIX}": the service uses them for signature-link votes.`, { field: 'recipient' });
  }
}

/** True for a response made by an anonymous signature-link vote (no email, no ticket known). */
export function isAnonymousSignatureVote(response: { recipient: string }): boolean {
  return response.recipient.startsWith(BROWSER_RECIPIENT_PREFIX);
}

/**
 * What an anonymous voter typed on the thank-you page: an email when it looks like one, otherwise
 * a ticket number; null when empty or implausible.
 */
export function parseContact(text: string): { email: string | null; ticket: string | null } | null {
  const value = text.trim();
  // eslint-disable-next-line no-control-regex
  if (!value || /[\u0000-\u001f\u007f]/.test(value)) return null;
  if (value.includes('@')) return value.length <= 320 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? { email: value.toLowerCase(), ticket: null } : null;
  return value.length <= 100 ? { email: null, ticket: value } : null;
}

/** A new browser id for the first-party cookie of anonymous signature votes (100 bits). */
export function newBrowserId(): string {
  return randomBase32(100);
}

/** Opens a signature-link token: the row and its survey, or an error page-worthy AppError. */
export async function openSignatureLink(deps: ServiceDeps, token: string) {
  const id = await verifySignatureLinkToken(deps.config.linkKeys, token);
  if (!id) throw new AppError('LINK_MALFORMED', 'The link is damaged or was not made by this service.');
  return openSignatureLinkById(deps, id);
}

/** The signature link with this (verified) id and its survey, or an error page-worthy AppError. */
async function openSignatureLinkById(deps: ServiceDeps, id: string) {
  const found = await getSignatureLinkWithSurvey(deps.db, id);
  if (!found) throw new AppError('SURVEY_NOT_FOUND', 'The survey of this link does not exist.');
  // A disabled link reads to the customer like a closed survey.
  if (found.link.disabledAt !== null) throw new AppError('LINK_EXPIRED', 'This link was disabled.');
  if (found.survey.archivedAt !== null) throw new AppError('LINK_EXPIRED', 'The survey of this link is archived.');
  return found;
}

export interface SignatureClick {
  token: string;
  score: string;
  hints: { ticket?: string | undefined; email?: string | undefined };
  /** The browser's id from its cookie (or a new one): the identity when there are no hints. */
  browserId: string;
  /** The browser presented `browserId` in its cookie (a new id has no history to cap). */
  knownBrowser: boolean;
  signals: RequestSignals;
}

const DAY_MS = 86_400_000;

/**
 * How many UTC days of per-source vote counters are kept (today included). The caps need only
 * today's; the days before stay as evidence of who tried to stuff which link, then go.
 */
export const VOTE_EVIDENCE_DAYS = 30;

/**
 * Prunes vote counters older than `VOTE_EVIDENCE_DAYS` (the Node maintenance timer, the Workers
 * Cron Trigger). Returns how many rows went.
 */
export async function pruneVoteEvidence(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<number> {
  const today = Math.floor(deps.clock().getTime() / DAY_MS);
  return deleteVoteCountsBefore(deps.db, today - VOTE_EVIDENCE_DAYS + 1);
}

/** What one source did through a signature link on one UTC day. */
export interface VoteSource {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** `net:<ip prefix>` or `browser:<cookie id>`. */
  source: string;
  /** Responses it created (at most the cap). */
  responses: number;
  /** Clicks refused beyond the cap (networks only), and when the first and last came (ISO 8601). */
  excess: number;
  firstExcessAt: string | null;
  lastExcessAt: string | null;
}

/**
 * The per-source counts of a signature link of this workspace over the evidence window, newest
 * day first: who voted through it, and who tried to stuff it (the CLI's `signature-link sources`).
 */
export async function listVoteSources(deps: Pick<ServiceDeps, 'db'>, workspaceId: string, linkId: string): Promise<{ link: string; data: VoteSource[] }> {
  if (!isId('signatureLink', linkId) || !(await getSignatureLink(deps.db, workspaceId, linkId))) throw new AppError('NOT_FOUND', 'No signature link with this id in your workspace.');
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const rows = await listVoteCounts(deps.db, linkId);
  return {
    link: linkId,
    data: rows.map((row) => ({
      day: new Date(row.day * DAY_MS).toISOString().slice(0, 10),
      source: row.source,
      responses: row.responses,
      excess: row.excess,
      firstExcessAt: iso(row.firstExcessAt),
      lastExcessAt: iso(row.lastExcessAt),
    })),
  };
}

/** A recorded signature vote, or one refused by its source's daily cap; `anonymous` either way. */
export type SignatureClickOutcome = (RecordedVote | ExcessVote | QueuedClick) & { anonymous: boolean };

/**
 * A signature-link click made while its link could not be read (the database was down): what the
 * queue consumer needs to build the vote once it can read the link (`signatureVoteFromQueue`).
 * Everything that depends on the moment of the click is decided then and kept here: the hints,
 * the browser, the signals and their classification, the click time, the settle windows and caps.
 */
export interface QueuedSignatureClick {
  linkId: string;
  score: string;
  ticket: string | null;
  email: string | null;
  browserId: string;
  knownBrowser: boolean;
  signals: RequestSignals;
  classification: Classification;
  at: number;
  settle: SettleWindows;
  perNetwork: number;
  perBrowser: number;
}

/** Who clicked a signature link: the identity hints and the browser. */
type SignatureVoter = Pick<QueuedSignatureClick, 'ticket' | 'email' | 'browserId' | 'knownBrowser' | 'signals'>;

/**
 * The write of a signature-link vote. The response is keyed like any other by (survey, subject,
 * recipient): subject = the ticket hint or the link itself, recipient = the email hint (as
 * `hint:<email>`) or the browser. A new response is capped per source and UTC day (`SignatureCap`).
 */
function signatureVote(deps: ServiceDeps, link: Pick<SignatureLink, 'id' | 'workspaceId' | 'surveyId' | 'agent'> & { scale: Scale }, who: SignatureVoter, score: number): VoteInput {
  // The same write, and the same bot detection, as per-message clicks: signatures meet the same link scanners.
  const vote = voteInput(
    deps,
    {
      workspaceId: link.workspaceId,
      surveyId: link.surveyId,
      scale: link.scale,
      subject: who.ticket ?? `signature:${link.id}`,
      recipient: who.email ? `${HINT_RECIPIENT_PREFIX}${who.email}` : `${BROWSER_RECIPIENT_PREFIX}${who.browserId}`,
      agent: link.agent,
    },
    score,
    who.signals,
  );
  vote.cap = {
    linkId: link.id,
    day: Math.floor(vote.at / DAY_MS),
    network: `net:${who.signals.ipPrefix ?? 'unknown'}`,
    browser: who.knownBrowser ? `${BROWSER_RECIPIENT_PREFIX}${who.browserId}` : null,
    perNetwork: deps.config.signatureVotesPerNetwork,
    perBrowser: deps.config.signatureVotesPerBrowser,
  };
  return vote;
}

/**
 * Records a signature-link vote. So a helpdesk-substituted link gives one response per ticket and
 * requester, and an anonymous one gives one response per browser. Returns the vote and whether it
 * was anonymous.
 *
 * The link is public and the hints are unsigned, so a new response is also capped per source and
 * UTC day (`SignatureCap`: `SIGNATURE_VOTES_PER_NETWORK`, `SIGNATURE_VOTES_PER_BROWSER`); beyond
 * the cap the click is only counted as excess evidence and the outcome says `excess`.
 *
 * When the database cannot be reached and a vote queue is configured (Workers), the click is
 * queued (`queued-votes.ts`): as a whole vote when only the write failed, or as the click itself
 * when the link could not even be read (the consumer reads it later). Its score can then only be
 * checked against the widest scale; a score off the link's own scale is dropped (and logged) by the
 * consumer, as the hand-edited URL it comes from deserves.
 */
export async function recordSignatureClick(deps: ServiceDeps, click: SignatureClick): Promise<SignatureClickOutcome> {
  const linkId = await verifySignatureLinkToken(deps.config.linkKeys, click.token);
  if (!linkId) throw new AppError('LINK_MALFORMED', 'The link is damaged or was not made by this service.');
  const { ticket, email } = readHints(click.hints);
  const anonymous = !ticket && !email;
  const who: SignatureVoter = { ticket, email, browserId: click.browserId, knownBrowser: click.knownBrowser, signals: click.signals };
  let found;
  try {
    found = await openSignatureLinkById(deps, linkId);
  } catch (error) {
    if (!deps.voteQueue || !isDatabaseUnavailable(error)) throw error;
    checkPlausibleScore(click.score);
    const signature: QueuedSignatureClick = {
      linkId,
      score: click.score,
      ...who,
      classification: classifyClick(click.signals),
      at: deps.clock().getTime(),
      settle: settleWindows(deps.config),
      perNetwork: deps.config.signatureVotesPerNetwork,
      perBrowser: deps.config.signatureVotesPerBrowser,
    };
    return { ...(await queueUnresolvedClick({ voteQueue: deps.voteQueue, logError: deps.logError }, { signature }, error)), anonymous };
  }
  const { link } = found;
  const vote = signatureVote(deps, link, who, parseScore(link.scale, click.score));
  const saved = await writeOrQueue(deps, vote);
  if (!saved) {
    // A suppressed address recorded nothing: the same plain thanks as a vote beyond the cap.
    if (await isSuppressedVote(deps, link.workspaceId, vote.suppression)) return { ...EXCESS_VOTE, anonymous };
    throw await surveyGone(deps, link.surveyId);
  }
  return { ...saved, anonymous };
}

/**
 * The vote of a signature click that was queued before its link could be read, built as the
 * click would have built it, at its own time; or why it can never be written (the link is gone
 * or disabled, the score is not on its scale). Throws when the database is still unreachable.
 */
export async function signatureVoteFromQueue(deps: ServiceDeps, queued: QueuedSignatureClick): Promise<VoteInput | { dropped: string }> {
  let found;
  try {
    found = await openSignatureLinkById(deps, queued.linkId);
  } catch (error) {
    if (error instanceof AppError) return { dropped: error.code };
    throw error;
  }
  const { link } = found;
  const score = droppedOrScore(link.scale, queued.score);
  if (typeof score !== 'number') return score;
  const vote = signatureVote({ ...deps, clock: () => new Date(queued.at) }, link, queued, score);
  vote.classification = queued.classification;
  vote.settle = queued.settle;
  vote.cap = { ...vote.cap!, perNetwork: queued.perNetwork, perBrowser: queued.perBrowser };
  return vote;
}

/**
 * Stores the email or ticket number an anonymous voter typed on the thank-you page. The form
 * token proves they came from that response's page; the value itself stays a hint, kept next to
 * the response rather than changing its identity. Returns false when the text is not usable.
 */
export async function saveContact(deps: ServiceDeps, responseId: string, formToken: string, text: string): Promise<boolean> {
  if (!isId('response', responseId)) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  if (!(await verifyFormToken(deps.config.formKeys, formToken, responseId, deps.clock()))) {
    throw new AppError('FORM_TOKEN_INVALID', 'The form token is missing, expired or not for this response.');
  }
  const owner = await getResponseOwner(deps.db, responseId);
  if (!owner || !isAnonymousSignatureVote(owner)) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  const contact = parseContact(text);
  if (!contact) return false;
  await saveResponseContact(deps.db, { responseId, workspaceId: owner.workspaceId, ...contact, createdAt: deps.clock().getTime() });
  return true;
}
