import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { PING_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../../../schema/webhooks';
import {
  Delivery,
  DeliveryListQuery,
  DeliveryPage,
  EmailRender,
  ErrorEnvelope,
  FEEDBACK_EVENTS,
  Links,
  LinksCreate,
  PingEvent,
  RenderedEmail,
  Replay,
  ResponseContact,
  ResponseListQuery,
  ResponseOverride,
  ResponsePage,
  ResponseWithEvents,
  SignatureLinkDisabled,
  Snippet,
  SnippetCreate,
  Survey,
  SurveyCreate,
  SurveyList,
  SurveyUpdate,
  FollowUpDetail,
  FollowUpListQuery,
  FollowUpMetrics,
  FollowUpMetricsQuery,
  FollowUpNote,
  FollowUpNoteCreate,
  FollowUpPage,
  FollowUpUpdate,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointList,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
} from '../../services/schemas';
import { requireJsonBody } from './validate';

/**
 * The contract of `/api/v1`: every route with its request schemas (params, query, body) and every
 * status it answers with its body schema. The route files mount these definitions with
 * `app.openapi(definition, handler)`, so what validates a request is what the document says;
 * `openApiDocument()` renders them, with the webhook payloads, as OpenAPI 3.1.
 */

const ERROR_DESCRIPTIONS = {
  400: 'VALIDATION_FAILED: `details.fields` names each bad field by its path (unknown fields are refused).',
  401: 'UNAUTHORIZED: no API key, or not a valid one.',
  404: 'NOT_FOUND: nothing with this id in your workspace.',
  409: 'CONFLICT: not possible in the current state.',
  413: 'PAYLOAD_TOO_LARGE: the body is too large.',
  415: 'UNSUPPORTED_MEDIA_TYPE: send `Content-Type: application/json`.',
  500: 'INTERNAL_ERROR: something went wrong on our side.',
  503: 'DB_UNAVAILABLE: nothing was saved; retry after `Retry-After` seconds.',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;
type JsonResponse<S> = { description: string; content: { 'application/json': { schema: S } } };

function json<S extends z.ZodType>(schema: S, description: string): JsonResponse<S> {
  return { description, content: { 'application/json': { schema } } };
}

/** The shared error envelope for each status; every API route can answer 401, 500 and 503. */
function errors<const S extends ErrorStatus>(...statuses: S[]): { [K in S | 401 | 500 | 503]: JsonResponse<typeof ErrorEnvelope> } {
  const all = [...new Set<ErrorStatus>([...statuses, 401, 500, 503])].sort();
  return Object.fromEntries(all.map((status) => [status, json(ErrorEnvelope, ERROR_DESCRIPTIONS[status])])) as never;
}

/** A JSON request body; `requireJsonBody` answers 415 and unparsable bodies before the schema. */
function body<S extends z.ZodType>(schema: S) {
  return { required: true, content: { 'application/json': { schema } } };
}

const BODY_ERRORS = [400, 413, 415] as const;
/** The rule for query strings is the bodies' one: unknown parameters are refused. */
const NO_QUERY = z.strictObject({});
const security = [{ apiKey: [] }];
const location = { Location: { schema: { type: 'string' as const }, description: 'The new resource.' } };

const pathId = (name: string, example: string) => z.string().openapi({ param: { name, in: 'path' }, example });
const SurveyParams = z.object({ id: pathId('id', 'sv_0000000000000000') });
const ResponseParams = z.object({ id: pathId('id', 'rsp_000000000000000000000000000000000000') });
const EndpointParams = z.object({ id: pathId('id', 'wh_0000000000000000') });
const DeliveryParams = z.object({ id: pathId('id', 'wh_0000000000000000'), deliveryId: pathId('deliveryId', 'whd_0000000000000000') });
const SignatureLinkParams = z.object({ id: pathId('id', 'sl_0000000000000000') });
const FollowUpParams = z.object({ id: pathId('id', 'fu_00000000000000000000') });

// ---------------------------------------------------------------------------------------------
// Surveys
// ---------------------------------------------------------------------------------------------

export const createSurvey = createRoute({
  method: 'post',
  path: '/surveys',
  operationId: 'createSurvey',
  tags: ['Surveys'],
  summary: 'Create a survey',
  security,
  middleware: [requireJsonBody] as const,
  request: { query: NO_QUERY, body: body(SurveyCreate) },
  responses: { 201: { ...json(Survey, 'The survey.'), headers: location }, ...errors(...BODY_ERRORS) },
});

export const listSurveys = createRoute({
  method: 'get',
  path: '/surveys',
  operationId: 'listSurveys',
  tags: ['Surveys'],
  summary: 'List the surveys of your workspace',
  security,
  request: { query: NO_QUERY },
  responses: { 200: json(SurveyList, 'Every survey, newest first.'), ...errors(400) },
});

export const getSurvey = createRoute({
  method: 'get',
  path: '/surveys/{id}',
  operationId: 'getSurvey',
  tags: ['Surveys'],
  summary: 'Get a survey',
  security,
  request: { params: SurveyParams, query: NO_QUERY },
  responses: { 200: json(Survey, 'The survey.'), ...errors(400, 404) },
});

export const updateSurvey = createRoute({
  method: 'patch',
  path: '/surveys/{id}',
  operationId: 'updateSurvey',
  tags: ['Surveys'],
  summary: "Change a survey's follow-up rule and review page",
  security,
  middleware: [requireJsonBody] as const,
  request: { params: SurveyParams, query: NO_QUERY, body: body(SurveyUpdate) },
  responses: { 200: json(Survey, 'The survey as it is now.'), ...errors(...BODY_ERRORS, 404) },
});

// ---------------------------------------------------------------------------------------------
// Follow-ups
// ---------------------------------------------------------------------------------------------

const FOLLOW_UP_ACTOR = 'An API key acts as the system: the log records its changes with no person (`actor: null`).';

export const listFollowUps = createRoute({
  method: 'get',
  path: '/followups',
  operationId: 'listFollowUps',
  tags: ['Follow-ups'],
  summary: 'List follow-ups, soonest due first',
  security,
  request: { query: FollowUpListQuery },
  responses: { 200: json(FollowUpPage, 'A page of follow-ups.'), ...errors(400) },
});

export const getFollowUpMetrics = createRoute({
  method: 'get',
  path: '/followups/metrics',
  operationId: 'getFollowUpMetrics',
  tags: ['Follow-ups'],
  summary: 'How the loop is closed: open, overdue, times to act and resolve, recovery rate',
  security,
  request: { query: FollowUpMetricsQuery },
  responses: { 200: json(FollowUpMetrics, 'The figures of follow-ups opened in the period.'), ...errors(400) },
});

export const getFollowUp = createRoute({
  method: 'get',
  path: '/followups/{id}',
  operationId: 'getFollowUp',
  tags: ['Follow-ups'],
  summary: 'Get a follow-up with its notes, log and the customer\'s other responses',
  security,
  request: { params: FollowUpParams, query: NO_QUERY },
  responses: { 200: json(FollowUpDetail, 'The follow-up.'), ...errors(400, 404) },
});

export const updateFollowUp = createRoute({
  method: 'patch',
  path: '/followups/{id}',
  operationId: 'updateFollowUp',
  tags: ['Follow-ups'],
  summary: 'Change the status, priority or owner of a follow-up',
  description: `Resolving needs \`resolution\`. OWNER_NOT_A_MEMBER (400): the owner is no member of your workspace. ${FOLLOW_UP_ACTOR}`,
  security,
  middleware: [requireJsonBody] as const,
  request: { params: FollowUpParams, query: NO_QUERY, body: body(FollowUpUpdate) },
  responses: { 200: json(FollowUpDetail, 'The follow-up as it is now.'), ...errors(...BODY_ERRORS, 404, 409) },
});

export const addFollowUpNote = createRoute({
  method: 'post',
  path: '/followups/{id}/notes',
  operationId: 'addFollowUpNote',
  tags: ['Follow-ups'],
  summary: 'Add a note to a follow-up',
  description: FOLLOW_UP_ACTOR,
  security,
  middleware: [requireJsonBody] as const,
  request: { params: FollowUpParams, query: NO_QUERY, body: body(FollowUpNoteCreate) },
  responses: { 201: json(FollowUpNote, 'The note.'), ...errors(...BODY_ERRORS, 404, 409) },
});

// ---------------------------------------------------------------------------------------------
// Links, snippets, emails
// ---------------------------------------------------------------------------------------------

export const createLinks = createRoute({
  method: 'post',
  path: '/links',
  operationId: 'createLinks',
  tags: ['Links'],
  summary: 'Mint the links of one message',
  description: 'One signed URL per answer of the survey\'s scale; the recipient and ticket ride inside the token.',
  security,
  middleware: [requireJsonBody] as const,
  request: { query: NO_QUERY, body: body(LinksCreate) },
  responses: { 201: json(Links, 'The links.'), ...errors(...BODY_ERRORS, 404) },
});

export const createSnippet = createRoute({
  method: 'post',
  path: '/snippets',
  operationId: 'createSnippet',
  tags: ['Snippets'],
  summary: 'Build a snippet for a helpdesk signature, macro or template',
  security,
  middleware: [requireJsonBody] as const,
  request: { query: NO_QUERY, body: body(SnippetCreate) },
  responses: { 201: json(Snippet, 'The snippet.'), ...errors(...BODY_ERRORS, 404) },
});

export const disableSignatureLink = createRoute({
  method: 'delete',
  path: '/signature-links/{id}',
  operationId: 'disableSignatureLink',
  tags: ['Snippets'],
  summary: 'Disable a signature link (its votes stay)',
  security,
  request: { params: SignatureLinkParams, query: NO_QUERY },
  responses: { 200: json(SignatureLinkDisabled, 'Disabled.'), ...errors(400, 404) },
});

export const renderEmail = createRoute({
  method: 'post',
  path: '/emails/render',
  operationId: 'renderEmail',
  tags: ['Emails'],
  summary: 'Render the survey email of one message',
  security,
  middleware: [requireJsonBody] as const,
  request: { query: NO_QUERY, body: body(EmailRender) },
  responses: { 200: json(RenderedEmail, 'The email, ready to send.'), ...errors(...BODY_ERRORS, 404) },
});

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export const listResponses = createRoute({
  method: 'get',
  path: '/responses',
  operationId: 'listResponses',
  tags: ['Responses'],
  summary: 'List responses, newest first',
  security,
  request: { query: ResponseListQuery },
  responses: { 200: json(ResponsePage, 'A page of responses.'), ...errors(400) },
});

export const getResponse = createRoute({
  method: 'get',
  path: '/responses/{id}',
  operationId: 'getResponse',
  tags: ['Responses'],
  summary: 'Get a response with its history',
  security,
  request: { params: ResponseParams, query: NO_QUERY },
  responses: { 200: json(ResponseWithEvents, 'The response and every click, comment and decision.'), ...errors(400, 404) },
});

export const overrideResponse = createRoute({
  method: 'patch',
  path: '/responses/{id}',
  operationId: 'overrideResponse',
  tags: ['Responses'],
  summary: 'Override a classification',
  security,
  middleware: [requireJsonBody] as const,
  request: { params: ResponseParams, query: NO_QUERY, body: body(ResponseOverride) },
  responses: { 200: json(ResponseWithEvents, 'The response as it is now.'), ...errors(...BODY_ERRORS, 404) },
});

export const getResponseContact = createRoute({
  method: 'get',
  path: '/responses/{id}/contact',
  operationId: 'getResponseContact',
  tags: ['Responses'],
  summary: 'What an anonymous signature voter told us (self-reported)',
  security,
  request: { params: ResponseParams, query: NO_QUERY },
  responses: { 200: json(ResponseContact, 'The contact.'), ...errors(400, 404) },
});

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

export const createWebhook = createRoute({
  method: 'post',
  path: '/webhooks',
  operationId: 'createWebhook',
  tags: ['Webhooks'],
  summary: 'Register an endpoint',
  description: 'The answer holds the signing secret: the only time it is shown, apart from a rotation.',
  security,
  middleware: [requireJsonBody] as const,
  request: { query: NO_QUERY, body: body(WebhookEndpointCreate) },
  responses: { 201: { ...json(WebhookEndpointWithSecret, 'The endpoint and its secret.'), headers: location }, ...errors(...BODY_ERRORS) },
});

export const listWebhooks = createRoute({
  method: 'get',
  path: '/webhooks',
  operationId: 'listWebhooks',
  tags: ['Webhooks'],
  summary: 'List endpoints',
  security,
  request: { query: NO_QUERY },
  responses: { 200: json(WebhookEndpointList, 'Every endpoint (never a secret).'), ...errors(400) },
});

export const getWebhook = createRoute({
  method: 'get',
  path: '/webhooks/{id}',
  operationId: 'getWebhook',
  tags: ['Webhooks'],
  summary: 'Get an endpoint',
  security,
  request: { params: EndpointParams, query: NO_QUERY },
  responses: { 200: json(WebhookEndpoint, 'The endpoint.'), ...errors(400, 404) },
});

export const updateWebhook = createRoute({
  method: 'patch',
  path: '/webhooks/{id}',
  operationId: 'updateWebhook',
  tags: ['Webhooks'],
  summary: 'Change, pause or resume an endpoint',
  description: 'Resuming sends what queued up while it was paused.',
  security,
  middleware: [requireJsonBody] as const,
  request: { params: EndpointParams, query: NO_QUERY, body: body(WebhookEndpointUpdate) },
  responses: { 200: json(WebhookEndpoint, 'The endpoint as it is now.'), ...errors(...BODY_ERRORS, 404) },
});

export const deleteWebhook = createRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  operationId: 'deleteWebhook',
  tags: ['Webhooks'],
  summary: 'Delete an endpoint',
  security,
  request: { params: EndpointParams, query: NO_QUERY },
  responses: { 204: { description: 'Deleted.' }, ...errors(400, 404) },
});

