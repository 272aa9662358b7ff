import { escapeHtml } from '../lib/html';
import { type Locale, MESSAGES } from '../lib/i18n';
import type { ErrorCode } from '../lib/errors';
import { layout } from './layout';

type ErrorKey = keyof (typeof MESSAGES)['en']['errors'];

const PAGE_FOR_CODE: Partial<Record<ErrorCode, ErrorKey>> = {
  LINK_MALFORMED: 'invalidLink',
  LINK_UNKNOWN_KEY: 'invalidLink',
  BAD_REQUEST: 'invalidLink',
  LINK_EXPIRED: 'expired',
  SCORE_OUT_OF_RANGE: 'score',
  NOT_FOUND: 'notFound',
  SURVEY_NOT_FOUND: 'notFound',
  RESPONSE_NOT_FOUND: 'notFound',
  FORM_TOKEN_INVALID: 'form',
  FORM_MALFORMED: 'form',
  UNSUPPORTED_MEDIA_TYPE: 'form',
  PAYLOAD_TOO_LARGE: 'tooLarge',
  DB_UNAVAILABLE: 'unavailable',
  RATE_LIMITED: 'tooMany',
};

/** The friendly page a customer sees for an error: what happened and what to do, nothing technical. */
export function renderErrorPage(locale: Locale, code: ErrorCode, requestId: string): string {
  const text = MESSAGES[locale].errors[PAGE_FOR_CODE[code] ?? 'internal'];
  return layout(
    locale,
    text.title,
    `<div class="card" role="alert"><h1>${escapeHtml(text.title)}</h1><p>${escapeHtml(text.message)}</p><p class="muted">Ref. ${escapeHtml(requestId)}</p></div>`,
  );
}
