import type { ResponseEvent, ResponseRow } from '../db/responses';
import type { Survey } from '../db/surveys';
import type { DeliveryJob, DeliveryWithEvent, WebhookDelivery, WebhookEndpoint } from '../db/webhooks';
import { AppError } from '../lib/errors';
import { answerLabel, isLocale } from '../lib/i18n';
import type { Scale } from '../../schema/scales';
import { PING_EVENT_TYPE } from '../../schema/webhooks';
import { storedProperties } from './link-properties';
import { fromBase64Url, toBase64Url, utf8 } from '../lib/encoding';
import type { DeliveryJson, FeedbackEventJson, PingEventJson, ResponseEventJson, ResponseJson, SurveyJson, WebhookEndpointJson } from './schemas';

/**
 * API representations: ids as strings, times as ISO 8601 (RFC 3339). Each is typed by its zod
 * schema (`schemas.ts`), the one the OpenAPI document and the contract tests check answers with.
 */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const at = (ms: number) => new Date(ms).toISOString();

export function surveyJson(survey: Survey): SurveyJson {
  return {
    id: survey.id,
    name: survey.name,
    scale: survey.scale,
    question: survey.question,
    translations: survey.questionI18n,
    locale: isLocale(survey.locale) ? survey.locale : null,
    createdAt: at(survey.createdAt),
    archivedAt: survey.archivedAt === null ? null : at(survey.archivedAt),
  };
}

/** A response as the API shows it; `properties` is its link's stored set (`link_properties.properties`), if any. */
export function responseJson(row: ResponseRow, scale: Scale, properties: string | null = null): ResponseJson {
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
    properties: storedProperties(properties),
    firstAnsweredAt: at(row.firstAnsweredAt),
    lastAnsweredAt: at(row.lastAnsweredAt),
    commentedAt: iso(row.commentedAt),
  };
}

export function eventJson(event: ResponseEvent): ResponseEventJson {
  return {
    id: event.id,
    kind: event.kind,
    score: event.score,
    at: at(event.at),
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

export function endpointJson(endpoint: WebhookEndpoint): WebhookEndpointJson {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    status: endpoint.status,
    pausedReason: endpoint.pausedReason,
    // The secret itself is shown once, when created or rotated.
    previousSecretExpiresAt: iso(endpoint.previousSecretExpiresAt),
    createdAt: at(endpoint.createdAt),
    updatedAt: at(endpoint.updatedAt),
  };
}

export function deliveryJson({ delivery, event }: DeliveryWithEvent): DeliveryJson {
  return {
    id: delivery.id,
    endpoint: delivery.endpointId,
    event: { id: event.id, type: event.type, response: event.responseId, occurredAt: at(event.occurredAt) },
    status: delivery.status,
    attempts: delivery.attempts,
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    lastResponse: delivery.lastResponse,
    // While a dispatcher holds it, this is when its claim runs out.
    nextAttemptAt: iso(delivery.nextAttemptAt),
    deliveredAt: iso(delivery.deliveredAt),
    createdAt: at(delivery.createdAt),
  };
}

/**
 * The body of a webhook (Standard Webhooks shape: `type`, `timestamp`, `data`, plus our event
 * `id`). The answer (score, label, sentiment) is the one that caused the event, frozen in the
 * outbox; the comment is the event's own, or the latest one when the event has none, so a comment
 * typed before a retry rides along.
 */
export function webhookPayload(job: DeliveryJob): FeedbackEventJson | PingEventJson {
  const { event, response } = job;
  const base = { id: event.id, timestamp: at(event.occurredAt) };
  if (!response) return { ...base, type: PING_EVENT_TYPE, data: { endpoint: job.endpoint.id, message: 'This is a test ping from clickback.' } };
  const score = event.score ?? 0;
  return {
    ...base,
    type: event.type as FeedbackEventJson['type'],
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
        properties: storedProperties(response.properties),
        firstAnsweredAt: at(response.firstAnsweredAt),
        lastAnsweredAt: at(response.lastAnsweredAt),
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
