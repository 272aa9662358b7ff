import type { ResponseEvent, ResponseRow } from '../db/responses';
import type { Survey } from '../db/surveys';
import type { DeliveryJob, DeliveryWithEvent, WebhookDelivery, WebhookEndpoint } from '../db/webhooks';
import { AppError } from '../lib/errors';
import { answerLabel, isLocale } from '../lib/i18n';
import type { Scale } from '../../schema/scales';
import { PING_EVENT_TYPE } from '../../schema/webhooks';
import { storedProperties } from './link-properties';
import { fromBase64Url, toBase64Url, utf8 } from '../lib/encoding';
import type { DeliveryJson, FeedbackEventJson, FollowUpEventJson, PingEventJson, ResponseEventJson, ResponseJson, SlackMessageJson, SurveyJson, WebhookEndpointJson } from './schemas';

/**
 * API representations: ids as strings, times as ISO 8601 (RFC 3339). Each is typed by its zod
 * schema (`schemas.ts`), the one the OpenAPI document and the contract tests check answers with.
 */
export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
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
    followUps: survey.followUps,
    reviewUrl: survey.reviewUrl,
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

/** Opaque page cursors: the position of the last row shown, as its sort key (a number) and id. */
export function encodeKeyCursor(key: number, id: string): string {
  return toBase64Url(utf8(JSON.stringify([key, id])));
}

/** The position an `encodeKeyCursor` cursor holds; VALIDATION_FAILED (with `details`) for anything else. */
export function decodeKeyCursor(cursor: string, details?: Record<string, unknown>): { key: number; id: string } {
  try {
    const [key, id] = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as unknown[];
    if (typeof key === 'number' && typeof id === 'string') return { key, id };
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is not valid: pass the "next" value of the previous page.', details);
}

export function encodeCursor(row: ResponseRow): string {
  return encodeKeyCursor(row.firstAnsweredAt, row.id);
}

export function decodeCursor(cursor: string): { firstAnsweredAt: number; id: string } {
  const { key, id } = decodeKeyCursor(cursor);
  return { firstAnsweredAt: key, id };
}

export function endpointJson(endpoint: WebhookEndpoint): WebhookEndpointJson {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    format: endpoint.format,
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
 * typed before a retry rides along. A `followup.*` event also carries the follow-up as it stands
 * when sent, with its page in the team app (`publicUrl`).
 */
export function webhookPayload(job: DeliveryJob, publicUrl: string): FeedbackEventJson | FollowUpEventJson | PingEventJson {
  const { event, response } = job;
  const base = { id: event.id, timestamp: at(event.occurredAt) };
  if (!response) return { ...base, type: PING_EVENT_TYPE, data: { endpoint: job.endpoint.id, message: 'This is a test ping from clickback.' } };
  const score = event.score ?? 0;
  const data = {
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
  };
  if (job.followUp && event.type.startsWith('followup.')) {
    const { followUp } = job;
    return {
      ...base,
      type: event.type as FollowUpEventJson['type'],
      data: { ...data, followUp: { id: followUp.id, status: followUp.status, priority: followUp.priority, owner: followUp.owner, dueAt: at(followUp.dueAt), url: followUpUrl(publicUrl, followUp.id) } },
    };
  }
  return { ...base, type: event.type as FeedbackEventJson['type'], data };
}

/** A follow-up's page in the team app. */
export function followUpUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/$/, '')}/app/follow-ups/${id}`;
}

/** Slack's mrkdwn: `&`, `<` and `>` are escaped, as Slack asks (https://api.slack.com/reference/surfaces/formatting#escaping). */
const slackText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const SLACK_HEADLINES: Record<string, string> = {
  'feedback.negative': 'Negative feedback',
  'feedback.created': 'New feedback',
  'feedback.updated': 'Feedback changed',
  'feedback.commented': 'New comment on feedback',
  'followup.created': 'New follow-up',
  'followup.assigned': 'Follow-up assigned',
  'followup.resolved': 'Follow-up resolved',
  'followup.overdue': 'Follow-up overdue',
  [PING_EVENT_TYPE]: 'Test message',
};

/**
 * The Slack message of an event, for an endpoint of format `slack` (a Slack incoming webhook):
 * `text`, the notification's fallback, and `blocks` with the answer, the comment, the customer and
 * ticket, and for a follow-up its owner, due time and a button to it in the team app. What the
 * customer typed is escaped, so a comment cannot mention `@channel` or fake a link.
 */
export function slackMessage(payload: FeedbackEventJson | FollowUpEventJson | PingEventJson): SlackMessageJson {
  const headline = SLACK_HEADLINES[payload.type] ?? payload.type;
  if (payload.type === PING_EVENT_TYPE) {
    return { text: `clickback: ${payload.data.message}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: slackText(payload.data.message) } }] };
  }
  const { response } = payload.data;
  const answer = `${response.score} (${response.label})`;
  const fields = [
    { type: 'mrkdwn', text: `*Answer*\n${slackText(answer)}` },
    { type: 'mrkdwn', text: `*Survey*\n${slackText(response.survey.name)}` },
    { type: 'mrkdwn', text: `*Customer*\n${slackText(response.recipient)}` },
    { type: 'mrkdwn', text: `*Ticket*\n${slackText(response.subject)}` },
  ];
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: headline } }, { type: 'section', fields }];
  if (response.comment) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Comment*\n>${slackText(response.comment).replace(/\n/g, '\n>')}` } });
  let text = `${headline}: ${answer} from ${response.recipient} (ticket ${response.subject})`;
  if ('followUp' in payload.data) {
    const { followUp } = payload.data;
    const owner = followUp.owner ? `${followUp.owner.name} (${followUp.owner.email})` : 'unassigned';
    fields.push(
      { type: 'mrkdwn', text: `*Owner*\n${slackText(owner)}` },
      { type: 'mrkdwn', text: `*Priority*\n${followUp.priority}, due ${followUp.dueAt}` },
    );
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the follow-up' }, url: followUp.url }] });
    text += `, owner ${owner}: ${followUp.url}`;
  }
  return { text: slackText(text), blocks };
}

/** Opaque page cursors for deliveries. */
export function encodeDeliveryCursor(delivery: WebhookDelivery): string {
  return toBase64Url(utf8(JSON.stringify([delivery.createdAt, delivery.id])));
}

export function decodeDeliveryCursor(cursor: string): { createdAt: number; id: string } {
  const { firstAnsweredAt, id } = decodeCursor(cursor);
  return { createdAt: firstAnsweredAt, id };
}
