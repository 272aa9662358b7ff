import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { FollowUpPriority, FollowUpRule } from './followup-settings';
import type { Scale } from './scales';
import { workspaces } from './workspaces';

export const surveys = sqliteTable(
  'surveys',
  {
    id: text('id').primaryKey(), // sv_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    scale: text('scale').$type<Scale>().notNull(),
    /** The question in the survey's own language. */
    question: text('question').notNull(),
    /** JSON object of translations, `{ "it": "Com'è andata?" }`. */
    questionI18n: text('question_i18n', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    /** Language of the survey's pages; null = follow the customer's Accept-Language. */
    locale: text('locale'),
    createdAt: integer('created_at').notNull(),
    /** When an admin archived it (new clicks on its links get a "closed" page); null = open. */
    archivedAt: integer('archived_at'),
    /** Which counted answers open a follow-up (issue 16): `negative`, `negative-and-neutral` or `off`. */
    followUps: text('follow_ups').$type<FollowUpRule>().notNull().default('negative'),
    /** The public review page the thank-you page invites every respondent to (https), or null. */
    reviewUrl: text('review_url'),
    /** Who owns a follow-up no agent name matches; null = unassigned. */
    defaultOwnerPersonId: text('default_owner_person_id'),
    /**
     * The priority rule: JSON object from an answer to a priority (`{"0":"critical"}`); answers it
     * does not name take the default (NPS 0–3 and the lowest answer of other scales `high`, else
     * `medium`). Null = the default for every answer.
     */
    followUpPriorities: text('follow_up_priorities', { mode: 'json' }).$type<Record<string, FollowUpPriority>>(),
  },
  (t) => [index('surveys_workspace_id_idx').on(t.workspaceId, t.createdAt)],
);