export const rotateWebhookSecret = createRoute({
  method: 'post',
  path: '/webhooks/{id}/rotate-secret',
  operationId: 'rotateWebhookSecret',
  tags: ['Webhooks'],
  summary: 'Rotate the signing secret',
  description: 'The old secret keeps signing too (a second signature) for 24 hours.',
  security,
  request: { params: EndpointParams, query: NO_QUERY },
  responses: { 200: json(WebhookEndpointWithSecret, 'The endpoint and its new secret.'), ...errors(400, 404) },
});

export const pingWebhook = createRoute({
  method: 'post',
  path: '/webhooks/{id}/ping',
  operationId: 'pingWebhook',
  tags: ['Webhooks'],
  summary: 'Send a webhook.ping now',
  security,
  request: { params: EndpointParams, query: NO_QUERY },
  responses: { 200: json(Delivery, 'The delivery after its attempt.'), ...errors(400, 404, 409) },
});

export const listDeliveries = createRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  operationId: 'listDeliveries',
  tags: ['Webhooks'],
  summary: 'List an endpoint\'s deliveries, newest first',
  security,
  request: { params: EndpointParams, query: DeliveryListQuery },
  responses: { 200: json(DeliveryPage, 'A page of deliveries.'), ...errors(400, 404) },
});

