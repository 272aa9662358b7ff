import type { InStatement, InValue, Row } from '@libsql/client';
import type { FollowUpLogAction, FollowUpPriority, FollowUpStatus } from '../../schema/followup-settings';
import type { ResponseStatus } from '../../schema/responses';
import type { Scale, Sentiment } from '../../schema/scales';
import type { WebhookEventType } from '../../schema/webhooks';
import { newId, sqlNewId } from '../lib/ids';
import type { Db } from './index';
import { num, str } from './row-values';
import { deliveriesStatement } from './webhooks';

/**
 * Follow-ups as stored (issue 16). The rules that open, reopen, withdraw and delete them are the
 * triggers `followups_…` of migration 0019; these are the reads, the changes people make, and the
 * overdue sweep.
 */

export interface FollowUpRow {
  id: string;
  workspaceId: string;
  surveyId: string;
  surveyName: string;
  scale: Scale;
  responseId: string;
  status: FollowUpStatus;
  priority: FollowUpPriority;
  owner: PersonRef | null;
  dueAt: number;
  createdAt: number;
  updatedAt: number;
  firstActionAt: number | null;
  resolvedAt: number | null;
  rootCause: string | null;
  solved: boolean | null;
  overdueNotifiedAt: number | null;
  touched: boolean;
  response: {
    id: string;
    subject: string;
    recipient: string;
    agent: string | null;
    score: number;
    sentiment: Sentiment;
    status: ResponseStatus;
    comment: string | null;
    firstAnsweredAt: number;
    lastAnsweredAt: number;
  };
}

export interface PersonRef {
  id: string;
  name: string;
  email: string;
}

/** The columns every read of a follow-up selects, in the order `toRow` reads them. */
const COLUMNS = `f.id, f.workspace_id, f.survey_id, s.name AS survey_name, s.scale, f.response_id, f.status, f.priority,
  f.owner_person_id, o.name AS owner_name, o.email AS owner_email, f.due_at, f.created_at, f.updated_at, f.first_action_at,
  f.resolved_at, f.root_cause, f.solved, f.overdue_notified_at, f.touched,
  r.subject, r.recipient, r.agent, r.score, r.sentiment, r.status AS response_status, r.comment, r.first_answered_at, r.last_answered_at`;
const FROM = `FROM followups f JOIN responses r ON r.id = f.response_id JOIN surveys s ON s.id = f.survey_id LEFT JOIN people o ON o.id = f.owner_person_id`;

function toRow(row: Row): FollowUpRow {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    surveyId: String(row.survey_id),
    surveyName: String(row.survey_name),
    scale: String(row.scale) as Scale,
    responseId: String(row.response_id),
    status: String(row.status) as FollowUpStatus,
    priority: String(row.priority) as FollowUpPriority,
    owner: row.owner_person_id === null ? null : { id: String(row.owner_person_id), name: String(row.owner_name ?? ''), email: String(row.owner_email ?? '') },
    dueAt: Number(row.due_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    firstActionAt: num(row.first_action_at),
    resolvedAt: num(row.resolved_at),
    rootCause: str(row.root_cause),
    solved: row.solved === null ? null : Boolean(Number(row.solved)),
    overdueNotifiedAt: num(row.overdue_notified_at),
    touched: Boolean(Number(row.touched)),
    response: {
      id: String(row.response_id),
      subject: String(row.subject),
      recipient: String(row.recipient),
      agent: str(row.agent),
      score: Number(row.score),
      sentiment: String(row.sentiment) as Sentiment,
      status: String(row.response_status) as ResponseStatus,
      comment: str(row.comment),
      firstAnsweredAt: Number(row.first_answered_at),
      lastAnsweredAt: Number(row.last_answered_at),
    },
  };
}

export type FollowUpSortKey = 'due' | '-due' | 'created' | '-created';

