import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Scale } from './scales';
import { surveys } from './surveys';
import { workspaces } from './workspaces';

/**
 * Signature links: the same link in every email an agent sends, so it cannot name the recipient.
 * The URL carries only a signed id of this row (plus unsigned helpdesk placeholders, which are
 * hints); the row says what the vote is about. Never expires; revoked by setting `disabled_at`.
 */
export const signatureLinks = sqliteTable(
  'signature_links',
  {
    id: text('id').primaryKey(), // sl_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    surveyId: text('survey_id')
      .notNull()
      .references(() => surveys.id),
    /** The agent whose signature or macro carries the link; null = the team. */
    agent: text('agent'),
    /** The survey's scale when the link was made (a link keeps its answers if the survey changes). */
    scale: text('scale').$type<Scale>().notNull(),
    createdAt: integer('created_at').notNull(),
    disabledAt: integer('disabled_at'),
  },
  (t) => [index('signature_links_workspace_id_idx').on(t.workspaceId, t.surveyId)],
);

/**
 * What a customer who voted anonymously through a signature link told us on the thank-you page
 * (optional): an email and/or a ticket number. Self-reported, so kept apart from the response's
 * identity (survey, subject, recipient), which it never changes.
 */
export const responseContacts = sqliteTable('response_contacts', {
  responseId: text('response_id').primaryKey(), // rsp_… (one per response; a new answer replaces it)
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  email: text('email'),
  ticket: text('ticket'),
  createdAt: integer('created_at').notNull(),
});
