import type { AppDeps } from '../../app-env';
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
import {
  createWebhook,
  deleteWebhook,
  getDelivery,
  getWebhook,
  listDeliveries,
  listWebhooks,
  pingWebhook,
  replayWebhookEvent,
  retryDelivery,
  rotateWebhookSecret,
  updateWebhook,
} from './contract';
import { apiRouter } from './router';

/**
 * `/api/v1/webhooks`: endpoints of the caller's workspace, their deliveries, retries and replays.
 * The signing secret appears in a response only when created (201) and when rotated.
 */
export function webhookRoutes(deps: AppDeps) {
  return apiRouter()
    .openapi(createWebhook, async function registerEndpoint(c) {
      const created = await createEndpoint(deps, c.get('workspace').id, c.req.valid('json'));
      return c.json(created, 201, { Location: `/api/v1/webhooks/${created.id}` });
    })
    .openapi(listWebhooks, async function listAllEndpoints(c) {
      return c.json({ data: await listEndpointsJson(deps, c.get('workspace').id) }, 200);
    })
    .openapi(getWebhook, async function getOneEndpoint(c) {
      return c.json(await getEndpointJson(deps, c.get('workspace').id, c.req.valid('param').id), 200);
    })
    .openapi(updateWebhook, async function updateOneEndpoint(c) {
      const body = c.req.valid('json');
      const updated = await changeEndpoint(deps, c.get('workspace').id, c.req.valid('param').id, body);
      // Resumed: what queued up while it was paused goes out now.
      if (updated.status === 'active' && body.status === 'active') deliverSoon(deps, c);
      return c.json(updated, 200);
    })
    .openapi(deleteWebhook, async function deleteOneEndpoint(c) {
      await removeEndpoint(deps, c.get('workspace').id, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(rotateWebhookSecret, async function rotateEndpointSecret(c) {
      return c.json(await rotateSecret(deps, c.get('workspace').id, c.req.valid('param').id), 200);
    })
    .openapi(pingWebhook, async function pingOneEndpoint(c) {
      return c.json(await pingEndpoint(deps, c.get('workspace').id, c.req.valid('param').id), 200);
    })
    .openapi(listDeliveries, async function listEndpointDeliveries(c) {
      return c.json(await listDeliveryPage(deps, c.get('workspace').id, c.req.valid('param').id, c.req.valid('query')), 200);
    })
    .openapi(getDelivery, async function getOneDelivery(c) {
      const { id, deliveryId } = c.req.valid('param');
      return c.json(await getDeliveryJson(deps, c.get('workspace').id, id, deliveryId), 200);
    })
    .openapi(retryDelivery, async function retryOneDelivery(c) {
      const { id, deliveryId } = c.req.valid('param');
      const delivery = await retryDeliveryNow(deps, c.get('workspace').id, id, deliveryId);
      deliverSoon(deps, c);
      return c.json(delivery, 202);
    })
    .openapi(replayWebhookEvent, async function replayOneEvent(c) {
      const { event } = c.req.valid('json');
      const delivery = await replayEvent(deps, c.get('workspace').id, c.req.valid('param').id, event);
      deliverSoon(deps, c);
      return c.json(delivery, 201);
    });
}
