import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import { getResponse, listResponseEvents } from '../../db/responses';
import { AppError } from '../../lib/errors';
import { listResponsePage } from '../../services/responses';
import { eventJson, responseJson } from '../../services/representations';

/** `/api/v1/responses`: list (filtered, newest first, cursor-paged) and get one with its history. */
export function responseRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', async function listAllResponses(c) {
      const q = c.req.query();
      return c.json(await listResponsePage(deps.db, c.get('workspace').id, { ...q, recipient: q.recipient || q.email }));
    })
    .get('/:id', async function getOneResponse(c) {
      const found = await getResponse(deps.db, c.get('workspace').id, c.req.param('id'));
      if (!found) throw new AppError('NOT_FOUND', 'No response with this id in your workspace.');
      const events = await listResponseEvents(deps.db, found.response.id);
      return c.json({ ...responseJson(found.response, found.scale), events: events.map(eventJson) });
    });
}
