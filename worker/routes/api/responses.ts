import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import { getResponse, listResponseEvents, listResponses } from '../../db/responses';
import { AppError } from '../../lib/errors';
import { RESPONSE_STATUSES, type ResponseStatus } from '../../../schema/responses';
import { decodeCursor, encodeCursor, eventJson, responseJson } from './json';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function parseSince(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new AppError('VALIDATION_FAILED', '"since" must be an ISO 8601 date or epoch milliseconds.', { field: 'since' });
  return ms;
}

function parseLimit(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError('VALIDATION_FAILED', `"limit" must be a whole number from 1 to ${MAX_LIMIT}.`, { field: 'limit' });
  }
  return limit;
}

function parseStatus(text: string | undefined): ResponseStatus | 'all' {
  if (text === undefined || text === '') return 'counted';
  if (text === 'all' || (RESPONSE_STATUSES as readonly string[]).includes(text)) return text as ResponseStatus | 'all';
  throw new AppError('VALIDATION_FAILED', `"status" must be one of ${RESPONSE_STATUSES.join(', ')} or all.`, { field: 'status' });
}

/** `/api/v1/responses`: list (filtered, newest first, cursor-paged) and get one with its history. */
export function responseRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', async function listAllResponses(c) {
      const q = c.req.query();
      const limit = parseLimit(q.limit);
      const workspaceId = c.get('workspace').id;
      const rows = await listResponses(deps.db, workspaceId, {
        surveyId: q.survey || undefined,
        subject: q.subject || undefined,
        recipient: q.recipient || q.email || undefined,
        since: parseSince(q.since),
        status: parseStatus(q.status),
        limit,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return c.json({
        data: page.map((row) => responseJson(row.response, row.scale)),
        next: rows.length > limit && last ? encodeCursor(last.response) : null,
      });
    })
    .get('/:id', async function getOneResponse(c) {
      const found = await getResponse(deps.db, c.get('workspace').id, c.req.param('id'));
      if (!found) throw new AppError('NOT_FOUND', 'No response with this id in your workspace.');
      const events = await listResponseEvents(deps.db, found.response.id);
      return c.json({ ...responseJson(found.response, found.scale), events: events.map(eventJson) });
    });
}
