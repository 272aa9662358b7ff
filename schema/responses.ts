import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Sentiment } from './scales';
import { surveys } from './surveys';
import { workspaces } from './workspaces';

export const RESPONSE_STATUSES = ['counted', 'pending', 'bot'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/**
 * One response per (survey, subject, recipient): the same click again changes nothing,
 * a different answer updates it (last answer wins).
 *
 * `score`, `sentiment` and `status` are derived from the click events (`db/responses.ts`): the
 * latest counted click wins; without one, the latest pending click (status `pending`); without
 * one, the latest robot click (status `bot`). Robots are flagged, never deleted.
 */
export const responses = sqliteTable(
  'responses',
  {
    id: text('id').primaryKey(), // rsp_… (unguessable: it addresses the thank-you page)
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    surveyId: text('survey_id')
      .notNull()
      .references(() => surveys.id),
    subject: text('subject').notNull(), // ticket ref
    recipient: text('recipient').notNull(), // email or customer id
    agent: text('agent'),
    score: integer('score').notNull(),
    sentiment: text('sentiment').$type<Sentiment>().notNull(),
    /**
     * The counted sentiment before the last change of the counted answer (null when there was
     * none): tells a move *into* negative.
     */
    previousSentiment: text('previous_sentiment').$type<Sentiment>(),
    status: text('status').$type<ResponseStatus>().notNull().default('counted'),
    comment: text('comment'),
    /** Bumped on every change of answer or comment; 1 = just created. */
    revision: integer('revision').notNull().default(1),
    firstAnsweredAt: integer('first_answered_at').notNull(),
    lastAnsweredAt: integer('last_answered_at').notNull(),
    commentedAt: integer('commented_at'),
    /**
     * The event of the click that last created or changed the answer. A click's upsert sets it, and
     * the event insert of the same batch selects on it, so the click stays one round trip.
     */
    lastEventId: text('last_event_id'),
    /** Bumped each time the counted answer changes (0 = never counted, 1 = first counted). */
    countedRevision: integer('counted_revision').notNull().default(0),
    /** The event (click, confirmation, override) whose write last changed the counted answer: the webhook outbox keys on it. */
    countedCauseId: text('counted_cause_id'),
    /**
     * 1 from the moment a counted click of the response is found to be a robot's (the trigger
     * `response_events_withdraw_webhooks`, migration 0011) until the same write derives the response
     * again (`deriveStatements`): the vote events are then queued against what the receivers still
     * hold (the last vote event left standing), not against the answer the robot made.
     */
    compareStanding: integer('compare_standing').notNull().default(0),
    /** The link's segment properties (`link_properties`), copied from its token by the click; null = none. */
    propertiesId: text('properties_id'),
  },
  (t) => [
    uniqueIndex('responses_survey_subject_recipient_idx').on(t.surveyId, t.subject, t.recipient),
    // The listing (`GET /api/v1/responses`), newest first, and each of its lookups: by survey, by
    // ticket ref, by recipient. Without them a lookup read every response of the workspace (37 ms
    // at 100,000, and as many rows read on Turso); each costs a few µs on a new response.
    index('responses_workspace_id_idx').on(t.workspaceId, t.firstAnsweredAt, t.id),
    // By survey it also holds every column a report counts (`db/reports.ts` reads the partial days
    // at a period's edges from it alone: 2,700 rows of a day at a million a year in 1 ms instead of
    // 7). One index of the survey instead of two: each B-tree a click touches is a page more in
    // the WAL at every commit.
    index('responses_survey_id_idx').on(t.surveyId, t.firstAnsweredAt, t.id, t.revision, t.status, t.score, t.agent, t.propertiesId),
    index('responses_subject_idx').on(t.workspaceId, t.subject, t.firstAnsweredAt, t.id),
    index('responses_recipient_idx').on(t.workspaceId, t.recipient, t.firstAnsweredAt, t.id),
    // Retention (`RESPONSE_RETENTION_DAYS`) deletes the responses whose last answer is oldest first.
    index('responses_last_answered_at_idx').on(t.lastAnsweredAt),
    // The `property=name:value` filter and the export of a segment. Partial: a response whose link
    // has no properties never enters it (a page less per click's commit).
    index('responses_properties_id_idx').on(t.propertiesId, t.firstAnsweredAt, t.id).where(sql`properties_id IS NOT NULL`),
  ],
);

/**
 * `created`, `changed` and `clicked` (the same answer again, with another classification) are
 * clicks: the response's answer is derived from them. `confirmed` records a human interaction on
 * the thank-you page, `overridden` an admin's decision; `commented` a comment.
 */
export const RESPONSE_EVENT_KINDS = ['created', 'changed', 'clicked', 'commented', 'confirmed', 'overridden'] as const;
export const CLICK_EVENT_KINDS = ['created', 'changed', 'clicked'] as const;
export type ResponseEventKind = (typeof RESPONSE_EVENT_KINDS)[number];

/**
 * True for an event that still holds request signals that could help identify a person (truncated
 * address, user agent, Accept-Language, network, country). The predicate of the partial index
 * `response_events_signals_idx`: the retention query repeats it word for word so SQLite uses it.
 */
export const EVENT_HOLDS_SIGNALS =
  '(ip_prefix IS NOT NULL OR user_agent IS NOT NULL OR accept_language IS NOT NULL OR asn IS NOT NULL OR as_organization IS NOT NULL OR country IS NOT NULL)';

/** The history of a response: every click that created or changed it, and every comment, with the request's signals. */
export const responseEvents = sqliteTable(
  'response_events',
  {
    id: text('id').primaryKey(), // evt_…
    responseId: text('response_id')
      .notNull()
      .references(() => responses.id),
    kind: text('kind').$type<ResponseEventKind>().notNull(),
    score: integer('score'),
    at: integer('at').notNull(),
    method: text('method').notNull(),
    userAgent: text('user_agent'),
    acceptLanguage: text('accept_language'),
    /** JSON of the Sec-Fetch-* request headers (site, mode, user, dest). */
    secFetch: text('sec_fetch'),
    /** Truncated address (IPv4 /24, IPv6 /48): enough to reason about networks, not to identify a person. */
    ipPrefix: text('ip_prefix'),
    asn: integer('asn'),
    asOrganization: text('as_organization'),
    country: text('country'),
    sentiment: text('sentiment').$type<Sentiment>(),
    /** How this event was classified: a counted human click, pending confirmation, or a robot. */
    status: text('status').$type<ResponseStatus>().notNull().default('counted'),
    /** Why (`human-navigation`, `network:microsoft`, `burst:…`, `confirmed:pointerdown`, `override`, …). */
    reason: text('reason'),
    /** When a human interaction on the thank-you page confirmed this click (a later burst cannot undo it). */
    confirmedAt: integer('confirmed_at'),
  },
  (t) => [
    index('response_events_response_id_idx').on(t.responseId, t.at),
    // Signal retention (`SIGNAL_RETENTION_DAYS`) walks only the events that still hold signals,
    // oldest first: once cleared, an event leaves this index, so each run reads what it clears.
    index('response_events_signals_idx').on(t.at).where(sql.raw(EVENT_HOLDS_SIGNALS)),
  ],
);
