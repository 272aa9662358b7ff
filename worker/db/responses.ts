import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { InStatement } from '@libsql/client';
import { responseEvents, responses, surveys } from '../../schema';
import type { ResponseStatus } from '../../schema/responses';
import type { Scale, Sentiment } from '../../schema/scales';
import { newId, newResponseId } from '../lib/ids';
import type { RequestSignals } from '../lib/signals';
import type { Db } from './index';
import type { Survey } from './surveys';
import { COMMENT_RULES, outboxStatements, VOTE_RULES } from './webhooks';

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

/** The columns of an event row after its kind and score, in the order of `signalArgs`. */
const EVENT_SIGNAL_COLUMNS = 'at, method, user_agent, accept_language, sec_fetch, ip_prefix, asn, as_organization, country';
function signalArgs(at: number, s: RequestSignals) {
  return [at, s.method, s.userAgent, s.acceptLanguage, s.secFetch, s.ipPrefix, s.asn, s.asOrganization, s.country];
}

const identityOf = (v: { surveyId: string; subject: string; recipient: string }) => `${v.surveyId}\u0000${v.subject}\u0000${v.recipient}`;
const placeholders = (rows: number, columns: number) => Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');

/**
 * Votes on one response within one write go to successive rounds, so each round's rows are
 * distinct responses and the order in which the engine processes a round does not matter.
 */
function rounds(votes: VoteInput[]): { vote: VoteInput; index: number }[][] {
  const seen = new Map<string, number>();
  const out: { vote: VoteInput; index: number }[][] = [];
  votes.forEach((vote, index) => {
    const key = identityOf(vote);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (out[round] ??= []).push({ vote, index });
  });
  return out;
}

/**
 * Records votes in ONE atomic write batch (write mode: the write lock is taken up front, so
 * concurrent clicks queue instead of failing on lock upgrade). On the Worker that is one vote and
 * one round trip; on Node, group commit hands in every vote that arrived meanwhile. Per round of
 * distinct responses, two statements:
 *
 * 1. a multi-row upsert keyed by (survey, subject, recipient) that inserts only where the survey
 *    exists in that workspace with that scale. On conflict it changes the answer only when it
 *    differs, and then stamps the row with this click's event id; the same click again leaves every
 *    value as it was. It RETURNs the id of every response it touched.
 * 2. the event rows, written only for responses that (1) stamped with this click's event id.
 *
 * 3. and 4. the webhook outbox (`outboxStatements`): the events these changes cause, and their
 *    deliveries, for workspaces with subscribed endpoints.
 *
 * In an UPDATE every `responses.*` reference is the row's value before the update, so the CASEs
 * compare against the old answer. Returns, per vote, the response id and whether webhook deliveries
 * were queued by its write, or null when the survey does not exist (nothing was written for it).
 */
