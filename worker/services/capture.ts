import { isSurveyArchived } from '../db/surveys';
import { isValidScore, type Scale, scaleAnswers, sentimentOf } from '../../schema/scales';
import { confirmClick, getResponseWithSurvey, isExcessVote, type RecordedVote, type VoteInput, type VoteOutcome } from '../db/responses';
import { type Classification, classifyClick, classifyInteraction } from '../lib/classify';
import { AppError, isDatabaseUnavailable } from '../lib/errors';
import { verifyFormToken } from '../lib/form-token';
import { isId } from '../lib/ids';
import { LinkTokenError, openLinkToken } from '../lib/link-token';
import type { RequestSignals } from '../lib/signals';
import type { ServiceDeps } from './deps';
import { settleWindows, type SettleWindows } from '../config';
import { isInternalRecipient } from './signature-links';
import { isQueuedClick, type QueuedClick, queueUnresolvedClick, queueVote } from './queued-votes';

/**
 * The capture path: a click on a face in an email becomes a stored response.
 * Idempotent: one response per (survey, subject, recipient), last answer wins, and the same click
 * twice writes nothing the second time.
 */

/** The largest score of any scale (NPS 0-10): what a click can be checked against without its scale. */
const MAX_SCORE = 10;

/**
 * Checks a score path segment against every scale at once, for a click queued before its link or
 * response (and so its scale) could be read: its consumer checks it against the real scale.
 */
export function checkPlausibleScore(text: string): void {
  if (!/^\d{1,2}$/.test(text) || Number(text) > MAX_SCORE) throw new AppError('SCORE_OUT_OF_RANGE', `The answer "${text.slice(0, 8)}" is not on the scale.`);
}

/** For a queued click: the score on its scale, or why the click can never be written. */
export function droppedOrScore(scale: Scale, text: string): number | { dropped: string } {
  try {
    return parseScore(scale, text);
  } catch (error) {
    if (error instanceof AppError) return { dropped: error.code };
    throw error;
  }
}

/** Parses the score path segment: digits only ("+3", "3.0", "03x" are not answers). */
export function parseScore(scale: Scale, text: string): number {
  const score = /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
  if (!isValidScore(scale, score)) throw new AppError('SCORE_OUT_OF_RANGE', `The answer "${text.slice(0, 8)}" is not on the ${scale} scale.`);
  return score;
}

/** Opens a link token, turning token failures into app errors (expired = 410, the rest = 400). */
export async function openLink(deps: ServiceDeps, token: string) {
  try {
    return await openLinkToken(deps.config.linkKeys, token, deps.clock());
  } catch (error) {
    if (error instanceof LinkTokenError) throw new AppError(error.code, error.message);
    throw error;
  }
}

/** Who a vote is for: the response's identity, and the agent to credit (null keeps the stored one). */
export interface VoteTarget {
  workspaceId: string;
  surveyId: string;
  scale: Scale;
  subject: string;
  recipient: string;
  agent: string | null;
  /** The link's segment properties (`link_properties`); null or absent keeps the stored ones. */
  propertiesId?: string | null;
}

/**
 * The write of one click, whatever link it came from: the answer with its sentiment, and the
 * click's classification (person, robot or pending) with what burst detection needs.
 */
export function voteInput(deps: ServiceDeps, target: VoteTarget, score: number, signals: RequestSignals): VoteInput {
  const { workspaceId, surveyId, scale, subject, recipient, agent } = target;
  return {
    workspaceId,
    surveyId,
    scale,
    subject,
    recipient,
    agent,
    propertiesId: target.propertiesId ?? null,
    score,
    sentiment: sentimentOf(scale, score),
    signals,
    classification: classifyClick(signals),
    answers: scaleAnswers(scale).length,
    at: deps.clock().getTime(),
    settle: settleWindows(deps.config),
  };
}

/**
 * Records the click of a per-message link. Returns the response id for the thank-you page, and
 * whether webhook deliveries were queued (the caller starts them in the background). When the
 * database cannot be reached and a vote queue is configured (Workers), the vote goes to the queue
 * and the outcome says `queued`: the token's claims are all the page needs. Everything that can
 * refuse a click (the token, the score) is checked before, so only a valid vote is ever queued.
 */
export async function recordClick(deps: ServiceDeps, token: string, scoreText: string, signals: RequestSignals): Promise<RecordedVote | QueuedClick> {
  const claims = await openLink(deps, token);
  // A link minted for an internal recipient before they were refused must not reach the response
  // of a signature vote's unsigned hint.
  if (isInternalRecipient(claims.recipient)) throw new AppError('LINK_MALFORMED', 'The link is damaged or was not made by this service.');
  const score = parseScore(claims.scale, scoreText);
  const saved = await writeOrQueue(deps, voteInput(deps, claims, score, signals));
  if (saved && isQueuedClick(saved)) return saved;
  // A per-message vote has no cap, so it is never excess: only a missing or archived survey writes nothing.
  if (!saved || isExcessVote(saved)) throw await surveyGone(deps, claims.surveyId);
  return saved;
}