export interface FollowUpFilters {
  status?: FollowUpStatus[];
  priority?: FollowUpPriority[];
  /** A person id, or null for the unassigned. */
  owner?: string | null;
  surveyId?: string;
  /** Not resolved and past due at `now`. */
  overdue?: boolean;
  /** A customer (recipient, case-insensitively) or a ticket ref (subject). */
  q?: string;
  sort: FollowUpSortKey;
  now: number;
  limit: number;
  /** The sort value and id of the last row of the previous page. */
  after?: { key: number; id: string };
}

/** A page of a workspace's follow-ups; one row more than `limit` tells that more exist. */
export async function listFollowUpRows(db: Db, workspaceId: string, filters: FollowUpFilters): Promise<FollowUpRow[]> {
  const where: string[] = ['f.workspace_id = ?'];
  const args: InValue[] = [workspaceId];
  if (filters.status?.length) {
    where.push(`f.status IN (${filters.status.map(() => '?').join(', ')})`);
    args.push(...filters.status);
  }
  if (filters.priority?.length) {
    where.push(`f.priority IN (${filters.priority.map(() => '?').join(', ')})`);
    args.push(...filters.priority);
  }
  if (filters.owner === null) where.push('f.owner_person_id IS NULL');
  else if (filters.owner !== undefined) {
    where.push('f.owner_person_id = ?');
    args.push(filters.owner);
  }
  if (filters.surveyId) {
    where.push('f.survey_id = ?');
    args.push(filters.surveyId);
  }
  if (filters.overdue !== undefined) {
    where.push(filters.overdue ? `f.status <> 'resolved' AND f.due_at <= ?` : `NOT (f.status <> 'resolved' AND f.due_at <= ?)`);
    args.push(filters.now);
  }
  if (filters.q) {
    where.push('(r.recipient = ? COLLATE NOCASE OR r.subject = ?)');
    args.push(filters.q, filters.q);
  }
  const column = filters.sort.endsWith('due') ? 'f.due_at' : 'f.created_at';
  const descending = filters.sort.startsWith('-');
  if (filters.after) {
    const op = descending ? '<' : '>';
    where.push(`(${column} ${op} ? OR (${column} = ? AND f.id ${op} ?))`);
    args.push(filters.after.key, filters.after.key, filters.after.id);
  }
  const direction = descending ? 'DESC' : 'ASC';
  const { rows } = await db.$client.execute({
    sql: `SELECT ${COLUMNS} ${FROM} WHERE ${where.join(' AND ')} ORDER BY ${column} ${direction}, f.id ${direction} LIMIT ?`,
    args: [...args, filters.limit + 1],
  });
  return rows.map(toRow);
}

/** The follow-up opened for a response, if any (one per response: `followups_response_id` is unique). */
export async function followUpIdOfResponse(db: Db, workspaceId: string, responseId: string): Promise<string | null> {
  const { rows } = await db.$client.execute({ sql: 'SELECT id FROM followups WHERE response_id = ? AND workspace_id = ?', args: [responseId, workspaceId] });
  return rows[0] ? String(rows[0].id) : null;
}

/** One follow-up of this workspace, or null (another workspace's is simply not found). */
export async function getFollowUpRow(db: Db, workspaceId: string, id: string): Promise<FollowUpRow | null> {
  const { rows } = await db.$client.execute({ sql: `SELECT ${COLUMNS} ${FROM} WHERE f.id = ? AND f.workspace_id = ?`, args: [id, workspaceId] });
  return rows[0] ? toRow(rows[0]) : null;
}

export interface FollowUpNoteRow {
  id: string;
  author: PersonRef | null;
  text: string;
  at: number;
}

export interface FollowUpLogRow {
  at: number;
  actor: PersonRef | null;
  action: FollowUpLogAction;
  from: string | null;
  to: string | null;
}

export interface OtherResponseRow {
  id: string;
  surveyId: string;
  surveyName: string;
  scale: Scale;
  subject: string;
  score: number;
  sentiment: Sentiment;
  status: ResponseStatus;
  firstAnsweredAt: number;
}

