import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppContext, AppDeps, AppEnv } from './app-env';
import { AppError, type ErrorCode, isDatabaseUnavailable } from './lib/errors';
import { pickLocale } from './lib/i18n';
import { randomBase32 } from './lib/ids';
import { requireApiKey } from './middleware/require-api-key';
import { securityHeaders } from './middleware/security-headers';
import { renderErrorPage } from './pages/error-page';
import { openApiDocument } from './routes/api/contract';
import { emailRoutes } from './routes/api/emails';
import { linkRoutes } from './routes/api/links';
import { responseRoutes } from './routes/api/responses';
import { surveyRoutes } from './routes/api/surveys';
import { fromHttpException } from './routes/api/validate';
import { webhookRoutes } from './routes/api/webhooks';
import { responseContactRoutes, signatureLinkRoutes, snippetRoutes } from './routes/api/snippets';
import { clickRoutes } from './routes/click';
import { faceRoutes } from './routes/faces';
import { signatureClickRoutes } from './routes/signature-click';
import { snippetPageRoutes } from './routes/snippet-page';
import { healthRoutes } from './routes/health';
import { staticRoutes } from './routes/static';
import { thankYouRoutes } from './routes/thank-you';

export type { AppDeps } from './app-env';

/**
 * The portable app: the same on Node and on Workers. Entry files build `deps` (database client,
 * validated config, clock, runtime signals) and hand them over; nothing here knows the runtime.
 *
 * Where a click goes: `routes/click.ts` → `services/capture.ts` → `db/responses.ts` (the vote and,
 * in the same write, its webhook outbox rows), then `routes/thank-you.ts` renders
 * `pages/thank-you.ts`. Webhooks leave through `services/deliver.ts`.
 */
export function createApp(deps: AppDeps) {
  const logError = deps.logError ?? ((message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })));
  const app = new Hono<AppEnv>();

  app.use(async function assignRequestId(c, next) {
    c.set('requestId', `req_${randomBase32(80)}`);
    await next();
  });
  app.use(securityHeaders());

  app.route('/', healthRoutes(deps));
  app.route('/', staticRoutes());
  app.route('/', clickRoutes(deps));
  app.route('/', thankYouRoutes(deps));
  app.route('/', signatureClickRoutes(deps));
  app.route('/', faceRoutes());
  app.route('/', snippetPageRoutes(deps));

  // The API's description is public (no key): registered before the API's key check runs.
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/api/v1/openapi.json', function serveOpenApi(c) {
    document ??= openApiDocument();
    return c.json(document);
  });

  // Each router declares full paths (`routes/api/contract.ts`), so they all mount at the root.
  const api = new Hono<AppEnv>();
  api.use(requireApiKey(deps.db));
  api.route('/', surveyRoutes(deps));
  api.route('/', linkRoutes(deps));
  api.route('/', responseRoutes(deps));
  api.route('/', webhookRoutes(deps));
  api.route('/', snippetRoutes(deps));
  api.route('/', signatureLinkRoutes(deps));
  api.route('/', emailRoutes(deps));
  api.route('/', responseContactRoutes(deps));
  app.route('/api/v1', api);

  app.notFound(function notFound(c) {
    return respondWithError(c, new AppError('NOT_FOUND', 'Nothing here.'));
  });

  app.onError(function handleError(error, c) {
    if (error instanceof AppError) return respondWithError(c, error);
    if (error instanceof HTTPException) return respondWithError(c, fromHttpException(error));
    if (isDatabaseUnavailable(error)) {
      logError('database unavailable', { requestId: c.get('requestId'), route: c.req.routePath, error: describe(error) });
      return respondWithError(c, new AppError('DB_UNAVAILABLE', 'The database is unavailable; nothing was saved. Try again shortly.'));
    }
    // The URL is not logged: on /r/ and /t/ it is a bearer token.
    logError('unhandled error', { requestId: c.get('requestId'), method: c.req.method, route: c.req.routePath, error: describe(error) });
    return respondWithError(c, new AppError('INTERNAL_ERROR', 'Something went wrong on our side.'));
  });

  return app;
}

function describe(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message, code: (error as { code?: unknown }).code } : String(error);
}

/** API callers get the JSON envelope; customers get a friendly page in their language. */
function respondWithError(c: AppContext, error: AppError) {
  const requestId = c.get('requestId');
  if (error.code === 'DB_UNAVAILABLE') c.header('Retry-After', '30');
  if (c.req.path.startsWith('/api/') || c.req.path === '/readyz') {
    const body: { code: ErrorCode; message: string; requestId: string; details?: unknown } = { code: error.code, message: error.message, requestId };
    if (error.details !== undefined) body.details = error.details;
    return c.json({ error: body }, error.status);
  }
  return c.html(renderErrorPage(pickLocale(c.req.header('accept-language')), error.code, requestId), error.status);
}
