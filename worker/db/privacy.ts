import type { InStatement, InValue } from '@libsql/client';
import { EVENT_HOLDS_SIGNALS } from '../../schema/responses';
import type { Db } from './index';

/** A subquery selecting response ids, with its arguments. */
interface IdQuery {
  sql: string;
  args: InValue[];
}

/** What a deletion counts, per kind (the API's `Erasure`, the team app's erased page). */
export const ERASURE_KINDS = ['responses', 'events', 'contacts', 'webhookEvents', 'webhookDeliveries'] as const;
export type ErasureKind = (typeof ERASURE_KINDS)[number];

/** What one deletion removed, per kind. */
export type DeletedCounts = Record<ErasureKind, number>;

/**
 * The one place that knows everything a response owns, in the order foreign keys allow (children
 * first). Erasure, self-service deletion and response retention all go through it, so what a
 * response owns later (follow-ups, notes) joins here once and every path deletes it.
 *
 * `ids` must select the same responses until the `responses` statement runs: it may read
 * `response_contacts` only through `contactsAfter` (deleted last), never through the contacts
 * deleted first, which are those of `ownIds` (responses selected by their own columns).
 *
 * Webhook rows of these responses go too, sent or not: a pending delivery would send the data
 * after the erasure, and a sent one's `last_response`/`last_error` may echo the comment.
 */
function deletionStatements(ids: IdQuery, ownIds: IdQuery, contactsAfter?: IdQuery): InStatement[] {
  const statements: InStatement[] = [
    { sql: `DELETE FROM response_contacts WHERE response_id IN (${ownIds.sql})`, args: ownIds.args },
    {
      sql: `DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM webhook_events WHERE response_id IN (${ids.sql}))`,
      args: ids.args,
    },
    { sql: `DELETE FROM webhook_events WHERE response_id IN (${ids.sql})`, args: ids.args },
    { sql: `DELETE FROM response_events WHERE response_id IN (${ids.sql})`, args: ids.args },
    { sql: `DELETE FROM responses WHERE id IN (${ids.sql})`, args: ids.args },
  ];
  if (contactsAfter) statements.push({ sql: `DELETE FROM response_contacts WHERE response_id IN (${contactsAfter.sql})`, args: contactsAfter.args });
  return statements;
}

function countsOf(results: { rowsAffected: number }[]): DeletedCounts {
  const [contacts, webhookDeliveries, webhookEvents, events, responses, contactsAfter] = results.map((r) => r.rowsAffected);
  return { responses: responses!, events: events!, contacts: contacts! + (contactsAfter ?? 0), webhookEvents: webhookEvents!, webhookDeliveries: webhookDeliveries! };
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
 * Erases everything a workspace stores about an address (`emails`: the forms it may be stored
 * under) in ONE atomic write; `suppress` adds the keyed hash in the same write, so a click between
 * the two cannot slip in.
 */
export async function eraseRecipient(
  db: Db,
  workspaceId: string,
  emails: string[],
  suppress: { hash: string; kid: string; at: number } | null,
): Promise<DeletedCounts & { suppressed: boolean }> {
  const own = byRecipient(workspaceId, emails);
  const contacts = byContact(workspaceId, emails);
  const ids = { sql: `${own.sql} UNION ${contacts.sql}`, args: [...own.args, ...contacts.args] };
  const statements = deletionStatements(ids, own, contacts);
  if (suppress) {
    statements.push({
      sql: 'INSERT INTO suppressed_recipients (workspace_id, hash, kid, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      args: [workspaceId, suppress.hash, suppress.kid, suppress.at],
    });
  }
  const results = await db.$client.batch(statements, 'write');
  return { ...countsOf(results.slice(0, 6)), suppressed: suppress !== null };
}

/**
 * Deletes one response and all it owns (the customer's "delete my answer"; the team app's erasure
 * of an anonymous vote, then only within `workspaceId`).
 */
export async function deleteResponse(db: Db, responseId: string, workspaceId?: string): Promise<DeletedCounts> {
  const one =
    workspaceId === undefined
      ? { sql: 'SELECT id FROM responses WHERE id = ?', args: [responseId] }
      : { sql: 'SELECT id FROM responses WHERE id = ? AND workspace_id = ?', args: [responseId, workspaceId] };
  return countsOf(await db.$client.batch(deletionStatements(one, one), 'write'));
}

/**
 * Deletes up to `limit` responses whose last activity (answer or comment) is before `before`,
 * oldest first (by `responses_last_answered_at_idx`), with all they own.
 */
export async function deleteResponsesBefore(db: Db, before: number, limit: number): Promise<DeletedCounts> {
  const old = {
    sql: 'SELECT id FROM responses WHERE last_answered_at < ? AND (commented_at IS NULL OR commented_at < ?) ORDER BY last_answered_at LIMIT ?',
    args: [before, before, limit],
  };
  return countsOf(await db.$client.batch(deletionStatements(old, old), 'write'));
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