const personOf = (id: unknown, name: unknown, email: unknown): PersonRef | null => (id === null || id === undefined ? null : { id: String(id), name: String(name ?? ''), email: String(email ?? '') });

/** A follow-up's notes and log in the order written, and the customer's other responses in the workspace (newest first, at most 50). */
export async function getFollowUpHistory(db: Db, followUp: FollowUpRow): Promise<{ notes: FollowUpNoteRow[]; log: FollowUpLogRow[]; otherResponses: OtherResponseRow[] }> {
  const [notes, log, others] = await db.$client.batch(
    [
      {
        sql: `SELECT n.id, n.person_id, p.name, p.email, n.text, n.at FROM followup_notes n LEFT JOIN people p ON p.id = n.person_id
              WHERE n.followup_id = ? ORDER BY n.at, n.rowid`,
        args: [followUp.id],
      },
      {
        sql: `SELECT l.at, l.actor_person_id, p.name, p.email, l.action, l."from", l."to" FROM followup_log l LEFT JOIN people p ON p.id = l.actor_person_id
              WHERE l.followup_id = ? ORDER BY l.id`,
        args: [followUp.id],
      },
      {
        sql: `SELECT r.id, r.survey_id, s.name, s.scale, r.subject, r.score, r.sentiment, r.status, r.first_answered_at
              FROM responses r JOIN surveys s ON s.id = r.survey_id
              WHERE r.workspace_id = ? AND r.recipient = ? AND r.id <> ? ORDER BY r.first_answered_at DESC, r.id DESC LIMIT 50`,
        args: [followUp.workspaceId, followUp.response.recipient, followUp.responseId],
      },
    ],
    'read',
  );
  return {
    notes: notes!.rows.map((row) => ({ id: String(row.id), author: personOf(row.person_id, row.name, row.email), text: String(row.text), at: Number(row.at) })),
    log: log!.rows.map((row) => ({
      at: Number(row.at),
      actor: personOf(row.actor_person_id, row.name, row.email),
      action: String(row.action) as FollowUpLogAction,
      from: str(row.from),
      to: str(row.to),
    })),
    otherResponses: others!.rows.map((row) => ({
      id: String(row.id),
      surveyId: String(row.survey_id),
      surveyName: String(row.name),
      scale: String(row.scale) as Scale,
      subject: String(row.subject),
      score: Number(row.score),
      sentiment: String(row.sentiment) as Sentiment,
      status: String(row.status) as ResponseStatus,
      firstAnsweredAt: Number(row.first_answered_at),
    })),
  };
}

/** A member of the workspace by person id or sign-in email (case-insensitive), or null. */
export async function findMember(db: Db, workspaceId: string, idOrEmail: string): Promise<PersonRef | null> {
  const { rows } = await db.$client.execute({
    sql: `SELECT p.id, p.name, p.email FROM people p JOIN memberships m ON m.person_id = p.id AND m.workspace_id = ?
          WHERE p.id = ? OR p.email = lower(?) LIMIT 1`,
    args: [workspaceId, idOrEmail, idOrEmail],
  });
  const row = rows[0];
  return row ? { id: String(row.id), name: String(row.name), email: String(row.email) } : null;
}

/** The workspace's follow-up settings: due hours per priority and the root-cause list. */
export async function getWorkspaceFollowUpSettings(db: Db, workspaceId: string): Promise<{ dueHours: Record<FollowUpPriority, number>; rootCauses: string[] } | null> {
  const { rows } = await db.$client.execute({ sql: 'SELECT follow_up_due_hours, follow_up_root_causes FROM workspaces WHERE id = ?', args: [workspaceId] });
  const row = rows[0];
  if (!row) return null;
  return { dueHours: JSON.parse(String(row.follow_up_due_hours)) as Record<FollowUpPriority, number>, rootCauses: JSON.parse(String(row.follow_up_root_causes)) as string[] };
}