export async function upsertVotes(db: Db, votes: VoteInput[]): Promise<(RecordedVote | null)[]> {
  const changed = 'responses.score <> excluded.score';
  const plan = rounds(votes).map((round) => round.map(({ vote, index }) => ({ vote, index, eventId: newId('event') })));
  const statements: InStatement[] = plan.flatMap((round) => [
    {
      sql: `WITH v (id, subject, recipient, agent, score, sentiment, at, event_id, survey_id, workspace_id, scale) AS (VALUES ${placeholders(round.length, 11)})
            INSERT INTO responses (id, workspace_id, survey_id, subject, recipient, agent, score, sentiment, revision, first_answered_at, last_answered_at, last_event_id)
            SELECT v.id, s.workspace_id, s.id, v.subject, v.recipient, v.agent, v.score, v.sentiment, 1, v.at, v.at, v.event_id
            FROM v JOIN surveys s ON s.id = v.survey_id AND s.workspace_id = v.workspace_id AND s.scale = v.scale
            WHERE true
            ON CONFLICT (survey_id, subject, recipient) DO UPDATE SET
              score = excluded.score,
              sentiment = excluded.sentiment,
              agent = coalesce(excluded.agent, responses.agent),
              previous_sentiment = CASE WHEN ${changed} THEN responses.sentiment ELSE responses.previous_sentiment END,
              revision = responses.revision + (${changed}),
              last_answered_at = CASE WHEN ${changed} THEN excluded.last_answered_at ELSE responses.last_answered_at END,
              last_event_id = CASE WHEN ${changed} THEN excluded.last_event_id ELSE responses.last_event_id END
            RETURNING id, survey_id, subject, recipient`,
      args: round.flatMap(({ vote, eventId }) => [
        newResponseId(), vote.subject, vote.recipient, vote.agent, vote.score, vote.sentiment, vote.at, eventId, vote.surveyId, vote.workspaceId, vote.scale,
      ]),
    },
    {
      sql: `WITH v (survey_id, subject, recipient, event_id, ${EVENT_SIGNAL_COLUMNS}) AS (VALUES ${placeholders(round.length, 13)})
            INSERT INTO response_events (id, response_id, kind, score, ${EVENT_SIGNAL_COLUMNS})
            SELECT v.event_id, r.id, CASE r.revision WHEN 1 THEN 'created' ELSE 'changed' END, r.score, ${EVENT_SIGNAL_COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')}
            FROM v JOIN responses r ON r.survey_id = v.survey_id AND r.subject = v.subject AND r.recipient = v.recipient AND r.last_event_id = v.event_id`,
      args: round.flatMap(({ vote, eventId }) => [vote.surveyId, vote.subject, vote.recipient, eventId, ...signalArgs(vote.at, vote.signals)]),
    },
    ...outboxStatements(
      {
        sql: `v (survey_id, subject, recipient, event_id) AS (VALUES ${placeholders(round.length, 4)}),
              x AS (SELECT r.*, v.event_id AS cause_id, r.last_answered_at AS at
                    FROM v JOIN responses r ON r.survey_id = v.survey_id AND r.subject = v.subject AND r.recipient = v.recipient AND r.last_event_id = v.event_id)`,
        args: round.flatMap(({ vote, eventId }) => [vote.surveyId, vote.subject, vote.recipient, eventId]),
      },
      VOTE_RULES,
      round.map(({ eventId }) => eventId),
    ),
  ]);
  const results = await db.$client.batch(statements, 'write');
  const recorded: (RecordedVote | null)[] = votes.map(() => null);
  plan.forEach((round, r) => {
    const touched = new Map((results[r * 4]?.rows ?? []).map((row) => [identityOf({ surveyId: String(row.survey_id), subject: String(row.subject), recipient: String(row.recipient) }), String(row.id)]));
    const queued = (results[r * 4 + 3]?.rowsAffected ?? 0) > 0;
    for (const { vote, index } of round) {
      const id = touched.get(identityOf(vote));
      recorded[index] = id ? { id, webhooksQueued: queued } : null;
    }
  });
  return recorded;
}

export interface RecordedVote {
  id: string;
  /** Webhook deliveries were queued by this write (the caller starts a dispatch in the background). */
  webhooksQueued: boolean;
}

/**
 * Stores a comment (replacing an earlier one), its event and its webhook outbox rows in one atomic
 * batch. Returns null when the response does not exist.
 */
export async function saveComment(db: Db, responseId: string, comment: string, signals: RequestSignals, at: number): Promise<{ webhooksQueued: boolean } | null> {
  const eventId = newId('event');
  const results = await db.$client.batch(
    [
      {
        sql: `UPDATE responses SET comment = ?, commented_at = ?, revision = revision + 1 WHERE id = ? AND comment IS NOT ?`,
        args: [comment, at, responseId, comment],
      },
      {
        sql: `INSERT INTO response_events (id, response_id, kind, score, ${EVENT_SIGNAL_COLUMNS})
              SELECT ?, r.id, 'commented', r.score, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM responses r WHERE r.id = ? AND changes() > 0`,
        args: [eventId, ...signalArgs(at, signals), responseId],
      },
      ...outboxStatements(
        {
          sql: `x AS (SELECT r.*, ? AS cause_id, r.commented_at AS at FROM responses r
                      WHERE r.id = ? AND EXISTS (SELECT 1 FROM response_events WHERE id = ?))`,
          args: [eventId, responseId, eventId],
        },
        COMMENT_RULES,
        [eventId],
      ),
      { sql: 'SELECT 1 FROM responses WHERE id = ?', args: [responseId] },
    ],
    'write',
  );
  if (!results[4]?.rows.length) return null;
  return { webhooksQueued: (results[3]?.rowsAffected ?? 0) > 0 };
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

/**
 * The history of a response in the order it was written (rowid). Not by `at`: that is when each
 * request arrived, and concurrent clicks may commit in another order than they arrived.
 */
export async function listResponseEvents(db: Db, responseId: string): Promise<ResponseEvent[]> {
  return db.select().from(responseEvents).where(eq(responseEvents.responseId, responseId)).orderBy(sql`rowid`);
}