export const getDelivery = createRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries/{deliveryId}',
  operationId: 'getDelivery',
  tags: ['Webhooks'],
  summary: 'Get a delivery',
  security,
  request: { params: DeliveryParams, query: NO_QUERY },
  responses: { 200: json(Delivery, 'The delivery.'), ...errors(400, 404) },
});

export const retryDelivery = createRoute({
  method: 'post',
  path: '/webhooks/{id}/deliveries/{deliveryId}/retry',
  operationId: 'retryDelivery',
  tags: ['Webhooks'],
  summary: 'Retry a delivery now (same webhook-id)',
  security,
  request: { params: DeliveryParams, query: NO_QUERY },
  responses: { 202: json(Delivery, 'The delivery, pending and due.'), ...errors(400, 404, 409) },
});

export const replayWebhookEvent = createRoute({
  method: 'post',
  path: '/webhooks/{id}/replay',
  operationId: 'replayWebhookEvent',
  tags: ['Webhooks'],
  summary: 'Send an event again as a new delivery',
  security,
  middleware: [requireJsonBody] as const,
  request: { params: EndpointParams, query: NO_QUERY, body: body(Replay) },
  responses: { 201: json(Delivery, 'The new delivery.'), ...errors(...BODY_ERRORS, 404) },
});