/**
 * Why a vote wrote nothing: its survey is archived (410, the "this survey has closed" page, like a
 * disabled link) or does not exist (404). Asked only then, so a click stays one round trip.
 */
export async function surveyGone(deps: Pick<ServiceDeps, 'db'>, surveyId: string): Promise<AppError> {
  return (await isSurveyArchived(deps.db, surveyId))
    ? new AppError('LINK_EXPIRED', 'The survey of this link is archived.')
    : new AppError('SURVEY_NOT_FOUND', 'The survey of this link does not exist.');
}

/**
 * A vote's write (`upsertVotes`); when the database cannot be reached and a vote queue is
 * configured (Workers), the queue instead (`queueVote`). Any other failure is thrown as before.
 */
export async function writeOrQueue(deps: ServiceDeps, vote: VoteInput): Promise<VoteOutcome | QueuedClick> {
  try {
    return await deps.db.$recordVote(vote);
  } catch (error) {
    if (!deps.voteQueue || !isDatabaseUnavailable(error)) throw error;
    return queueVote({ voteQueue: deps.voteQueue, logError: deps.logError }, vote, error);
  }
}

/**
 * An answer change made while its response could not be read (the database was down): what the
 * queue consumer needs to build the vote later (`answerChangeFromQueue`), decided at click time.
 */
export interface QueuedAnswerChange {
  responseId: string;
  score: string;
  signals: RequestSignals;
  classification: Classification;
  at: number;
  settle: SettleWindows;
}

/**
 * Changes the answer from the thank-you page (the customer changed their mind). While the
 * database cannot be reached, a vote queue (Workers) takes the change, as it takes a click.
 */
export async function changeAnswer(deps: ServiceDeps, responseId: string, scoreText: string, signals: RequestSignals): Promise<{ webhooksQueued: boolean } | QueuedClick> {
  let found;
  try {
    found = await getResponseWithSurvey(deps.db, responseId);
  } catch (error) {
    if (!deps.voteQueue || !isDatabaseUnavailable(error)) throw error;
    checkPlausibleScore(scoreText);
    const change: QueuedAnswerChange = { responseId, score: scoreText, signals, classification: classifyClick(signals), at: deps.clock().getTime(), settle: settleWindows(deps.config) };
    return queueUnresolvedClick({ voteQueue: deps.voteQueue, logError: deps.logError }, { change }, error);
  }
  if (!found) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  const { response, survey } = found;
  const saved = await writeOrQueue(deps, voteInput(deps, { ...response, scale: survey.scale, agent: null }, parseScore(survey.scale, scoreText), signals));
  if (saved && isQueuedClick(saved)) return saved;
  return { webhooksQueued: saved !== null && !isExcessVote(saved) && saved.webhooksQueued };
}

/**
 * The vote of an answer change queued before its response could be read, built as the click would
 * have built it, at its own time; or why it can never be written (the response is gone, the score
 * is not on its scale). Throws when the database is still unreachable.
 */
export async function answerChangeFromQueue(deps: ServiceDeps, queued: QueuedAnswerChange): Promise<VoteInput | { dropped: string }> {
  const found = await getResponseWithSurvey(deps.db, queued.responseId);
  if (!found) return { dropped: 'RESPONSE_NOT_FOUND' };
  const { response, survey } = found;
  const score = droppedOrScore(survey.scale, queued.score);
  if (typeof score !== 'number') return score;
  const vote = voteInput({ ...deps, clock: () => new Date(queued.at) }, { ...response, scale: survey.scale, agent: null }, score, queued.signals);
  return { ...vote, classification: queued.classification, settle: queued.settle };
}

/** How a human interaction was seen on the thank-you page (stored in the event's reason). */
export const CONFIRM_VIA = ['pointerdown', 'touchstart', 'keydown', 'button'] as const;

/**
 * A human interaction on the thank-you page confirms the click the page showed. The form token
 * binds the confirmation to the response and to that click (`<response id>/<event id>`), so a
 * scanner's late replay of a page it loaded earlier can confirm at most that older click, which
 * never outranks a newer human answer. From a scanner network or agent it confirms nothing.
 */
export async function confirmAnswer(
  deps: ServiceDeps,
  input: { responseId: string; clickEventId: string; formToken: string; via: string; signals: RequestSignals },
): Promise<{ status: 'confirmed' | 'robot' | 'unchanged'; webhooksQueued: boolean }> {
  const { responseId, clickEventId, formToken, signals } = input;
  if (!isId('response', responseId)) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  if (!isId('event', clickEventId) || !(await verifyFormToken(deps.config.formKeys, formToken, `${responseId}/${clickEventId}`, deps.clock(), 'confirm'))) {
    throw new AppError('FORM_TOKEN_INVALID', 'The form token is missing, expired or not for this response.');
  }
  const via = (CONFIRM_VIA as readonly string[]).includes(input.via) ? input.via : 'button';
  const outcome = await confirmClick(deps.db, {
    responseId,
    clickEventId,
    via,
    signals,
    at: deps.clock().getTime(),
    robot: classifyInteraction(signals),
    settle: settleWindows(deps.config),
  });
  if (!outcome) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  return outcome;
}
