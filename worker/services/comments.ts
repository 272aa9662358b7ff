import { saveComment } from '../db/responses';
import { classifyInteraction } from '../lib/classify';
import { AppError } from '../lib/errors';
import { verifyFormToken } from '../lib/form-token';
import type { RequestSignals } from '../lib/signals';
import { COMMENT_MAX_LENGTH } from '../pages/thank-you';
import type { ServiceDeps } from './deps';
import { settleWindows } from '../config';

export type CommentProblem = 'commentEmpty' | 'commentTooLong';

/**
 * Normalises a comment to plain text: Unicode NFC, CRLF to LF, control characters removed (tabs
 * and newlines kept), trimmed. HTML stays as typed and is escaped wherever it is shown.
 */
export function normalizeComment(raw: string): { text: string; problem?: CommentProblem } {
  const text = raw
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u2028\u2029\ufeff]/g, '')
    .trim();
  if (!text) return { text, problem: 'commentEmpty' };
  if ([...text].length > COMMENT_MAX_LENGTH) return { text, problem: 'commentTooLong' };
  return { text };
}

/**
 * Checks the form token, then stores the (already normalised) comment with its event. A comment is
 * a human interaction: it confirms the response's last click, unless it comes from a scanner
 * network or agent (then it is kept in the history only, and the response does not change).
 */
export async function submitComment(deps: ServiceDeps, responseId: string, formToken: string, text: string, signals: RequestSignals): Promise<{ webhooksQueued: boolean }> {
  if (!(await verifyFormToken(deps.config.formKeys, formToken, responseId, deps.clock()))) {
    throw new AppError('FORM_TOKEN_INVALID', 'The form token is missing, expired or not for this response.');
  }
  const found = await saveComment(deps.db, responseId, text, signals, deps.clock().getTime(), {
    robot: classifyInteraction(signals),
    settle: settleWindows(deps.config),
  });
  if (!found) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
  return found;
}
