import { and, asc, desc, eq, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { InStatement, InValue, Row } from '@libsql/client';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from '../../schema';
import type { FollowUpPriority, FollowUpStatus } from '../../schema/followup-settings';
import type { ResponseStatus } from '../../schema/responses';
import type { Scale, Sentiment } from '../../schema/scales';
import { PING_EVENT_TYPE, type DeliveryStatus, type EndpointFormat, type EndpointStatus, type WebhookEventType } from '../../schema/webhooks';
import { newId, sqlNewId } from '../lib/ids';
import type { Db } from './index';
import { num, str } from './row-values';

/** SQL: 1 when the endpoint `endpointId` (an SQL expression) is not active, so its deliveries are held. */
const HELD = (endpointId: string) => `(SELECT held_e.status <> 'active' FROM webhook_endpoints held_e WHERE held_e.id = ${endpointId})`;

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;

// ---------------------------------------------------------------------------------------------
// The outbox: statements that ride along in the write of a vote or a comment.
// ---------------------------------------------------------------------------------------------

/**
 * When an event type applies to a touched response. `x` is the response as it is after the write,
 * with `x.previous_sentiment` the sentiment before the change.
 */
export interface OutboxRule {
  type: WebhookEventType;
  when: string;
}

/**
 * The rules of a write that changed a response's *counted* answer (the response row is stamped
 * with the write's cause in `counted_cause_id`): votes become events only once they are counted,
 * so robots never send anything. `counted_revision` 1 is the first counted answer.
 */
export const VOTE_RULES: OutboxRule[] = [
  { type: 'feedback.created', when: `x.counted_revision = 1` },
  { type: 'feedback.updated', when: `x.counted_revision > 1` },
  // Once per transition into negative: from nothing counted, or from a non-negative counted answer.
  { type: 'feedback.negative', when: `x.sentiment = 'negative' AND x.previous_sentiment IS NOT 'negative'` },
];
/**
 * The follow-up a write opened (trigger `followups_follow_response`, migration 0019, stamps it with
 * the write's counted cause): `followup.created` rides in the same outbox statement as the vote's
 * events, with the negative settle window, so a burst that withdraws the vote withdraws it too
 * (trigger `response_events_withdraw_webhooks` deletes what the robot's click caused).
 */
export const FOLLOW_UP_RULES: OutboxRule[] = [
  { type: 'followup.created', when: `EXISTS (SELECT 1 FROM followups fu WHERE fu.response_id = x.id AND fu.created_cause_id = x.cause_id)` },
];
/** A comment is sent only on a counted response (a comment from a person confirms it first). */
export const COMMENT_RULES: OutboxRule[] = [{ type: 'feedback.commented', when: `x.status = 'counted'` }];

/**
 * Two statements that queue webhook events for the responses a write touched, and one delivery per
 * event and subscribed endpoint. Put them in the same batch as the write: the events exist if and
 * only if the vote does (an outbox). Nothing is written for a workspace with no endpoint subscribed
 * to a type, so without webhooks a click writes what it always did.
 *
 * `touched` is a CTE named `x` selecting `responses` columns plus `cause_id` (the response event
 * that caused it) and `at` (when it happened); `causeIds` are those cause ids. `delays` holds how
 * long a type waits before its first attempt (the settle window of `feedback.negative`, in which a
 * burst can still withdraw it and a comment typed right away rides along).
 */
export function outboxStatements(
  touched: { sql: string; args: InValue[] },
  rules: OutboxRule[],
  causeIds: string[],
  delays: Partial<Record<WebhookEventType, number>> = {},
): InStatement[] {
  const types = rules.map((rule) => `('${rule.type}')`).join(', ');
  const when = `CASE t.type ${rules.map((rule) => `WHEN '${rule.type}' THEN ${rule.when}`).join(' ')} END`;
  return [
    {
      sql: `WITH ${touched.sql}, t (type) AS (VALUES ${types})
            INSERT INTO webhook_events (id, workspace_id, type, response_id, cause_id, score, sentiment, comment, occurred_at)
            SELECT ${sqlNewId('webhookEvent', 'x.at')}, x.workspace_id, t.type, x.id, x.cause_id, x.score, x.sentiment, x.comment, x.at
            FROM x JOIN t ON ${when}
            WHERE EXISTS (SELECT 1 FROM webhook_endpoints e, json_each(e.events) j WHERE e.workspace_id = x.workspace_id AND j.value = t.type)`,
      args: touched.args,
    },
    deliveriesStatement(causeIds, delays),
  ];
}

/**
 * A delivery of each webhook event caused by `causeIds` to each endpoint of its workspace
 * subscribed to its type (held while the endpoint is not active), due when the event occurred plus
 * its type's delay in `delays`.
 */
export function deliveriesStatement(causeIds: string[], delays: Partial<Record<WebhookEventType, number>> = {}): InStatement {
  const delayed = Object.entries(delays).filter(([, ms]) => ms && ms > 0);
  const delay = delayed.length ? `CASE ev.type ${delayed.map(([type, ms]) => `WHEN '${type}' THEN ${Math.round(ms!)}`).join(' ')} ELSE 0 END` : '0';
  return {
    sql: `INSERT INTO webhook_deliveries (id, workspace_id, event_id, endpoint_id, status, attempts, step, next_attempt_at, held, created_at)
          SELECT ${sqlNewId('delivery', 'ev.occurred_at')}, ev.workspace_id, ev.id, e.id, 'pending', 0, 0, ev.occurred_at + ${delay}, e.status <> 'active', ev.occurred_at
          FROM webhook_events ev JOIN webhook_endpoints e ON e.workspace_id = ev.workspace_id
          WHERE ev.cause_id IN (${causeIds.map(() => '?').join(', ')})
            AND EXISTS (SELECT 1 FROM json_each(e.events) j WHERE j.value = ev.type)`,
    args: causeIds,
  };
}

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

export interface NewEndpoint {
  url: string;
  description: string | null;
  events: WebhookEventType[];
  format: EndpointFormat;
  secret: string;
}

export async function insertEndpoint(db: Db, workspaceId: string, input: NewEndpoint, now: Date): Promise<WebhookEndpoint> {
  const endpoint: WebhookEndpoint = {
    id: newId('webhook'),
    workspaceId,
    ...input,
    status: 'active',
    pausedReason: null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    createdAt: now.getTime(),
    updatedAt: now.getTime(),
  };
  await db.insert(webhookEndpoints).values(endpoint);
  return endpoint;
}

export async function listEndpoints(db: Db, workspaceId: string): Promise<WebhookEndpoint[]> {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId)).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