/** Stores the workspace's follow-up settings (checked by the caller). Due times already set stay. */
export async function setWorkspaceFollowUpSettings(db: Db, workspaceId: string, settings: { dueHours?: Record<FollowUpPriority, number>; rootCauses?: string[] }): Promise<void> {
  await db.$client.execute({
    sql: 'UPDATE workspaces SET follow_up_due_hours = coalesce(?, follow_up_due_hours), follow_up_root_causes = coalesce(?, follow_up_root_causes) WHERE id = ?',
    args: [settings.dueHours ? JSON.stringify(settings.dueHours) : null, settings.rootCauses ? JSON.stringify(settings.rootCauses) : null, workspaceId],
  });
}

/** One change of a follow-up by a person (or the API key), as `writeFollowUpChange` stores it. */
export interface FollowUpChange {
  set: {
    status?: FollowUpStatus;
    priority?: FollowUpPriority;
    ownerPersonId?: string | null;
    dueAt?: number;
    firstActionAt?: number;
    resolvedAt?: number | null;
    rootCause?: string | null;
    solved?: boolean | null;
    overdueNotifiedAt?: null;
  };
  log: { action: FollowUpLogAction; from: string | null; to: string | null }[];
  note?: { id: string; text: string };
  /** Webhook events to queue (due at once). */
  events: WebhookEventType[];
}

const SET_COLUMNS: Record<keyof FollowUpChange['set'], string> = {
  status: 'status',
  priority: 'priority',
  ownerPersonId: 'owner_person_id',
  dueAt: 'due_at',
  firstActionAt: 'first_action_at',
  resolvedAt: 'resolved_at',
  rootCause: 'root_cause',
  solved: 'solved',
  overdueNotifiedAt: 'overdue_notified_at',
};

/**
 * Stores a change in ONE atomic write: the follow-up (marked touched, so a withdrawn vote no longer
 * deletes it), the note, the log lines, and the webhook events with a delivery to each subscribed
 * endpoint. `expectUpdatedAt` guards against a concurrent change: nothing is written when the
 * follow-up changed since it was read (false).
 */
export async function writeFollowUpChange(
  db: Db,
  input: { workspaceId: string; id: string; responseId: string; actorPersonId: string | null; at: number; expectUpdatedAt: number; change: FollowUpChange },
): Promise<{ written: boolean; webhooksQueued: boolean }> {
  const { workspaceId, id, responseId, actorPersonId, at, change } = input;
  const entries = Object.entries(change.set) as [keyof FollowUpChange['set'], unknown][];
  const statements: InStatement[] = [
    {
      sql: `UPDATE followups SET ${entries.map(([key]) => `${SET_COLUMNS[key]} = ?, `).join('')}touched = 1, updated_at = ? WHERE id = ? AND workspace_id = ? AND updated_at = ?`,
      args: [...entries.map(([, value]) => (typeof value === 'boolean' ? (value ? 1 : 0) : (value as InValue))), at, id, workspaceId, input.expectUpdatedAt],
    },
  ];
  if (change.note) {
    statements.push({
      sql: `INSERT INTO followup_notes (id, followup_id, person_id, text, at) SELECT ?, ?, ?, ?, ? WHERE changes() > 0`,
      args: [change.note.id, id, actorPersonId, change.note.text, at],
    });
  }
  // Each statement below runs only when the UPDATE wrote: its row count is read back through the marker.
  const written = `EXISTS (SELECT 1 FROM followups WHERE id = ? AND updated_at = ? AND touched = 1)`;
  for (const line of change.log) {
    statements.push({
      sql: `INSERT INTO followup_log (followup_id, at, actor_person_id, action, "from", "to") SELECT ?, ?, ?, ?, ?, ? WHERE ${written}`,
      args: [id, at, actorPersonId, line.action, line.from, line.to, id, at],
    });
  }
  const causeId = newId('event');
  if (change.events.length) {
    statements.push(
      {
        sql: `INSERT INTO webhook_events (id, workspace_id, type, response_id, cause_id, score, sentiment, comment, occurred_at)
              SELECT ${sqlNewId('webhookEvent', String(Math.trunc(at)))}, r.workspace_id, t.value, r.id, ?, r.score, r.sentiment, r.comment, ?
              FROM responses r, json_each(?) t
              WHERE r.id = ? AND ${written}
                AND EXISTS (SELECT 1 FROM webhook_endpoints e, json_each(e.events) j WHERE e.workspace_id = r.workspace_id AND j.value = t.value)`,
        args: [causeId, at, JSON.stringify(change.events), responseId, id, at],
      },
      deliveriesStatement([causeId]),
    );
  }
  const results = await db.$client.batch(statements, 'write');
  return { written: (results[0]?.rowsAffected ?? 0) > 0, webhooksQueued: change.events.length > 0 && (results.at(-1)?.rowsAffected ?? 0) > 0 };
}

