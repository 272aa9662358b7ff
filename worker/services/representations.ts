import type { ResponseEvent, ResponseRow } from '../db/responses';
import type { Survey } from '../db/surveys';
import { AppError } from '../lib/errors';
import { answerLabel } from '../lib/i18n';
import type { Scale } from '../../schema/scales';
import { fromBase64Url, toBase64Url, utf8 } from '../lib/encoding';

/** API representations: ids as strings, times as ISO 8601 (RFC 3339). */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function surveyJson(survey: Survey) {
  return {
    id: survey.id,
    name: survey.name,
    scale: survey.scale,
    question: survey.question,
    translations: survey.questionI18n,
    locale: survey.locale,
    createdAt: iso(survey.createdAt),
  };
}

export function responseJson(row: ResponseRow, scale: Scale) {
  return {
    id: row.id,
    survey: row.surveyId,
    subject: row.subject,
    recipient: row.recipient,
    agent: row.agent,
    score: row.score,
    label: answerLabel('en', scale, row.score).text,
    sentiment: row.sentiment,
    comment: row.comment,
    status: row.status,
    firstAnsweredAt: iso(row.firstAnsweredAt),
    lastAnsweredAt: iso(row.lastAnsweredAt),
    commentedAt: iso(row.commentedAt),
  };
}

export function eventJson(event: ResponseEvent) {
  return {
    id: event.id,
    kind: event.kind,
    score: event.score,
    at: iso(event.at),
    signals: {
      method: event.method,
      userAgent: event.userAgent,
      acceptLanguage: event.acceptLanguage,
      secFetch: event.secFetch ? (JSON.parse(event.secFetch) as Record<string, string>) : null,
      ipPrefix: event.ipPrefix,
      asn: event.asn,
      asOrganization: event.asOrganization,
      country: event.country,
    },
  };
}

/** Opaque page cursors: the position of the last row shown. */
export function encodeCursor(row: ResponseRow): string {
  return toBase64Url(utf8(JSON.stringify([row.firstAnsweredAt, row.id])));
}

export function decodeCursor(cursor: string): { firstAnsweredAt: number; id: string } {
  try {
    const [firstAnsweredAt, id] = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as unknown[];
    if (typeof firstAnsweredAt === 'number' && typeof id === 'string') return { firstAnsweredAt, id };
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is not valid: pass the "next" value of the previous page.');
}
