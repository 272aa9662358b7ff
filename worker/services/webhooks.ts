import { ENDPOINT_FORMATS, ENDPOINT_STATUSES, type EndpointFormat, type EndpointStatus, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../schema/webhooks';
import type { Db } from '../db';
import {
  deleteEndpoint,
  type EndpointPatch,
  getDelivery,
  getEndpoint,
  getEvent,
  insertDelivery,
  insertEndpoint,
  insertPing,
  listDeliveries,
  listEndpoints,
  retryDelivery,
  updateEndpoint,
  type WebhookEndpoint,
} from '../db/webhooks';
import { toBase64 } from '../lib/encoding';
import { AppError } from '../lib/errors';
import { stringField } from '../lib/fields';
import { isId } from '../lib/ids';
import { checkWebhookUrl, UnsafeUrlError } from '../lib/url-safety';
import type { Dispatcher } from './deliver';
import { decodeDeliveryCursor, deliveryJson, encodeDeliveryCursor, endpointJson } from './representations';

/**
 * Managing webhook endpoints, shared by the API (`routes/api/webhooks.ts`) and the CLI: register
 * with a generated secret (shown once), change, pause and resume, rotate the secret, ping, list
 * deliveries, retry one and replay an event.
 */
export interface WebhookServiceDeps {
  db: Db;
  clock: () => Date;
  config: { allowInsecureWebhooks: boolean };
  dispatcher: Dispatcher;
}

export const DEFAULT_EVENTS: WebhookEventType[] = ['feedback.negative'];
/** After a rotation the old secret keeps signing this long, so receivers can switch without losing a message. */
export const SECRET_GRACE_MS = 24 * 3_600_000;
const MAX_URL_LENGTH = 2048;
const MAX_DESCRIPTION_LENGTH = 500;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function parseUrl(deps: WebhookServiceDeps, value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new AppError('VALIDATION_FAILED', '"url" is required: the https URL to POST events to.', { field: 'url' });
  if (value.length > MAX_URL_LENGTH) throw new AppError('VALIDATION_FAILED', `"url" must be at most ${MAX_URL_LENGTH} characters.`, { field: 'url' });
  try {
    return checkWebhookUrl(value.trim(), { allowInsecure: deps.config.allowInsecureWebhooks });
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new AppError('VALIDATION_FAILED', `"url" is not allowed: ${error.message}.`, { field: 'url' });
    throw error;
  }
}

/** A free-text note about the endpoint: 1 to 500 characters, or null to clear it on a change. */
function parseDescription(value: unknown): string | null | undefined {
  return value === null ? null : stringField({ description: value }, 'description', MAX_DESCRIPTION_LENGTH);
}

export function parseEvents(value: unknown): WebhookEventType[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((type) => !(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(type))) {
    throw new AppError('VALIDATION_FAILED', `"events" must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}.`, { field: 'events' });
  }
  return [...new Set(list as WebhookEventType[])];
}

/** `standard` (signed JSON, the default) or `slack` (a Slack message for an incoming-webhook URL). */
function parseFormat(value: unknown): EndpointFormat {
  if (!(ENDPOINT_FORMATS as readonly unknown[]).includes(value)) throw new AppError('VALIDATION_FAILED', `"format" must be one of ${ENDPOINT_FORMATS.join(', ')}.`, { field: 'format' });
  return value as EndpointFormat;
}

function parseStatus(value: unknown): EndpointStatus {
  if (!(ENDPOINT_STATUSES as readonly unknown[]).includes(value)) throw new AppError('VALIDATION_FAILED', `"status" must be one of ${ENDPOINT_STATUSES.join(', ')}.`, { field: 'status' });
  return value as EndpointStatus;
}

async function mustGetEndpoint(deps: WebhookServiceDeps, workspaceId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = isId('webhook', id) ? await getEndpoint(deps.db, workspaceId, id) : null;
  if (!endpoint) throw new AppError('NOT_FOUND', 'No webhook endpoint with this id in your workspace.');
  return endpoint;
}

/** Registers an endpoint; the only time its secret is returned, apart from a rotation. */
/** The workspace's endpoints as the API and the CLI show them (never the secret). */
export async function listEndpointsJson(deps: WebhookServiceDeps, workspaceId: string) {
  return (await listEndpoints(deps.db, workspaceId)).map(endpointJson);
}

export async function createEndpoint(deps: WebhookServiceDeps, workspaceId: string, input: { url: unknown; events?: unknown; description?: unknown; format?: unknown }) {
  const endpoint = await insertEndpoint(
    deps.db,
    workspaceId,
    {
      url: parseUrl(deps, input.url),
      events: input.events === undefined ? DEFAULT_EVENTS : parseEvents(input.events),
      description: parseDescription(input.description) ?? null,
      format: input.format === undefined ? 'standard' : parseFormat(input.format),
      secret: newSigningSecret(),
    },
    deps.clock(),
  );
  return { ...endpointJson(endpoint), secret: endpoint.secret };
}

export async function getEndpointJson(deps: WebhookServiceDeps, workspaceId: string, id: string) {
  return endpointJson(await mustGetEndpoint(deps, workspaceId, id));
}

/** Changes url, events, description or status. Resuming sends what queued up while paused. */
export async function changeEndpoint(deps: WebhookServiceDeps, workspaceId: string, id: string, input: { url?: unknown; events?: unknown; description?: unknown; status?: unknown; format?: unknown }) {
  await mustGetEndpoint(deps, workspaceId, id);
  const patch: EndpointPatch = {};
  if (input.url !== undefined) patch.url = parseUrl(deps, input.url);
  if (input.events !== undefined) patch.events = parseEvents(input.events);
  if (input.format !== undefined) patch.format = parseFormat(input.format);
  if (input.description !== undefined) patch.description = parseDescription(input.description) ?? null;
  if (input.status !== undefined) {
    patch.status = parseStatus(input.status);
    patch.pausedReason = patch.status === 'paused' ? 'manual' : null;
  }
  const endpoint = await updateEndpoint(deps.db, workspaceId, id, patch, deps.clock());
  if (!endpoint) throw new AppError('NOT_FOUND', 'No webhook endpoint with this id in your workspace.');
  return endpointJson(endpoint);
}

export async function removeEndpoint(deps: WebhookServiceDeps, workspaceId: string, id: string): Promise<void> {
  if (!isId('webhook', id) || !(await deleteEndpoint(deps.db, workspaceId, id))) throw new AppError('NOT_FOUND', 'No webhook endpoint with this id in your workspace.');
}

/**
 * A new signing secret. The old one keeps signing too (a second signature in `webhook-signature`)
 * for `SECRET_GRACE_MS`, so the receiver can switch over without rejecting a message.
 */
export async function rotateSecret(deps: WebhookServiceDeps, workspaceId: string, id: string) {
  const current = await mustGetEndpoint(deps, workspaceId, id);
  const now = deps.clock();
  const endpoint = await updateEndpoint(deps.db, workspaceId, id, { secret: newSigningSecret(), previousSecret: current.secret, previousSecretExpiresAt: now.getTime() + SECRET_GRACE_MS }, now);
  if (!endpoint) throw new AppError('NOT_FOUND', 'No webhook endpoint with this id in your workspace.');
  return { ...endpointJson(endpoint), secret: endpoint.secret };
}

/** Sends a `webhook.ping` now and returns its delivery after the attempt. */
export async function pingEndpoint(deps: WebhookServiceDeps, workspaceId: string, id: string) {
  const endpoint = await mustGetEndpoint(deps, workspaceId, id);
  if (endpoint.status !== 'active') throw new AppError('CONFLICT', 'The endpoint is paused: resume it before pinging.');
  const deliveryId = await insertPing(deps.db, workspaceId, id, deps.clock());
  await deps.dispatcher.deliver([deliveryId]);
  return deliveryOrThrow(deps, workspaceId, id, deliveryId);
}

async function deliveryOrThrow(deps: WebhookServiceDeps, workspaceId: string, endpointId: string, deliveryId: string) {
  const found = isId('delivery', deliveryId) ? await getDelivery(deps.db, workspaceId, endpointId, deliveryId) : null;
  if (!found) throw new AppError('NOT_FOUND', 'No delivery with this id for this endpoint.');
  return deliveryJson(found);
}

export async function getDeliveryJson(deps: WebhookServiceDeps, workspaceId: string, endpointId: string, deliveryId: string) {
  await mustGetEndpoint(deps, workspaceId, endpointId);
  return deliveryOrThrow(deps, workspaceId, endpointId, deliveryId);
}

/** A page of an endpoint's deliveries, newest first, with an opaque `next` cursor. */
export async function listDeliveryPage(deps: WebhookServiceDeps, workspaceId: string, endpointId: string, query: { status?: string; limit?: string; cursor?: string }) {
  await mustGetEndpoint(deps, workspaceId, endpointId);
  if (query.status !== undefined && !['pending', 'succeeded', 'failed'].includes(query.status)) {
    throw new AppError('VALIDATION_FAILED', '"status" must be one of pending, succeeded, failed.', { field: 'status' });
  }
  const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new AppError('VALIDATION_FAILED', `"limit" must be a whole number from 1 to ${MAX_PAGE}.`, { field: 'limit' });
  const rows = await listDeliveries(deps.db, workspaceId, endpointId, {
    status: query.status as 'pending' | 'succeeded' | 'failed' | undefined,
    limit,
    after: query.cursor ? decodeDeliveryCursor(query.cursor) : undefined,
  });
  const page = rows.slice(0, limit);
  return { data: page.map(deliveryJson), next: rows.length > limit ? encodeDeliveryCursor(page[page.length - 1]!.delivery) : null };
}

/**
 * Retries a delivery now, with a fresh schedule (a failed delivery comes back to life). The same
 * delivery, so the same `webhook-id`: a receiver that already processed it can tell.
 */
export async function retryDeliveryNow(deps: WebhookServiceDeps, workspaceId: string, endpointId: string, deliveryId: string) {
  const current = await getDeliveryJson(deps, workspaceId, endpointId, deliveryId);
  if (current.status === 'succeeded') throw new AppError('CONFLICT', 'This delivery succeeded; replay its event to send it again as a new message.');
  if (!(await retryDelivery(deps.db, workspaceId, deliveryId, deps.clock()))) throw new AppError('CONFLICT', 'This delivery is being sent right now.');
  // As it is now: pending and due, not as it was before the retry.
  return deliveryOrThrow(deps, workspaceId, endpointId, deliveryId);
}

/** Sends an event again to an endpoint as a NEW delivery (new `webhook-id`; the payload's event id is the same). */
export async function replayEvent(deps: WebhookServiceDeps, workspaceId: string, endpointId: string, eventId: unknown) {
  await mustGetEndpoint(deps, workspaceId, endpointId);
  const event = typeof eventId === 'string' && isId('webhookEvent', eventId) ? await getEvent(deps.db, workspaceId, eventId) : null;
  if (!event) throw new AppError('NOT_FOUND', 'No event with this id in your workspace.', { field: 'event' });
  const deliveryId = await insertDelivery(deps.db, workspaceId, event.id, endpointId, deps.clock());
  return deliveryOrThrow(deps, workspaceId, endpointId, deliveryId);
}