/**
 * The earliest due time of a follow-up not yet told overdue and not resolved, or null: when the
 * Node loop should run the dispatcher, whose runs queue `followup.overdue` (the partial index
 * `followups_due_idx` holds only these, in due order).
 */
export async function nextFollowUpDueAt(db: Db): Promise<number | null> {
  const { rows } = await db.$client.execute(`SELECT due_at FROM followups WHERE overdue_notified_at IS NULL AND status <> 'resolved' ORDER BY due_at LIMIT 1`);
  return rows[0] ? Number(rows[0].due_at) : null;
}

/**
 * Queues `followup.overdue` once for follow-ups not resolved whose due time has passed, at most
 * `limit` per call (the oldest due first), in ONE write: they are stamped (`overdue_notified_at`),
 * and each gets the event and a delivery to each subscribed endpoint. A follow-up is stamped even
 * when no endpoint subscribes: it was due, and nobody is to be told twice. Returns how many.
 */
export async function queueOverdue(db: Db, now: number, limit: number): Promise<{ stamped: number; webhooksQueued: boolean }> {
  // A cheap read first: the sweep runs with every dispatch, and most of the time finds nothing.
  const due = await db.$client.execute({
    sql: `SELECT 1 FROM followups WHERE overdue_notified_at IS NULL AND status <> 'resolved' AND due_at <= ? LIMIT 1`,
    args: [now],
  });
  if (!due.rows.length) return { stamped: 0, webhooksQueued: false };
  const causeId = newId('event');
  const results = await db.$client.batch(
    [
      {
        sql: `UPDATE followups SET overdue_notified_at = ? WHERE id IN (
                SELECT id FROM followups WHERE overdue_notified_at IS NULL AND status <> 'resolved' AND due_at <= ? ORDER BY due_at LIMIT ?)`,
        args: [now, now, limit],
      },
      {
        sql: `INSERT INTO webhook_events (id, workspace_id, type, response_id, cause_id, score, sentiment, comment, occurred_at)
              SELECT ${sqlNewId('webhookEvent', String(Math.trunc(now)))}, f.workspace_id, 'followup.overdue', r.id, ?, r.score, r.sentiment, r.comment, ?
              FROM followups f JOIN responses r ON r.id = f.response_id
              WHERE f.overdue_notified_at = ? AND f.status <> 'resolved' AND f.due_at <= ?
                AND NOT EXISTS (SELECT 1 FROM webhook_events x WHERE x.response_id = f.response_id AND x.type = 'followup.overdue' AND x.occurred_at >= f.due_at)
                AND EXISTS (SELECT 1 FROM webhook_endpoints e, json_each(e.events) j WHERE e.workspace_id = f.workspace_id AND j.value = 'followup.overdue')`,
        args: [causeId, now, now, now],
      },
      deliveriesStatement([causeId]),
    ],
    'write',
  );
  return { stamped: results[0]?.rowsAffected ?? 0, webhooksQueued: (results[2]?.rowsAffected ?? 0) > 0 };
}