export const getOpenApiDocument = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['Meta'],
  summary: 'This document (no API key needed)',
  security: [],
  responses: {
    200: { description: 'The OpenAPI 3.1 document of this API.', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    500: json(ErrorEnvelope, ERROR_DESCRIPTIONS[500]),
  },
});

/** Every route of `/api/v1`; a test checks that the app mounts exactly these. */
export const API_ROUTES = [
  createSurvey,
  listSurveys,
  getSurvey,
  updateSurvey,
  listFollowUps,
  getFollowUpMetrics,
  getFollowUp,
  updateFollowUp,
  addFollowUpNote,
  createLinks,
  createSnippet,
  disableSignatureLink,
  renderEmail,
  listResponses,
  getResponse,
  overrideResponse,
  getResponseContact,
  createWebhook,
  listWebhooks,
  getWebhook,
  updateWebhook,
  deleteWebhook,
  rotateWebhookSecret,
  pingWebhook,
  listDeliveries,
  getDelivery,
  retryDelivery,
  replayWebhookEvent,
  getOpenApiDocument,
] as const;

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

/** The Standard Webhooks headers of every delivery (https://www.standardwebhooks.com/). */
const WEBHOOK_HEADERS = z.object({
  'webhook-id': z.string().openapi({ description: 'The delivery id (`whd_…`): the same on every retry, so receivers de-duplicate.' }),
  'webhook-timestamp': z.string().openapi({ description: 'Seconds since the Unix epoch when this attempt was signed.' }),
  'webhook-signature': z.string().openapi({
    description: 'Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<id>.<timestamp>.<body>` (two during a secret rotation).',
  }),
});

