import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
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
export const responseContacts = sqliteTable(
  'response_contacts',
  {
    responseId: text('response_id').primaryKey(), // rsp_… (one per response; a new answer replaces it)
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    email: text('email'),
    ticket: text('ticket'),
    createdAt: integer('created_at').notNull(),
  },
  // Erasure and access find a person's anonymous votes by the email they left here.
  (t) => [index('response_contacts_email_idx').on(t.workspaceId, t.email)],
);

/**
 * What one source may count through one signature link per UTC day, and what it tried beyond that.
 * A signature link is public and never expires, so without a cap one network could file any number
 * of counted responses. One row per (link, day, source), source = `net:<ip prefix /24 or /48>` or
 * `browser:<cookie id>`: `responses` counts the responses that source created that day; on a
 * network's row `excess` aggregates the clicks refused beyond the cap (one row, not one per click,
 * so a flood cannot grow the database). Written in the click's own atomic write (`db/responses.ts`);
 * rows older than the evidence window are pruned (`db/signature-links.ts`).
 */
export const signatureVoteCounts = sqliteTable(
  'signature_vote_counts',
  {
    // No foreign key: the row is evidence about a link, kept and pruned by day; a check per click
    // would only cost time on the hot path for a link id that came from a verified token.
    linkId: text('link_id').notNull(),
    /** UTC day number (epoch ms / 86,400,000). */
    day: integer('day').notNull(),
    source: text('source').notNull(),
    /** Responses this source created through this link this day (admitted under the cap). */
    responses: integer('responses').notNull().default(0),
    /** Clicks refused beyond the cap (network rows only): no response, no event, no webhook. */
    excess: integer('excess').notNull().default(0),
    firstExcessAt: integer('first_excess_at'),
    lastExcessAt: integer('last_excess_at'),
    /** The click event last admitted for this source: the response insert of the same batch keys on it. */
    lastEventId: text('last_event_id'),
  },
  (t) => [primaryKey({ columns: [t.linkId, t.day, t.source] }), index('signature_vote_counts_day_idx').on(t.day)],
);
