import type { ResponseEvent, ResponseRow } from '../db/responses';
import type { Survey } from '../db/surveys';
import type { DeliveryJob, DeliveryWithEvent, WebhookDelivery, WebhookEndpoint } from '../db/webhooks';
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
    // How this click or interaction was classified, and why (robots are kept, flagged).
    status: event.status,
    reason: event.reason,
    confirmedAt: iso(event.confirmedAt),
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

export function endpointJson(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    status: endpoint.status,
    pausedReason: endpoint.pausedReason,
    // The secret itself is shown once, when created or rotated.
    previousSecretExpiresAt: iso(endpoint.previousSecretExpiresAt),
    createdAt: iso(endpoint.createdAt),
    updatedAt: iso(endpoint.updatedAt),
  };
}

export function deliveryJson({ delivery, event }: DeliveryWithEvent) {
  return {
    id: delivery.id,
    endpoint: delivery.endpointId,
    event: { id: event.id, type: event.type, response: event.responseId, occurredAt: iso(event.occurredAt) },
    status: delivery.status,
    attempts: delivery.attempts,
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    lastResponse: delivery.lastResponse,
    // While a dispatcher holds it, this is when its claim runs out.
    nextAttemptAt: iso(delivery.nextAttemptAt),
    deliveredAt: iso(delivery.deliveredAt),
    createdAt: iso(delivery.createdAt),
  };
}

/**
 * The body of a webhook (Standard Webhooks shape: `type`, `timestamp`, `data`, plus our event
 * `id`). The answer (score, label, sentiment) is the one that caused the event, frozen in the
 * outbox; the comment is the event's own, or the latest one when the event has none, so a comment
 * typed before a retry rides along.
 */
export function webhookPayload(job: DeliveryJob) {
  const { event, response } = job;
  const base = { id: event.id, type: event.type, timestamp: iso(event.occurredAt) };
  if (!response) return { ...base, data: { endpoint: job.endpoint.id, message: 'This is a test ping from clickback.' } };
  const score = event.score ?? 0;
  return {
    ...base,
    data: {
      response: {
        id: response.id,
        status: response.status,
        survey: { id: response.survey.id, name: response.survey.name, scale: response.survey.scale, question: response.survey.question },
        score,
        label: answerLabel('en', response.survey.scale, score).text,
        sentiment: event.sentiment,
        comment: event.comment ?? response.comment,
        subject: response.subject,
        recipient: response.recipient,
        agent: response.agent,
        firstAnsweredAt: iso(response.firstAnsweredAt),
        lastAnsweredAt: iso(response.lastAnsweredAt),
      },
    },
  };
}

/** Opaque page cursors for deliveries. */
export function encodeDeliveryCursor(delivery: WebhookDelivery): string {
  return toBase64Url(utf8(JSON.stringify([delivery.createdAt, delivery.id])));
}

export function decodeDeliveryCursor(cursor: string): { createdAt: number; id: string } {
  const { firstAnsweredAt, id } = decodeCursor(cursor);
  return { createdAt: firstAnsweredAt, id };
}
