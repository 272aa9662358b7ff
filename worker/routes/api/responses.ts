import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import { getResponseWithEvents, listResponsePage, overrideResponseStatus } from '../../services/responses';
import { deliverSoon } from '../deliver-soon';
import { jsonBody } from './validate';

/**
 * `/api/v1/responses`: list (filtered, newest first, cursor-paged), get one with its history, and
 * override a classification (`PATCH {"status":"counted"|"bot","event"?:"evt_…"}`).
 */
export function responseRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', async function listAllResponses(c) {
      const q = c.req.query();
      return c.json(await listResponsePage(deps.db, c.get('workspace').id, { ...q, recipient: q.recipient || q.email }));
    })
    .get('/:id', async function getOneResponse(c) {
      return c.json(await getResponseWithEvents(deps.db, c.get('workspace').id, c.req.param('id')));
    })
    .patch('/:id', async function overrideStatus(c) {
      const body = await jsonBody(c);
      const done = await overrideResponseStatus(deps, c.get('workspace').id, c.req.param('id'), { status: body.status, event: body.event }, 'api');
      if (done.webhooksQueued) deliverSoon(deps, c);
      return c.json(done.response);
    });
}
