import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaces } from './workspaces';

/**
 * The segment properties of per-message links (issue 15), e.g. `{"organization":"ACME srl"}`.
 * A set is stored once, at mint time, keyed by a hash of the workspace and the set
 * (`services/link-properties.ts`); the link's token carries only that short id, so a click copies
 * it into its response within its own upsert (still one round trip on Workers).
 */
export const linkProperties = sqliteTable('link_properties', {
  id: text('id').primaryKey(), // prp_… (a hash, not random: the same set minted again is the same row)
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  /** The set as canonical JSON (names sorted), as the API shows it. */
  properties: text('properties').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** One row per property of a set: what the `property=name:value` filters and the triggers read. */
export const linkPropertyValues = sqliteTable(
  'link_property_values',
  {
    propertiesId: text('properties_id')
      .notNull()
      .references(() => linkProperties.id),
    name: text('name').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.propertiesId, t.name] }), index('link_property_values_name_idx').on(t.name, t.value, t.propertiesId)],
);

/**
 * UTC offset of an IANA zone from `from_ms` until the next row of the zone (from `Intl`,
 * 1970–2100), filled when a workspace first uses the zone. The aggregate triggers find a
 * response's local day with one indexed `ORDER BY from_ms DESC LIMIT 1`.
 */
export const timeZoneOffsets = sqliteTable(
  'time_zone_offsets',
  {
    zone: text('zone').notNull(),
    fromMs: integer('from_ms').notNull(),
    offsetMinutes: integer('offset_minutes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.zone, t.fromMs] })],
);

/**
 * Responses per (survey, local day, agent, status, score), kept exact by triggers on `responses`
 * (migration 0017): every write path (click, queued vote, burst sweep, confirmation, override,
 * deletion) moves the counts inside its own transaction. `day` = days since 1970-01-01 of the
 * response's first answer in the workspace's time zone; `agent` '' = none.
 */
export const reportsCounts = sqliteTable(
  'reports_counts',
  {
    surveyId: text('survey_id').notNull(),
    day: integer('day').notNull(),
    agent: text('agent').notNull(),
    status: text('status').notNull(),
    score: integer('score').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.day, t.agent, t.status, t.score] })],
);

/**
 * As `reports_counts` without the agent: what a report without an agent filter or breakdown reads
 * (a year is ~365 × statuses × scores rows instead of that times the agents). Kept by the same
 * triggers, one more upsert per change of a response.
 */
export const reportsDayCounts = sqliteTable(
  'reports_day_counts',
  {
    surveyId: text('survey_id').notNull(),
    day: integer('day').notNull(),
    status: text('status').notNull(),
    score: integer('score').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.day, t.status, t.score] })],
);

/**
 * `reports_counts` rolled up by local month: `month` = the day number of the month's first local
 * day. A long period reads its whole months here and only the days at its edges by day.
 */
export const reportsMonthCounts = sqliteTable(
  'reports_month_counts',
  {
    surveyId: text('survey_id').notNull(),
    month: integer('month').notNull(),
    agent: text('agent').notNull(),
    status: text('status').notNull(),
    score: integer('score').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.month, t.agent, t.status, t.score] })],
);

/**
 * As `reports_day_counts`, per property of the response's set (name, value). No agent: a property
 * read that also filters or breaks down by agent reads `responses` (`db/reports.ts`).
 */
export const reportsPropertyCounts = sqliteTable(
  'reports_property_counts',
  {
    surveyId: text('survey_id').notNull(),
    name: text('name').notNull(),
    day: integer('day').notNull(),
    value: text('value').notNull(),
    status: text('status').notNull(),
    score: integer('score').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.name, t.day, t.value, t.status, t.score] })],
);

/** `reports_property_counts` rolled up by local month, as `reports_month_counts`. */
export const reportsPropertyMonthCounts = sqliteTable(
  'reports_property_month_counts',
  {
    surveyId: text('survey_id').notNull(),
    name: text('name').notNull(),
    month: integer('month').notNull(),
    value: text('value').notNull(),
    status: text('status').notNull(),
    score: integer('score').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.name, t.month, t.value, t.status, t.score] })],
);

/**
 * Messages whose per-message links were minted, per survey, UTC minute, agent ('' = none) and
 * property set ('' = none): the exact record the day tables below are re-bucketed from when the
 * workspace's time zone changes, and what the edges of a report that does not start or end at
 * local midnight read. Its triggers (migration 0017) keep the day tables.
 */
export const reportsSends = sqliteTable(
  'reports_sends',
  {
    surveyId: text('survey_id').notNull(),
    minute: integer('minute').notNull(), // epoch ms / 60,000
    agent: text('agent').notNull(),
    propertiesId: text('properties_id').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.minute, t.agent, t.propertiesId] })],
);

/** Messages sent per survey, local day and agent (`reports_sends` in the workspace's time zone). */
export const reportsSentDays = sqliteTable(
  'reports_sent_days',
  {
    surveyId: text('survey_id').notNull(),
    day: integer('day').notNull(),
    agent: text('agent').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.day, t.agent] })],
);

/** As `reports_sent_days`, per property of the messages' sets. */
export const reportsSentPropertyDays = sqliteTable(
  'reports_sent_property_days',
  {
    surveyId: text('survey_id').notNull(),
    name: text('name').notNull(),
    day: integer('day').notNull(),
    value: text('value').notNull(),
    agent: text('agent').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.name, t.day, t.value, t.agent] })],
);
