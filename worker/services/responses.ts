import { RESPONSE_STATUSES, type ResponseStatus } from '../../schema/responses';
import type { Db } from '../db';
import { getResponse, listResponseEvents, listResponses, overrideClassification, type ResponseFilters } from '../db/responses';
import { SENTIMENTS, type Sentiment } from '../../schema/scales';
import { isId } from '../lib/ids';
import type { ServiceDeps } from './deps';
import { AppError } from '../lib/errors';
import { decodeCursor, encodeCursor, eventJson, responseJson } from './representations';
import { settleWindows } from '../config';
import { parseInstant, parsePropertyFilter } from './reports';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** The filters of a response listing as text, the way the API query and the CLI flags carry them. */
export interface ResponseQuery {
  survey?: string;
  subject?: string;
  recipient?: string;
  since?: string;
  /** ISO 8601 instants: first answered in [from, to). */
  from?: string;
  to?: string;
  /** One agent's responses; `-` (a dash) for responses without an agent. */
  agent?: string;
  /** `name:value` of a segment property. */
  property?: string;
  sentiment?: string;
  score?: string;
  /** `1`: only responses with a comment. */
  comment?: string;
  /** A ticket ref or recipient email starting with this text. */
  q?: string;
  status?: string;
  limit?: string;
  cursor?: string;
}

/** The longest search text: a ticket ref or an email address is shorter. */
const MAX_SEARCH_LENGTH = 200;

function parseSince(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new AppError('VALIDATION_FAILED', '"since" must be an ISO 8601 date or epoch milliseconds.', { field: 'since' });
  return ms;
}

function parseSentiment(text: string | undefined): Sentiment | undefined {
  if (!text) return undefined;
  if ((SENTIMENTS as readonly string[]).includes(text)) return text as Sentiment;
  throw new AppError('VALIDATION_FAILED', `"sentiment" must be one of ${SENTIMENTS.join(', ')}.`, { field: 'sentiment' });
}

function parseScore(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (!/^\d{1,2}$/.test(text) || Number(text) > 10) throw new AppError('VALIDATION_FAILED', '"score" must be an answer from 0 to 10.', { field: 'score' });
  return Number(text);
}

function parseSearch(text: string | undefined): string | undefined {
  const q = text?.trim();
  if (!q) return undefined;
  if (q.length > MAX_SEARCH_LENGTH) throw new AppError('VALIDATION_FAILED', `"q" must be at most ${MAX_SEARCH_LENGTH} characters.`, { field: 'q' });
  return q;
}

function parseComment(text: string | undefined): boolean {
  if (!text) return false;
  if (text === '1' || text === 'true') return true;
  throw new AppError('VALIDATION_FAILED', '"comment" must be 1 (only responses with a comment) or absent.', { field: 'comment' });
}

function parseLimit(text: string | undefined): number {
  if (!text) return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError('VALIDATION_FAILED', `"limit" must be a whole number from 1 to ${MAX_LIMIT}.`, { field: 'limit' });
  }
  return limit;
}

function parseStatus(text: string | undefined): ResponseStatus | 'all' {
  if (!text) return 'counted';
  if (text === 'all' || (RESPONSE_STATUSES as readonly string[]).includes(text)) return text as ResponseStatus | 'all';
  throw new AppError('VALIDATION_FAILED', `"status" must be one of ${RESPONSE_STATUSES.join(', ')} or all.`, { field: 'status' });
}

/**
 * The filters shared by the listing, the export and the team app's feed, parsed, each checked
 * with an error that names its field (VALIDATION_FAILED).
 */
export function responseFilters(query: ResponseQuery): Omit<ResponseFilters, 'limit' | 'after'> {
  const since = parseSince(query.since);
  const from = query.from ? parseInstant(query.from, 'from') : undefined;
  return {
    surveyId: query.survey || undefined,
    subject: query.subject || undefined,
    recipient: query.recipient || undefined,
    agent: query.agent === '-' ? '' : query.agent?.trim() || undefined,
    since: since !== undefined && from !== undefined ? Math.max(since, from) : (since ?? from),
    until: query.to ? parseInstant(query.to, 'to') : undefined,
    property: query.property ? parsePropertyFilter(query.property) : undefined,
    sentiment: parseSentiment(query.sentiment),
    score: parseScore(query.score),
    withComment: parseComment(query.comment),
    search: parseSearch(query.q),
    status: parseStatus(query.status),
  };
}

/**
 * One page of a workspace's responses, newest first, for the API and the CLI alike:
 * `{ data, next }` where `next` is the opaque cursor of the following page, or null on the last.
 */
export async function listResponsePage(db: Db, workspaceId: string, query: ResponseQuery) {
  const limit = parseLimit(query.limit);
  const rows = await listResponses(db, workspaceId, {
    ...responseFilters(query),
    limit,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => responseJson(row.response, row.scale, row.properties)),
    next: rows.length > limit && last ? encodeCursor(last.response) : null,
  };
}

/** One response of a workspace with its history (every click, its signals and classification). */
export async function getResponseWithEvents(db: Db, workspaceId: string, responseId: string) {
  const found = await getResponse(db, workspaceId, responseId);
  if (!found) throw new AppError('NOT_FOUND', 'No response with this id in your workspace.');
  const events = await listResponseEvents(db, found.response.id);
  return { ...responseJson(found.response, found.scale, found.properties), events: events.map(eventJson) };
}

/**
 * An admin overrides a classification (API `PATCH /api/v1/responses/:id`, CLI `response classify`):
 * `counted` marks one click (`event`, default the last click) as a person's; `bot` marks one click,
 * or without `event` every click of the response, as a robot's. The response is derived again;
 * becoming counted sends its webhooks like any counted vote. Returns the response as it is now.
 */
export async function overrideResponseStatus(deps: ServiceDeps, workspaceId: string, responseId: string, input: { status?: unknown; event?: unknown }, by: 'api' | 'cli' | 'app') {
  const { status, event } = input;
  if (status !== 'counted' && status !== 'bot') throw new AppError('VALIDATION_FAILED', '"status" must be counted or bot.', { field: 'status' });
  if (event !== undefined && event !== null && (typeof event !== 'string' || !isId('event', event))) {
    throw new AppError('VALIDATION_FAILED', '"event" must be the id of one of the response\'s clicks (evt_…).', { field: 'event' });
  }
  const done = await overrideClassification(deps.db, {
    workspaceId,
    responseId,
    eventId: typeof event === 'string' ? event : null,
    status,
    by,
    at: deps.clock().getTime(),
    settle: settleWindows(deps.config),
  });
  if (!done) throw new AppError('NOT_FOUND', 'No such response (or click of it) in your workspace.');
  return { response: await getResponseWithEvents(deps.db, workspaceId, responseId), webhooksQueued: done.webhooksQueued };
}
