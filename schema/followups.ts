import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { FollowUpLogAction, FollowUpPriority, FollowUpStatus } from './followup-settings';
import { people } from './members';
import { responses } from './responses';
import { surveys } from './surveys';
import { workspaces } from './workspaces';

/**
 * Closing the loop (issue 16): a follow-up for every unhappy counted response, owned, tracked and
 * measured. Follow-ups are opened, withdrawn, reopened and deleted by the triggers `followups_…` on
 * `responses` (migration 0019), inside whatever write changed the response, so every path (a
 * click, the outage queue, a confirmation, a burst sweep, an admin override, an erasure) behaves
 * the same. People change them through `worker/services/followups.ts`.
 */

export const followups = sqliteTable(
  'followups',
  {
    id: text('id').primaryKey(), // fu_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    surveyId: text('survey_id')
      .notNull()
      .references(() => surveys.id),
    responseId: text('response_id')
      .notNull()
      .references(() => responses.id),
    status: text('status').$type<FollowUpStatus>().notNull().default('new'),
    priority: text('priority').$type<FollowUpPriority>().notNull(),
    /** A member of the workspace (`people.id` with a membership there); null = unassigned. */
    ownerPersonId: text('owner_person_id').references(() => people.id),
    dueAt: integer('due_at').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** The first move out of `new`: time to first action. */
    firstActionAt: integer('first_action_at'),
    resolvedAt: integer('resolved_at'),
    rootCause: text('root_cause'),
    /** Whether the customer's problem was solved (set on resolving). */
    solved: integer('solved', { mode: 'boolean' }),
    /** When `followup.overdue` was queued (once per follow-up). */
    overdueNotifiedAt: integer('overdue_notified_at'),
    /** 1 once someone changed or annotated it: a withdrawn vote then no longer deletes it. */
    touched: integer('touched', { mode: 'boolean' }).notNull().default(false),
    /** The response event whose write opened it: the outbox rule `followup.created` keys on it. */
    createdCauseId: text('created_cause_id'),
  },
  (t) => [
    uniqueIndex('followups_response_id_idx').on(t.responseId),
    index('followups_workspace_id_idx').on(t.workspaceId, t.createdAt, t.id),
    index('followups_owner_idx').on(t.workspaceId, t.ownerPersonId, t.dueAt),
    index('followups_survey_id_idx').on(t.surveyId, t.createdAt),
    // The overdue sweep: only the follow-ups still to be told about, in due order.
    index('followups_due_idx').on(t.dueAt).where(sql`${t.overdueNotifiedAt} IS NULL AND ${t.status} <> 'resolved'`),
    index('followups_overdue_notified_idx').on(t.overdueNotifiedAt),
    // Child keys of foreign keys are indexed (SQLite, "Foreign Key Support" §3): without them a new person scans the table.
    index('followups_owner_person_id_idx').on(t.ownerPersonId),
  ],
);

export const followupNotes = sqliteTable(
  'followup_notes',
  {
    id: text('id').primaryKey(), // fun_…
    followupId: text('followup_id')
      .notNull()
      .references(() => followups.id),
    /** Null: written through the API key (the system). */
    personId: text('person_id').references(() => people.id),
    text: text('text').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('followup_notes_followup_id_idx').on(t.followupId, t.at), index('followup_notes_person_id_idx').on(t.personId)],
);

export const followupLog = sqliteTable(
  'followup_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    followupId: text('followup_id')
      .notNull()
      .references(() => followups.id),
    at: integer('at').notNull(),
    /** Null = the system (the rules, the API key). */
    actorPersonId: text('actor_person_id').references(() => people.id),
    action: text('action').$type<FollowUpLogAction>().notNull(),
    from: text('from'),
    to: text('to'),
  },
  (t) => [index('followup_log_followup_id_idx').on(t.followupId, t.id), index('followup_log_actor_person_id_idx').on(t.actorPersonId)],
);

/**
 * The names a member goes by in the help desk (`maria`, `Maria Rossi`): a response whose `agent`
 * matches one (case-insensitively) is the member's follow-up. `name_key` is the name lower-cased
 * (SQLite's `lower()`, ASCII letters), unique per workspace.
 */
export const memberAgentNames = sqliteTable(
  'member_agent_names',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
  },
  (t) => [uniqueIndex('member_agent_names_key_idx').on(t.workspaceId, t.nameKey), index('member_agent_names_person_idx').on(t.personId)],
);
