import { isValidScore, type Scale, scaleAnswers, sentimentOf } from '../../schema/scales';
import { confirmClick, getResponseWithSurvey, isExcessVote, type RecordedVote, type VoteInput } from '../db/responses';
import { classifyClick, classifyInteraction } from '../lib/classify';
import { isSuppressedVote, voteSuppression } from './privacy';
import { AppError } from '../lib/errors';
import { verifyFormToken } from '../lib/form-token';
import { isId } from '../lib/ids';
import { LinkTokenError, openLinkToken } from '../lib/link-token';
import type { RequestSignals } from '../lib/signals';
import type { ServiceDeps } from './deps';
import { settleWindows } from '../config';
import { isInternalRecipient } from './signature-links';

/**
 * The capture path: a click on a face in an email becomes a stored response.
 * Idempotent: one response per (survey, subject, recipient), last answer wins, and the same click
 * twice writes nothing the second time.
 */

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
 * whether webhook deliveries were queued (the caller starts them in the background); null when
 * the recipient is suppressed and nothing was recorded.
 */
export async function recordClick(deps: ServiceDeps, token: string, scoreText: string, signals: RequestSignals): Promise<RecordedVote | null> {
  const claims = await openLink(deps, token);
  // A link minted for an internal recipient before they were refused must not reach the response
  // of a signature vote's unsigned hint.
  if (isInternalRecipient(claims.recipient)) throw new AppError('LINK_MALFORMED', 'The link is damaged or was not made by this service.');
  const score = parseScore(claims.scale, scoreText);
  const vote = voteInput(deps, claims, score, signals);
  vote.suppression = await voteSuppression(deps.config.linkKeys, claims.recipient);
  const saved = await deps.db.$recordVote(vote);
  // A per-message vote has no cap, so it is never excess: only a missing survey, or a recipient
  // who asked never to be surveyed again, writes nothing.
  if (!saved || isExcessVote(saved)) {
    if (await isSuppressedVote(deps, claims.workspaceId, vote.suppression)) return null;
    throw new AppError('SURVEY_NOT_FOUND', 'The survey of this link does not exist.');
  }
  return saved;
}

/** Changes the answer from the thank-you page (the customer changed their mind). */
export async function changeAnswer(deps: ServiceDeps, responseId: string, scoreText: string, signals: RequestSignals): Promise<{ webhooksQueued: boolean }> {
  const found = await getResponseWithSurvey(deps.db, responseId);
  if (!found) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  const { response, survey } = found;
  const score = parseScore(survey.scale, scoreText);
  const saved = await deps.db.$recordVote(voteInput(deps, { ...response, scale: survey.scale, agent: null }, score, signals));
  return { webhooksQueued: saved !== null && !isExcessVote(saved) && saved.webhooksQueued };
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
