import type { InStatement, InValue } from '@libsql/client';
import { EVENT_HOLDS_SIGNALS } from '../../schema/responses';
import type { Db } from './index';

/** A subquery selecting response ids, with its arguments. */
export interface IdQuery {
  sql: string;
  args: InValue[];
}

/** What a deletion counts, per kind (the API's `Erasure`, the team app's erased page). */
export const ERASURE_KINDS = ['responses', 'events', 'contacts', 'followUps', 'followUpNotes', 'followUpLog', 'reviewClicks', 'webhookEvents', 'webhookDeliveries'] as const;
export type ErasureKind = (typeof ERASURE_KINDS)[number];

/** What one deletion removed, per kind. */
export type DeletedCounts = Record<ErasureKind, number>;

/**
 * Rows a response owns, deleted with it. THE EXTENSION POINT for what a response owns later: a
 * table whose rows are keyed by a response id (follow-ups, their notes and log) gets one entry in
 * `RESPONSE_OWNED_ROWS`, in delete order (a row's children before it), and its kind one name in
 * `ERASURE_KINDS` (the compiler then asks for its API description and its team-app label). Every
 * deletion (erasure by the API, the CLI and the team app, the customer's "Delete my answer",
 * response retention) then removes those rows in the same atomic batch as the response, and
 * counts them.
 */
export interface ResponseOwnedRows {
  kind: Exclude<ErasureKind, 'responses' | 'contacts'>;
  /** The DELETE of the rows owned by the responses `ids` selects (a subquery of response ids). */
  deleteFor(ids: IdQuery): InStatement;
}

/** Rows whose `response_id` holds the id of the response they belong to. */
export function keyedByResponse(kind: ResponseOwnedRows['kind'], table: string): ResponseOwnedRows {
  return { kind, deleteFor: (ids) => ({ sql: `DELETE FROM ${table} WHERE response_id IN (${ids.sql})`, args: ids.args }) };
}

/** Rows that belong to a response through a `parent` row keyed by it: their `column` holds the parent's id. */
function keyedThrough(kind: ResponseOwnedRows['kind'], table: string, column: string, parent: string): ResponseOwnedRows {
  return { kind, deleteFor: (ids) => ({ sql: `DELETE FROM ${table} WHERE ${column} IN (SELECT id FROM ${parent} WHERE response_id IN (${ids.sql}))`, args: ids.args }) };
}

/**
 * What a response owns besides its contact, children first. Webhook rows go too, sent or not: a
 * pending delivery would send the data after the erasure, and a sent one's
 * `last_response`/`last_error` may echo the comment.
 */
export const RESPONSE_OWNED_ROWS: readonly ResponseOwnedRows[] = [
  // A follow-up's notes and log belong to the response through the follow-up, deleted next. (The
  // trigger `followups_erase_with_response` would remove them too; deleting them here counts them.)
  keyedThrough('followUpNotes', 'followup_notes', 'followup_id', 'followups'),
  keyedThrough('followUpLog', 'followup_log', 'followup_id', 'followups'),
  keyedByResponse('followUps', 'followups'),
  keyedByResponse('reviewClicks', 'review_clicks'),
  // A delivery belongs to a response through its webhook event, deleted next.
  keyedThrough('webhookDeliveries', 'webhook_deliveries', 'event_id', 'webhook_events'),
  keyedByResponse('webhookEvents', 'webhook_events'),
  keyedByResponse('events', 'response_events'),
];

/**
 * Which responses a deletion removes: one by id (the customer's "Delete my answer"; the team app's
 * erasure of an anonymous vote, then within its workspace), every one stored for an address or a
 * customer id (erasure), or the oldest (retention: up to `limit` whose last answer and comment are
 * before `before`, by `responses_last_answered_at_idx`).
 */
export type ResponseSelection =
  | { by: 'id'; responseId: string; workspaceId?: string }
  | { by: 'recipient'; workspaceId: string; recipients: string[] }
  | { by: 'age'; before: number; limit: number };

/** A suppression written in the erasure's own batch, so a click between the two cannot slip in. */
export interface SuppressionRow {
  workspaceId: string;
  hash: string;
  kid: string;
  at: number;
}

/**
 * THE deletion of responses: every path that deletes a response comes here, so everything a
 * response owns (`RESPONSE_OWNED_ROWS`, its contact) goes in ONE atomic write with it, children
 * first. Responses are deleted by `DELETE FROM responses` statements, so triggers on `responses`
 * (report aggregates kept by SQLite) see every deletion.
 *
 * The selection's subquery runs again in each statement, so it must select the same responses
 * until the `responses` statement: an erasure's may read `response_contacts` (anonymous votes that
 * left the address), so those contacts are deleted last, after their responses; the contacts
 * deleted first are those of the responses selected by their own columns.
 */
