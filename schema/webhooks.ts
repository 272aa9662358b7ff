import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Sentiment } from './scales';
import { workspaces } from './workspaces';

/**
 * Outgoing webhooks (Standard Webhooks, https://www.standardwebhooks.com/): endpoints a workspace
 * registers, the events its responses produce (the outbox, written in the same atomic write as the
 * vote), and one delivery per event and endpoint, retried until the receiver answers 2xx.
 */

/** The events an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'feedback.negative',
  'feedback.created',
  'feedback.updated',
  'feedback.commented',
  'followup.created',
  'followup.assigned',
  'followup.resolved',
  'followup.overdue',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent only on demand, to one endpoint, to test it. */
export const PING_EVENT_TYPE = 'webhook.ping';

/**
 * What a delivery posts: `standard` the signed Standard Webhooks JSON, `slack` a Slack message
 * (`text` and `blocks`) for a Slack incoming webhook URL, with the same retries.
 */
export const ENDPOINT_FORMATS = ['standard', 'slack'] as const;
export type EndpointFormat = (typeof ENDPOINT_FORMATS)[number];

export const ENDPOINT_STATUSES = ['active', 'paused'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(), // wh_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    url: text('url').notNull(),
    description: text('description'),
    /** JSON array of subscribed event types. */
    events: text('events', { mode: 'json' }).$type<WebhookEventType[]>().notNull(),
    /** `standard` (signed JSON) or `slack` (a Slack message); see `ENDPOINT_FORMATS`. */
    format: text('format').$type<EndpointFormat>().notNull().default('standard'),
    /** Paused endpoints keep their deliveries queued; nothing is sent until they are resumed. */
    status: text('status').$type<EndpointStatus>().notNull().default('active'),
    /** Why it is paused: `manual`, or `gone` when the receiver answered 410. */
    pausedReason: text('paused_reason'),
    /** The signing secret, `whsec_…` (shown to the user once). */
    secret: text('secret').notNull(),
    /** After a rotation the old secret also signs until `previous_secret_expires_at`. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: integer('previous_secret_expires_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_workspace_id_idx').on(t.workspaceId, t.status)],
);

/** The outbox: one row per event, frozen as it was when the vote or comment that caused it was stored. */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: text('id').primaryKey(), // whe_… (the payload's `id`)
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    type: text('type').notNull(),
    /** Null for pings. */
    responseId: text('response_id'),
    /** The response event (`evt_…`) whose write produced this event. */
    causeId: text('cause_id'),
    score: integer('score'),
    sentiment: text('sentiment').$type<Sentiment>(),
    comment: text('comment'),
    occurredAt: integer('occurred_at').notNull(),
  },
  (t) => [
    index('webhook_events_cause_id_idx').on(t.causeId),
    index('webhook_events_workspace_id_idx').on(t.workspaceId, t.occurredAt),
    // A response's vote events, newest first (rowid): the write that undoes a robot's change of the
    // counted answer compares with the last one still standing (`standingVoteEvent`, db/responses.ts).
    // Erasure and retention delete the events of the responses they delete by it too.
    index('webhook_events_response_id_idx').on(t.responseId),
  ],
);

/**
 * One event to one endpoint. Its id is the `webhook-id` header: the same on every retry, so
 * receivers de-duplicate. `next_attempt_at` is also the lease: a dispatcher claims a delivery by
 * pushing it into the future and stamping `claimed_by`, so no other dispatcher sends it meanwhile.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(), // whd_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    eventId: text('event_id')
      .notNull()
      .references(() => webhookEvents.id),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    /** Attempts made in all. */
    attempts: integer('attempts').notNull().default(0),
    /** Attempts made in the current retry schedule (a manual retry starts a new one). */
    step: integer('step').notNull().default(0),
    /** When a pending delivery is due (or, while claimed, when its lease runs out). Null when done. */
    nextAttemptAt: integer('next_attempt_at'),
    /**
     * 1 while its endpoint is paused: kept out of the due range of `webhook_deliveries_due_idx`, so
     * a paused endpoint's backlog is not walked by every claim and due-time check. Set when a
     * delivery is created or retried, and kept by the trigger `webhook_endpoints_hold_deliveries`
     * (migration 0008) when its endpoint is paused or resumed.
     */
    held: integer('held').notNull().default(0),
    claimedBy: text('claimed_by'),
    lastAttemptAt: integer('last_attempt_at'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    /** The start of the receiver's last answer, for debugging (at most 1 KB). */
    lastResponse: text('last_response'),
    deliveredAt: integer('delivered_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.held, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_id_idx').on(t.endpointId, t.createdAt),
    // A delivery's event: the burst trigger (migration 0005) finds what to withdraw by it, and it
    // is the child key of a foreign key (SQLite, "Foreign Key Support" §3: index child keys).
    index('webhook_deliveries_event_id_idx').on(t.eventId),
    // The deliveries a dispatcher holds (only those: claims are cleared when the outcome is
    // reported), so that reading what a claim took does not walk every pending delivery.
    index('webhook_deliveries_claimed_idx').on(t.claimedBy).where(sql`${t.claimedBy} IS NOT NULL`),
  ],
);
