import { and, desc, eq, gte, lt, or, type SQL } from 'drizzle-orm';
import type { InStatement } from '@libsql/client';
import { responseEvents, responses, surveys } from '../../schema';
import type { ResponseStatus } from '../../schema/responses';
import type { Scale, Sentiment } from '../../schema/scales';
import { newId, newResponseId } from '../lib/ids';
import type { RequestSignals } from '../lib/signals';
import type { Db } from './index';
import type { Survey } from './surveys';

export type ResponseRow = typeof responses.$inferSelect;
export type ResponseEvent = typeof responseEvents.$inferSelect;
export type ResponseWithScale = { response: ResponseRow; scale: Scale };

export interface VoteInput {
  workspaceId: string;
  surveyId: string;
  scale: string;
  subject: string;
  recipient: string;
  agent: string | null;
  score: number;
  sentiment: Sentiment;
  signals: RequestSignals;
  at: number;
}

/** The columns of an event row after its kind and score, in the order of EVENT_SIGNAL_SQL. */
const EVENT_SIGNAL_COLUMNS = 'at, method, user_agent, accept_language, sec_fetch, ip_prefix, asn, as_organization, country';
function signalArgs(at: number, s: RequestSignals) {
  return [at, s.method, s.userAgent, s.acceptLanguage, s.secFetch, s.ipPrefix, s.asn, s.asOrganization, s.country];
}

/**
 * Records a vote in ONE round trip: an atomic write batch (`db.$write`; the write lock is taken up
 * front, so concurrent clicks queue instead of failing on lock upgrade) with three statements:
 *
 * 1. an upsert keyed by (survey, subject, recipient) that inserts only if the survey exists in that
 *    workspace with that scale, and updates only when the answer differs (same click = no change);
 * 2. an event row, written only if (1) changed something (`changes()` still refers to (1));
 * 3. the response's id.
 *
 * Returns null when the survey does not exist (nothing was written).
 */
export async function upsertVote(db: Db, vote: VoteInput): Promise<{ id: string } | null> {
  const identity = [vote.surveyId, vote.subject, vote.recipient];
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO responses (id, workspace_id, survey_id, subject, recipient, agent, score, sentiment, revision, first_answered_at, last_answered_at)
            SELECT ?, s.workspace_id, s.id, ?, ?, ?, ?, ?, 1, ?, ? FROM surveys s WHERE s.id = ? AND s.workspace_id = ? AND s.scale = ?
            ON CONFLICT (survey_id, subject, recipient) DO UPDATE SET
              score = excluded.score, sentiment = excluded.sentiment, last_answered_at = excluded.last_answered_at,
              agent = coalesce(excluded.agent, responses.agent), revision = responses.revision + 1
            WHERE responses.score <> excluded.score`,
      args: [newResponseId(), vote.subject, vote.recipient, vote.agent, vote.score, vote.sentiment, vote.at, vote.at, vote.surveyId, vote.workspaceId, vote.scale],
    },
    {
      sql: `INSERT INTO response_events (id, response_id, kind, score, ${EVENT_SIGNAL_COLUMNS})
            SELECT ?, r.id, CASE r.revision WHEN 1 THEN 'created' ELSE 'changed' END, r.score, ?, ?, ?, ?, ?, ?, ?, ?, ?
            FROM responses r WHERE r.survey_id = ? AND r.subject = ? AND r.recipient = ? AND changes() > 0`,
      args: [newId('event'), ...signalArgs(vote.at, vote.signals), ...identity],
    },
    { sql: 'SELECT id FROM responses WHERE survey_id = ? AND subject = ? AND recipient = ?', args: identity },
  ];
  const results = await db.$write(statements);
  const row = results[2]?.rows[0];
  return row ? { id: String(row.id) } : null;
}

/**
 * Stores a comment (replacing an earlier one) and its event in one atomic batch.
 * Returns false when the response does not exist.
 */
export async function saveComment(db: Db, responseId: string, comment: string, signals: RequestSignals, at: number): Promise<boolean> {
  const results = await db.$write(
    [
      {
        sql: `UPDATE responses SET comment = ?, commented_at = ?, revision = revision + 1 WHERE id = ? AND comment IS NOT ?`,
        args: [comment, at, responseId, comment],
      },
      {
        sql: `INSERT INTO response_events (id, response_id, kind, score, ${EVENT_SIGNAL_COLUMNS})
              SELECT ?, r.id, 'commented', r.score, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM responses r WHERE r.id = ? AND changes() > 0`,
        args: [newId('event'), ...signalArgs(at, signals), responseId],
      },
      { sql: 'SELECT 1 FROM responses WHERE id = ?', args: [responseId] },
    ],
  );
  return (results[2]?.rows.length ?? 0) > 0;
}

/** A response with its survey, by the response's (unguessable) id: what the thank-you page shows. */
export async function getResponseWithSurvey(db: Db, responseId: string): Promise<{ response: ResponseRow; survey: Survey } | null> {
  const [row] = await db
    .select({ response: responses, survey: surveys })
    .from(responses)
    .innerJoin(surveys, eq(surveys.id, responses.surveyId))
    .where(eq(responses.id, responseId))
    .limit(1);
  return row ?? null;
}

export interface ResponseFilters {
  surveyId?: string;
  subject?: string;
  recipient?: string;
  /** Only responses first answered at or after this time (epoch ms). */
  since?: number;
  status?: ResponseStatus | 'all';
  limit: number;
  /** Position after which to continue: the last row of the previous page. */
  after?: { firstAnsweredAt: number; id: string };
}

/** A page of a workspace's responses, newest first; one row more than `limit` tells that more exist. */
export async function listResponses(db: Db, workspaceId: string, filters: ResponseFilters): Promise<ResponseWithScale[]> {
  const where: (SQL | undefined)[] = [eq(responses.workspaceId, workspaceId)];
  if (filters.surveyId) where.push(eq(responses.surveyId, filters.surveyId));
  if (filters.subject) where.push(eq(responses.subject, filters.subject));
  if (filters.recipient) where.push(eq(responses.recipient, filters.recipient));
  if (filters.since !== undefined) where.push(gte(responses.firstAnsweredAt, filters.since));
  if (filters.status && filters.status !== 'all') where.push(eq(responses.status, filters.status));
  if (filters.after) {
    const { firstAnsweredAt, id } = filters.after;
    where.push(or(lt(responses.firstAnsweredAt, firstAnsweredAt), and(eq(responses.firstAnsweredAt, firstAnsweredAt), lt(responses.id, id))));
  }
  return db
    .select({ response: responses, scale: surveys.scale })
    .from(responses)
    .innerJoin(surveys, eq(surveys.id, responses.surveyId))
    .where(and(...where))
    .orderBy(desc(responses.firstAnsweredAt), desc(responses.id))
    .limit(filters.limit + 1);
}

/** One response of this workspace, or null. */
export async function getResponse(db: Db, workspaceId: string, responseId: string): Promise<ResponseWithScale | null> {
  const [row] = await db
    .select({ response: responses, scale: surveys.scale })
    .from(responses)
    .innerJoin(surveys, eq(surveys.id, responses.surveyId))
    .where(and(eq(responses.id, responseId), eq(responses.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

/** The history of a response, oldest first. */
export async function listResponseEvents(db: Db, responseId: string): Promise<ResponseEvent[]> {
  return db.select().from(responseEvents).where(eq(responseEvents.responseId, responseId)).orderBy(responseEvents.at, responseEvents.id);
}
