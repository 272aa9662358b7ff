import { isValidScore, type Scale, sentimentOf } from '../../schema/scales';
import { getResponseWithSurvey, type RecordedVote } from '../db/responses';
import { AppError } from '../lib/errors';
import { LinkTokenError, openLinkToken } from '../lib/link-token';
import type { RequestSignals } from '../lib/signals';
import type { ServiceDeps } from './deps';

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

/**
 * Records the click of a per-message link. Returns the response id for the thank-you page, and
 * whether webhook deliveries were queued (the caller starts them in the background).
 */
export async function recordClick(deps: ServiceDeps, token: string, scoreText: string, signals: RequestSignals): Promise<RecordedVote> {
  const claims = await openLink(deps, token);
  const score = parseScore(claims.scale, scoreText);
  const saved = await deps.db.$recordVote({
    workspaceId: claims.workspaceId,
    surveyId: claims.surveyId,
    scale: claims.scale,
    subject: claims.subject,
    recipient: claims.recipient,
    agent: claims.agent,
    score,
    sentiment: sentimentOf(claims.scale, score),
    signals,
    at: deps.clock().getTime(),
  });
  if (!saved) throw new AppError('SURVEY_NOT_FOUND', 'The survey of this link does not exist.');
  return saved;
}

/** Changes the answer from the thank-you page (the customer changed their mind). */
export async function changeAnswer(deps: ServiceDeps, responseId: string, scoreText: string, signals: RequestSignals): Promise<{ webhooksQueued: boolean }> {
  const found = await getResponseWithSurvey(deps.db, responseId);
  if (!found) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  const { response, survey } = found;
  const score = parseScore(survey.scale, scoreText);
  const saved = await deps.db.$recordVote({
    workspaceId: response.workspaceId,
    surveyId: response.surveyId,
    scale: survey.scale,
    subject: response.subject,
    recipient: response.recipient,
    agent: null,
    score,
    sentiment: sentimentOf(survey.scale, score),
    signals,
    at: deps.clock().getTime(),
  });
  return { webhooksQueued: saved?.webhooksQueued ?? false };
}