/** The raw material of `followUpMetrics`: the follow-ups opened in the period, and the recovery counts. */
export async function followUpMetricRows(
  db: Db,
  workspaceId: string,
  range: { surveyId?: string; from: number; to: number },
): Promise<{ followUps: { status: FollowUpStatus; createdAt: number; dueAt: number; firstActionAt: number | null; resolvedAt: number | null }[]; recovery: { customers: number; withNext: number; recovered: number } }> {
  const survey = range.surveyId ? 'AND survey_id = ?' : '';
  const surveyArgs = range.surveyId ? [range.surveyId] : [];
  const [followUps, recovery] = await db.$client.batch(
    [
      {
        sql: `SELECT status, created_at, due_at, first_action_at, resolved_at FROM followups
              WHERE workspace_id = ? AND created_at >= ? AND created_at < ? ${survey}`,
        args: [workspaceId, range.from, range.to, ...surveyArgs],
      },
      {
        // Per customer, the first negative counted response answered in the period (of the survey,
        // if given), and the customer's next counted response in the order answered (any survey of
        // the workspace). Both read ranges of indexes (the period's responses; one customer's on
        // responses_recipient_idx) rather than numbering every response of the workspace, which
        // cost seconds at a few hundred thousand responses and sits on the report's path.
        sql: `SELECT count(*) AS customers, count(nx.id) AS with_next, coalesce(sum(nx.sentiment <> 'negative'), 0) AS recovered
              FROM (SELECT recipient, first_answered_at, id FROM (
                      SELECT recipient, first_answered_at, id,
                             row_number() OVER (PARTITION BY recipient ORDER BY first_answered_at, id) AS k
                      FROM responses
                      WHERE workspace_id = ? AND status = 'counted' AND sentiment = 'negative' AND first_answered_at >= ? AND first_answered_at < ? ${survey})
                    WHERE k = 1) neg
              LEFT JOIN responses nx ON nx.id = (
                SELECT r.id FROM responses r
                WHERE r.workspace_id = ? AND r.recipient = neg.recipient AND r.status = 'counted'
                  AND (r.first_answered_at > neg.first_answered_at OR (r.first_answered_at = neg.first_answered_at AND r.id > neg.id))
                ORDER BY r.first_answered_at, r.id LIMIT 1)`,
        args: [workspaceId, range.from, range.to, ...surveyArgs, workspaceId],
      },
    ],
    'read',
  );
  const r = recovery!.rows[0]!;
  return {
    followUps: followUps!.rows.map((row) => ({
      status: String(row.status) as FollowUpStatus,
      createdAt: Number(row.created_at),
      dueAt: Number(row.due_at),
      firstActionAt: num(row.first_action_at),
      resolvedAt: num(row.resolved_at),
    })),
    recovery: { customers: Number(r.customers), withNext: Number(r.with_next), recovered: Number(r.recovered) },
  };
}

/** Replaces a member's agent names in a workspace (names are matched case-insensitively, ASCII letters). */
export async function setMemberAgentNames(db: Db, workspaceId: string, personId: string, names: string[]): Promise<void> {
  await db.$client.batch(
    [
      { sql: 'DELETE FROM member_agent_names WHERE workspace_id = ? AND person_id = ?', args: [workspaceId, personId] },
      ...names.map((name) => ({
        sql: 'INSERT INTO member_agent_names (workspace_id, person_id, name, name_key) VALUES (?, ?, ?, lower(?))',
        args: [workspaceId, personId, name, name],
      })),
    ],
    'write',
  );
}

/** Each member's agent names in a workspace. */
export async function listMemberAgentNames(db: Db, workspaceId: string): Promise<{ personId: string; name: string }[]> {
  const { rows } = await db.$client.execute({ sql: 'SELECT person_id, name FROM member_agent_names WHERE workspace_id = ? ORDER BY person_id, name_key', args: [workspaceId] });
  return rows.map((row) => ({ personId: String(row.person_id), name: String(row.name) }));
}
