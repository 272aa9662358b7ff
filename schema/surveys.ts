import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
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
  },
  (t) => [index('surveys_workspace_id_idx').on(t.workspaceId, t.createdAt)],
);
