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
  (t) => [index('review_clicks_survey_id_idx').on(t.workspaceId, t.surveyId)],
);