/** An endpoint of this workspace, or null (another workspace's id is simply not found). */
export async function getEndpoint(db: Db, workspaceId: string, id: string): Promise<WebhookEndpoint | null> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

export interface EndpointPatch {
  url?: string;
  format?: EndpointFormat;
  description?: string | null;
  events?: WebhookEventType[];
  status?: EndpointStatus;
  pausedReason?: string | null;
  secret?: string;
  previousSecret?: string | null;
  previousSecretExpiresAt?: number | null;
}

/**
 * Updates an endpoint of this workspace; returns it as stored, or null when there is none. (A change
 * of status holds or releases its pending deliveries: trigger `webhook_endpoints_hold_deliveries`.)
 */
export async function updateEndpoint(db: Db, workspaceId: string, id: string, patch: EndpointPatch, now: Date): Promise<WebhookEndpoint | null> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...patch, updatedAt: now.getTime() })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, workspaceId)))
    .returning();
  return row ?? null;
}

/** Deletes an endpoint and its deliveries (the events stay: other endpoints may share them). */
export async function deleteEndpoint(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const results = await db.$client.batch(
    [
      { sql: 'DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND workspace_id = ?', args: [id, workspaceId] },
      { sql: 'DELETE FROM webhook_endpoints WHERE id = ? AND workspace_id = ?', args: [id, workspaceId] },
    ],
    'write',
  );
  return (results[1]?.rowsAffected ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// Deliveries: listing, retry, replay, ping
// ---------------------------------------------------------------------------------------------

export type DeliveryWithEvent = { delivery: WebhookDelivery; event: WebhookEvent };

export interface DeliveryFilters {
  status?: DeliveryStatus;
  limit: number;
  after?: { createdAt: number; id: string };
}

/** A page of an endpoint's deliveries, newest first; one row more than `limit` tells that more exist. */
export async function listDeliveries(db: Db, workspaceId: string, endpointId: string, filters: DeliveryFilters): Promise<DeliveryWithEvent[]> {
  const where: (SQL | undefined)[] = [eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.endpointId, endpointId)];
  if (filters.status) where.push(eq(webhookDeliveries.status, filters.status));
  if (filters.after) {
    const { createdAt, id } = filters.after;
    where.push(or(lt(webhookDeliveries.createdAt, createdAt), and(eq(webhookDeliveries.createdAt, createdAt), lt(webhookDeliveries.id, id))));
  }
  return db
    .select({ delivery: webhookDeliveries, event: webhookEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(filters.limit + 1);
}

export async function getDelivery(db: Db, workspaceId: string, endpointId: string, id: string): Promise<DeliveryWithEvent | null> {
  const [row] = await db
    .select({ delivery: webhookDeliveries, event: webhookEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

/**
 * Makes a delivery that is not in flight due now, with a fresh retry schedule (a failed one
 * comes back to life with all its attempts). Returns false when it is in flight or already delivered.
 */
export async function retryDelivery(db: Db, workspaceId: string, id: string, now: Date): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `UPDATE webhook_deliveries SET status = 'pending', step = 0, next_attempt_at = ?, claimed_by = NULL, held = ${HELD('endpoint_id')}
          WHERE id = ? AND workspace_id = ? AND status <> 'succeeded' AND (claimed_by IS NULL OR next_attempt_at <= ?)`,
    args: [now.getTime(), id, workspaceId, now.getTime()],
  });
  return result.rowsAffected > 0;
}

/** The insert of a new delivery, due now (held if its endpoint is paused). */
function newDelivery(id: string, workspaceId: string, eventId: string, endpointId: string, now: Date): InStatement {
  return {
    sql: `INSERT INTO webhook_deliveries (id, workspace_id, event_id, endpoint_id, status, attempts, step, next_attempt_at, held, created_at) VALUES (?, ?, ?, ?, 'pending', 0, 0, ?, ${HELD('?')}, ?)`,
    args: [id, workspaceId, eventId, endpointId, now.getTime(), endpointId, now.getTime()],
  };
}

/** A new delivery of an event to an endpoint (a new `webhook-id`: receivers treat it as a new message). */
export async function insertDelivery(db: Db, workspaceId: string, eventId: string, endpointId: string, now: Date): Promise<string> {
  const id = newId('delivery');
  await db.$client.execute(newDelivery(id, workspaceId, eventId, endpointId, now));
  return id;
}

export async function getEvent(db: Db, workspaceId: string, id: string): Promise<WebhookEvent | null> {
  const [row] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.id, id), eq(webhookEvents.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

/** A `webhook.ping` event and its delivery to one endpoint, in one write. */
export async function insertPing(db: Db, workspaceId: string, endpointId: string, now: Date): Promise<string> {
  const eventId = newId('webhookEvent');
  const deliveryId = newId('delivery');
  await db.$client.batch(
    [
      { sql: 'INSERT INTO webhook_events (id, workspace_id, type, occurred_at) VALUES (?, ?, ?, ?)', args: [eventId, workspaceId, PING_EVENT_TYPE, now.getTime()] },
      newDelivery(deliveryId, workspaceId, eventId, endpointId, now),
    ],
    'write',
  );
  return deliveryId;
}

// ---------------------------------------------------------------------------------------------
// The dispatcher's side: claim with a lease, then report the outcome.
// ---------------------------------------------------------------------------------------------

/** Everything needed to send one claimed delivery. */
export interface DeliveryJob {
  id: string;
  /** Attempt number within the current schedule (1 = first). */
  step: number;
  endpoint: { id: string; url: string; format: EndpointFormat; secret: string; previousSecret: string | null; previousSecretExpiresAt: number | null };
  event: { id: string; type: string; score: number | null; sentiment: Sentiment | null; comment: string | null; occurredAt: number };
  response: {
    id: string;
    subject: string;
    recipient: string;
    agent: string | null;
    /** The response's segment properties as stored (canonical JSON), or null. */
    properties: string | null;
    comment: string | null;
    status: ResponseStatus;
    firstAnsweredAt: number;
    lastAnsweredAt: number;
    survey: { id: string; name: string; scale: Scale; question: string; locale: string | null };
  } | null;
  /** The response's follow-up, as it stands now (`followup.*` events carry it). */
  followUp: { id: string; status: FollowUpStatus; priority: FollowUpPriority; owner: { id: string; name: string; email: string } | null; dueAt: number } | null;
}

export interface ClaimOptions {
  now: number;
  /** Until when the claim holds: longer than a request may take. */
  leaseUntil: number;
  /** Attempts a schedule allows; deliveries that used them all and whose lease ran out are failed. */
  maxSteps: number;
  limit: number;
  /** Unique per claim: only its holder may report the outcome. */
  owner: string;
  /** Only these deliveries (a ping sent now). */
  ids?: string[];
}

/**
 * Claims due deliveries of active endpoints in ONE write (one round trip on Workers): each claimed
 * row gets `claimed_by = owner` and a due time at the end of its lease, so a second dispatcher
 * running at the same moment finds nothing to claim, and a dispatcher that dies after claiming
 * leaves the delivery to be claimed again when the lease runs out. The same batch first fails the
 * deliveries whose final attempt never reported back, and ends by reading what the claim took.
 */
export async function claimDeliveries(db: Db, o: ClaimOptions): Promise<DeliveryJob[]> {
  const only = o.ids ? `AND d.id IN (${o.ids.map(() => '?').join(', ')})` : '';
  const results = await db.$client.batch(
    [
      {
        sql: `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, claimed_by = NULL,
                last_error = coalesce(last_error, 'no outcome was reported for the last attempt')
              WHERE status = 'pending' AND held = 0 AND step >= ? AND next_attempt_at <= ?`,
        args: [o.maxSteps, o.now],
      },
      {
        sql: `UPDATE webhook_deliveries SET claimed_by = ?, attempts = attempts + 1, step = step + 1, next_attempt_at = ?, last_attempt_at = ?
              WHERE id IN (
                SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.held = 0 AND d.next_attempt_at <= ? AND d.step < ? AND e.status = 'active' ${only}
                ORDER BY d.next_attempt_at LIMIT ?)`,
        args: [o.owner, o.leaseUntil, o.now, o.now, o.maxSteps, ...(o.ids ?? []), o.limit],
      },
      {
        sql: `SELECT d.id, d.step,
                e.id AS endpoint_id, e.url, e.format, e.secret, e.previous_secret, e.previous_secret_expires_at,
                ev.id AS event_id, ev.type, ev.score, ev.sentiment, ev.comment AS event_comment, ev.occurred_at,
                r.id AS response_id, r.subject, r.recipient, r.agent, lp.properties, r.comment, r.status AS response_status, r.first_answered_at, r.last_answered_at,
                s.id AS survey_id, s.name AS survey_name, s.scale, s.question, s.locale,
                f.id AS followup_id, f.status AS followup_status, f.priority, f.due_at, f.owner_person_id, o.name AS owner_name, o.email AS owner_email
              FROM webhook_deliveries d
              JOIN webhook_endpoints e ON e.id = d.endpoint_id
              JOIN webhook_events ev ON ev.id = d.event_id
              LEFT JOIN responses r ON r.id = ev.response_id
              LEFT JOIN link_properties lp ON lp.id = r.properties_id
              LEFT JOIN surveys s ON s.id = r.survey_id
              LEFT JOIN followups f ON f.response_id = r.id AND ev.type LIKE 'followup.%'
              LEFT JOIN people o ON o.id = f.owner_person_id
              WHERE d.claimed_by = ? AND +d.status = 'pending'`, // unary +: the claims index, not the due index
        args: [o.owner],
      },
    ],
    'write',
  );
  return (results[2]?.rows ?? []).map(toJob);
}

function toJob(row: Row): DeliveryJob {
  return {
    id: String(row.id),
    step: Number(row.step),
    endpoint: {
      id: String(row.endpoint_id),
      url: String(row.url),
      format: String(row.format) as EndpointFormat,
      secret: String(row.secret),
      previousSecret: str(row.previous_secret),
      previousSecretExpiresAt: num(row.previous_secret_expires_at),
    },
    event: {
      id: String(row.event_id),
      type: String(row.type),
      score: num(row.score),
      sentiment: str(row.sentiment) as Sentiment | null,
      comment: str(row.event_comment),
      occurredAt: Number(row.occurred_at),
    },
    response:
      row.response_id === null
        ? null
        : {
            id: String(row.response_id),
            subject: String(row.subject),
            recipient: String(row.recipient),
            agent: str(row.agent),
            properties: str(row.properties),
            comment: str(row.comment),
            status: String(row.response_status) as ResponseStatus,
            firstAnsweredAt: Number(row.first_answered_at),
            lastAnsweredAt: Number(row.last_answered_at),
            survey: { id: String(row.survey_id), name: String(row.survey_name), scale: String(row.scale) as Scale, question: String(row.question), locale: str(row.locale) },
          },
    followUp:
      row.followup_id === null || row.followup_id === undefined
        ? null
        : {
            id: String(row.followup_id),
            status: String(row.followup_status) as FollowUpStatus,
            priority: String(row.priority) as FollowUpPriority,
            owner: row.owner_person_id === null ? null : { id: String(row.owner_person_id), name: String(row.owner_name ?? ''), email: String(row.owner_email ?? '') },
            dueAt: Number(row.due_at),
          },
  };
}

export type AttemptOutcome =
  | { result: 'succeeded'; at: number; status: number; response: string | null }
  /** Failed but will be retried at `nextAttemptAt` (or never: `failed` after the last attempt). */
  | { result: 'retry' | 'failed'; at: number; nextAttemptAt: number | null; status: number | null; error: string; response: string | null; pauseEndpoint?: boolean };

/** The outcome of one attempt at a claimed delivery, reported by the claim's holder. */
export interface AttemptReport {
  job: DeliveryJob;
  owner: string;
  outcome: AttemptOutcome;
}

/**
 * Reports the outcomes of claimed deliveries in ONE write (the dispatcher groups the attempts
 * that finish together). Only a claim's holder may report: if its lease ran out and another
 * dispatcher took the delivery over, that report changes nothing (false). When the receiver said
 * 410 Gone, the endpoint is paused in the same write (its deliveries stay queued).
 */
export async function reportAttempts(db: Db, reports: AttemptReport[]): Promise<boolean[]> {
  const statements: InStatement[] = [];
  const updates: number[] = [];
  for (const { job, owner, outcome } of reports) {
    updates.push(statements.length);
    statements.push(
      outcome.result === 'succeeded'
        ? {
            sql: `UPDATE webhook_deliveries SET status = 'succeeded', next_attempt_at = NULL, claimed_by = NULL, last_status = ?, last_error = NULL, last_response = ?, delivered_at = ?
                  WHERE id = ? AND claimed_by = ? AND status = 'pending'`,
            args: [outcome.status, outcome.response, outcome.at, job.id, owner],
          }
        : {
            sql: `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, claimed_by = NULL, last_status = ?, last_error = ?, last_response = ?
                  WHERE id = ? AND claimed_by = ? AND status = 'pending'`,
            args: [outcome.result === 'failed' ? 'failed' : 'pending', outcome.nextAttemptAt, outcome.status, outcome.error, outcome.response, job.id, owner],
          },
    );
    if (outcome.result !== 'succeeded' && outcome.pauseEndpoint) {
      statements.push({
        sql: `UPDATE webhook_endpoints SET status = 'paused', paused_reason = 'gone', updated_at = ? WHERE id = ? AND changes() > 0`,
        args: [outcome.at, job.endpoint.id],
      });
    }
  }
  const results = await db.$client.batch(statements, 'write');
  return updates.map((index) => (results[index]?.rowsAffected ?? 0) > 0);
}

/**
 * The earliest time a pending delivery of an active endpoint is due, or null: when to wake up.
 * The first row in due order, not `min()`: over a join, `min()` read every pending delivery, and
 * they pile up while a receiver is down; this stops at the first one.
 */
export async function nextDueAt(db: Db): Promise<number | null> {
  const [row] = await db
    .select({ at: webhookDeliveries.nextAttemptAt })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.held, 0), isNotNull(webhookDeliveries.nextAttemptAt), eq(webhookEndpoints.status, 'active')))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(1);
  return row?.at ?? null;
}
