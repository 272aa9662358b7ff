import type { AppDeps } from '../../app-env';
import { getResponseWithEvents, listResponsePage, overrideResponseStatus } from '../../services/responses';
import { deliverSoon } from '../deliver-soon';
import { exportResponses, getResponse, listResponses, overrideResponse } from './contract';
import { exportFileName, exportResponsesCsv } from '../../services/export';
import { apiRouter } from './router';

/**
 * `/api/v1/responses`: list (filtered, newest first, cursor-paged), export every match as CSV, get one with its history, and
 * override a classification (`PATCH {"status":"counted"|"bot","event"?:"evt_…"}`).
 */
export function responseRoutes(deps: AppDeps) {
  return apiRouter()
    .openapi(listResponses, async function listAllResponses(c) {
      const q = c.req.valid('query');
      return c.json(await listResponsePage(deps.db, c.get('workspace').id, { ...q, recipient: q.recipient || q.email }), 200);
    })
    // Before `/responses/{id}`, which would otherwise take `export` for an id.
    .openapi(exportResponses, async function exportAllResponses(c) {
      const q = c.req.valid('query');
      const query = { ...q, recipient: q.recipient || q.email };
      const stream = exportResponsesCsv(deps.db, c.get('workspace').id, query);
      return new Response(stream, {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${exportFileName(c.get('workspace').id, query, deps.clock())}"`,
          'cache-control': 'no-store',
        },
      }) as never;
    })
    .openapi(getResponse, async function getOneResponse(c) {
      return c.json(await getResponseWithEvents(deps.db, c.get('workspace').id, c.req.valid('param').id), 200);
    })
    .openapi(overrideResponse, async function overrideStatus(c) {
      const body = c.req.valid('json');
      const done = await overrideResponseStatus(deps, c.get('workspace').id, c.req.valid('param').id, body, 'api');
      if (done.webhooksQueued) deliverSoon(deps, c);
      return c.json(done.response, 200);
    });
}