const WEBHOOK_DESCRIPTIONS: Record<(typeof WEBHOOK_EVENT_TYPES)[number] | typeof PING_EVENT_TYPE, string> = {
  'feedback.negative': 'A counted answer became negative (after the settle window, in which a comment typed right away rides along).',
  'feedback.created': 'A response got its first counted answer.',
  'feedback.updated': 'A counted answer changed.',
  'feedback.commented': 'A counted response got a comment.',
  'followup.created': 'A follow-up opened for a counted unhappy answer (after the settle window, so a robot burst can still withdraw it).',
  'followup.assigned': 'A follow-up got a new owner, or none.',
  'followup.resolved': 'A follow-up was resolved.',
  'followup.overdue': 'A follow-up passed its due time unresolved (once).',
  'webhook.ping': 'A test sent by `POST /webhooks/{id}/ping`.',
};

const RECEIVER_RESPONSES = {
  200: { description: 'Received: any 2xx ends the delivery.' },
  410: { description: 'Gone: the endpoint is paused (no more deliveries until resumed).' },
};

/** Info of the document: no server URL of a deployment, so the committed file is the same everywhere. */
const INFO = {
  openapi: '3.1.0',
  info: {
    title: 'clickback API',
    version: '1.0.0',
    description:
      'One-click feedback links for support teams. Authenticate with your workspace API key: `Authorization: Bearer cbk_…`. ' +
      'Errors share one envelope `{"error":{"code","message","requestId","details"?}}`; branch on `code`. ' +
      'Unknown fields in a body or a query string are refused with 400 VALIDATION_FAILED naming each one in `details.fields`.',
  },
  servers: [{ url: '/api/v1' }],
};

/**
 * The OpenAPI 3.1 document of `/api/v1`: the routes above, the shapes as named components, the
 * API key scheme and every webhook payload under `webhooks` (the schemas the dispatcher's
 * `webhookPayload` is typed by).
 */
export function openApiDocument() {
  const doc = new OpenAPIHono();
  const registry = doc.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'cbk_…',
    description: 'A workspace API key (`clickback key create`).',
  });
  for (const { middleware: _, ...route } of API_ROUTES as readonly (RouteLike & { middleware?: unknown })[]) registry.registerPath(route);
  const payloads = { ...FEEDBACK_EVENTS, [PING_EVENT_TYPE]: PingEvent };
  for (const [type, schema] of Object.entries(payloads)) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `${type.replace(/\.(.)/g, (_, c: string) => c.toUpperCase())}Webhook`,
      tags: ['Webhook events'],
      summary: type,
      description: WEBHOOK_DESCRIPTIONS[type as keyof typeof WEBHOOK_DESCRIPTIONS],
      request: { headers: WEBHOOK_HEADERS, body: { required: true, content: { 'application/json': { schema } } } },
      responses: RECEIVER_RESPONSES,
    });
  }
  return doc.getOpenAPI31Document(INFO);
}

type RouteLike = Parameters<OpenAPIHono['openAPIRegistry']['registerPath']>[0];
