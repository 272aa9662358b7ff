import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import {
  changeEndpoint,
  createEndpoint,
  getDeliveryJson,
  getEndpointJson,
  listDeliveryPage,
  listEndpointsJson,
  pingEndpoint,
  removeEndpoint,
  replayEvent,
  retryDeliveryNow,
  rotateSecret,
} from '../../services/webhooks';
import { deliverSoon } from '../deliver-soon';
import { jsonBody } from './validate';

/**
 * `/api/v1/webhooks`: endpoints of the caller's workspace, their deliveries, retries and replays.
 * The signing secret appears in a response only when created (201) and when rotated.
 */
export function webhookRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/', async function registerEndpoint(c) {
      const body = await jsonBody(c);
      const created = await createEndpoint(deps, c.get('workspace').id, { url: body.url, events: body.events, description: body.description });
      return c.json(created, 201, { Location: `/api/v1/webhooks/${created.id}` });
    })
    .get('/', async function listAllEndpoints(c) {
      return c.json({ data: await listEndpointsJson(deps, c.get('workspace').id) });
    })
    .get('/:id', async function getOneEndpoint(c) {
      return c.json(await getEndpointJson(deps, c.get('workspace').id, c.req.param('id')));
    })
    .patch('/:id', async function updateOneEndpoint(c) {
      const body = await jsonBody(c);
      const updated = await changeEndpoint(deps, c.get('workspace').id, c.req.param('id'), { url: body.url, events: body.events, status: body.status, description: body.description });
      // Resumed: what queued up while it was paused goes out now.
      if (updated.status === 'active' && body.status === 'active') deliverSoon(deps, c);
      return c.json(updated);
    })
    .delete('/:id', async function deleteOneEndpoint(c) {
      await removeEndpoint(deps, c.get('workspace').id, c.req.param('id'));
      return c.body(null, 204);
    })
    .post('/:id/rotate-secret', async function rotateEndpointSecret(c) {
      return c.json(await rotateSecret(deps, c.get('workspace').id, c.req.param('id')));
    })
    .post('/:id/ping', async function pingOneEndpoint(c) {
      return c.json(await pingEndpoint(deps, c.get('workspace').id, c.req.param('id')));
    })
    .get('/:id/deliveries', async function listEndpointDeliveries(c) {
      return c.json(await listDeliveryPage(deps, c.get('workspace').id, c.req.param('id'), c.req.query()));
    })
    .get('/:id/deliveries/:deliveryId', async function getOneDelivery(c) {
      return c.json(await getDeliveryJson(deps, c.get('workspace').id, c.req.param('id'), c.req.param('deliveryId')));
    })
    .post('/:id/deliveries/:deliveryId/retry', async function retryOneDelivery(c) {
      const delivery = await retryDeliveryNow(deps, c.get('workspace').id, c.req.param('id'), c.req.param('deliveryId'));
      deliverSoon(deps, c);
      return c.json(delivery, 202);
    })
    .post('/:id/replay', async function replayOneEvent(c) {
      const body = await jsonBody(c);
      const delivery = await replayEvent(deps, c.get('workspace').id, c.req.param('id'), body.event);
      deliverSoon(deps, c);
      return c.json(delivery, 201);
    });
}