export async function deleteResponses(db: Db, selection: ResponseSelection, suppress: SuppressionRow | null = null): Promise<DeletedCounts> {
  const { ids, own, contactsAfter } = selectionQueries(selection);
  const statements: InStatement[] = [
    { sql: `DELETE FROM response_contacts WHERE response_id IN (${own.sql})`, args: own.args },
    ...RESPONSE_OWNED_ROWS.map((rows) => rows.deleteFor(ids)),
    { sql: `DELETE FROM responses WHERE id IN (${ids.sql})`, args: ids.args },
  ];
  if (contactsAfter) statements.push({ sql: `DELETE FROM response_contacts WHERE response_id IN (${contactsAfter.sql})`, args: contactsAfter.args });
  if (suppress) {
    statements.push({
      sql: 'INSERT INTO suppressed_recipients (workspace_id, hash, kid, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      args: [suppress.workspaceId, suppress.hash, suppress.kid, suppress.at],
    });
  }
  const affected = (await db.$client.batch(statements, 'write')).map((r) => r.rowsAffected);
  const counts = Object.fromEntries(ERASURE_KINDS.map((kind) => [kind, 0])) as DeletedCounts;
  counts.contacts = affected[0]! + (contactsAfter ? affected[RESPONSE_OWNED_ROWS.length + 2]! : 0);
  RESPONSE_OWNED_ROWS.forEach((rows, i) => (counts[rows.kind] += affected[i + 1]!));
  counts.responses = affected[RESPONSE_OWNED_ROWS.length + 1]!;
  return counts;
}

function selectionQueries(selection: ResponseSelection): { ids: IdQuery; own: IdQuery; contactsAfter?: IdQuery } {
  if (selection.by === 'id') {
    const one =
      selection.workspaceId === undefined
        ? { sql: 'SELECT id FROM responses WHERE id = ?', args: [selection.responseId] }
        : { sql: 'SELECT id FROM responses WHERE id = ? AND workspace_id = ?', args: [selection.responseId, selection.workspaceId] };
    return { ids: one, own: one };
  }
  if (selection.by === 'age') {
    const old = {
      sql: 'SELECT id FROM responses WHERE last_answered_at < ? AND (commented_at IS NULL OR commented_at < ?) ORDER BY last_answered_at LIMIT ?',
      args: [selection.before, selection.before, selection.limit],
    };
    return { ids: old, own: old };
  }
  const own = byRecipient(selection.workspaceId, selection.recipients);
  const contacts = byContact(selection.workspaceId, selection.recipients);
  return { ids: { sql: `${own.sql} UNION ${contacts.sql}`, args: [...own.args, ...contacts.args] }, own, contactsAfter: contacts };
}

/** The recipients a person's address is stored as: per-message links, and `hint:` votes of signature links. */
export function recipientForms(emails: string[]): string[] {
  return [...new Set(emails.flatMap((email) => [email, `hint:${email}`]))];
}

const placeholders = (values: unknown[]) => values.map(() => '?').join(', ');

function byRecipient(workspaceId: string, emails: string[]): IdQuery {
  const forms = recipientForms(emails);
  return { sql: `SELECT id FROM responses WHERE workspace_id = ? AND recipient IN (${placeholders(forms)})`, args: [workspaceId, ...forms] };
}

function byContact(workspaceId: string, emails: string[]): IdQuery {
  return { sql: `SELECT response_id FROM response_contacts WHERE workspace_id = ? AND email IN (${placeholders(emails)})`, args: [workspaceId, ...emails] };
}

/**
 * Clears the request signals of up to `limit` events older than `before`, oldest first, keeping
 * their classification and reason. Walks `response_events_signals_idx`, which holds only the
 * events that still have signals, so a run reads what it clears and nothing else.
 */
export async function clearSignalsBefore(db: Db, before: number, limit: number): Promise<number> {
  const result = await db.$client.execute({
    sql: `UPDATE response_events SET ip_prefix = NULL, user_agent = NULL, accept_language = NULL, asn = NULL, as_organization = NULL, country = NULL
          WHERE id IN (SELECT id FROM response_events WHERE ${EVENT_HOLDS_SIGNALS} AND at < ? ORDER BY at LIMIT ?)`,
    args: [before, limit],
  });
  return result.rowsAffected;
}

/** True when one of `hashes` is suppressed in this workspace (by the primary key). */
export async function isSuppressed(db: Db, workspaceId: string, hashes: string[]): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `SELECT 1 FROM suppressed_recipients WHERE workspace_id = ? AND hash IN (${placeholders(hashes)}) LIMIT 1`,
    args: [workspaceId, ...hashes],
  });
  return result.rows.length > 0;
}

/** The ids of every response of the workspace stored for the address: by recipient, and by a contact left on the thank-you page. */
export async function findResponseIds(db: Db, workspaceId: string, emails: string[]): Promise<string[]> {
  const own = byRecipient(workspaceId, emails);
  const contacts = byContact(workspaceId, emails);
  const result = await db.$client.execute({ sql: `${own.sql} UNION ${contacts.sql}`, args: [...own.args, ...contacts.args] });
  return result.rows.map((row) => String(row[0]));
}
