import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { responses } from './responses';
import { surveys } from './surveys';
import { workspaces } from './workspaces';

/**
 * Clicks on a survey's review invitation (issue 16), once per response: the first click of a
 * respondent counts, later ones change nothing. Erasing a response takes its click with it.
 */
export const reviewClicks = sqliteTable(
  'review_clicks',
  {
    responseId: text('response_id')
      .primaryKey()
      .references(() => responses.id, { onDelete: 'cascade' }),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    surveyId: text('survey_id')
      .notNull()
      .references(() => surveys.id),
    at: integer('at').notNull(),
  },
  // The counts per survey read the first; the second is the child key of the survey's foreign key
  // (SQLite, "Foreign Key Support" §3: without it a survey's delete would scan this table).
  (t) => [index('review_clicks_workspace_id_idx').on(t.workspaceId, t.surveyId), index('review_clicks_survey_id_idx').on(t.surveyId)],
);
