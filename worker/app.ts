import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext, AppDeps, AppEnv } from './app-env';
import { AppError, type ErrorCode, isDatabaseUnavailable } from './lib/errors';
import { pickLocale } from './lib/i18n';
import { randomBase32 } from './lib/ids';
import { requireApiKey } from './middleware/require-api-key';
import { securityHeaders } from './middleware/security-headers';
import { voteRateLimit } from './middleware/vote-rate-limit';
import { renderErrorPage } from './pages/error-page';
import { emailRoutes } from './routes/api/emails';
import { linkRoutes } from './routes/api/links';
import { responseRoutes } from './routes/api/responses';
import { surveyRoutes } from './routes/api/surveys';
import { webhookRoutes } from './routes/api/webhooks';
import { responseContactRoutes, signatureLinkRoutes, snippetRoutes } from './routes/api/snippets';
import { clickRoutes } from './routes/click';
import { faceRoutes } from './routes/faces';
import { signatureClickRoutes } from './routes/signature-click';
import { snippetPageRoutes } from './routes/snippet-page';
import { healthRoutes } from './routes/health';
import { staticRoutes } from './routes/static';
import { thankYouRoutes } from './routes/thank-you';
import { teamAppRoutes } from './routes/app';

export type { AppDeps } from './app-env';

/**
 * The largest JSON body an API route accepts (64 KB). The largest legitimate body, a survey with a
 * 500-character question in many languages, is a few KB; without a limit a client could make the
 * server hold a 200 MB body in memory. A route that needs more (a batch) would get its own,
 * documented, larger limit here; none does today.
 */
export const API_BODY_LIMIT_BYTES = 64 * 1024;

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
  app.use(securityHeaders({ publicUrl: deps.config.publicUrl }));
  // Before any route opens a token or writes: a flood from one network stops here.
  app.use(voteRateLimit(deps));

  app.route('/', healthRoutes(deps));
  app.route('/', staticRoutes());
  app.route('/', clickRoutes(deps));
  app.route('/', thankYouRoutes(deps));
  app.route('/', signatureClickRoutes(deps));
  app.route('/', faceRoutes());
  app.route('/', snippetPageRoutes(deps));
  app.route('/app', teamAppRoutes(deps));

  const api = new Hono<AppEnv>();
  // Counted while the body streams in (chunked or without Content-Length too), so an oversized body
  // is refused after 64 KB is read, never buffered whole; before auth, so nobody makes us read more.
  api.use(
    bodyLimit({
      maxSize: API_BODY_LIMIT_BYTES,
      onError() {
        throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${API_BODY_LIMIT_BYTES / 1024} KB.`);
      },
    }),
  );
  api.use(requireApiKey(deps.db));
  api.route('/surveys', surveyRoutes(deps));
  api.route('/links', linkRoutes(deps));
  api.route('/responses', responseRoutes(deps));
  api.route('/webhooks', webhookRoutes(deps));
  api.route('/snippets', snippetRoutes(deps));
  api.route('/signature-links', signatureLinkRoutes(deps));
  api.route('/emails', emailRoutes(deps));
  api.route('/responses', responseContactRoutes(deps));
  app.route('/api/v1', api);

  app.notFound(function notFound(c) {
    return respondWithError(c, new AppError('NOT_FOUND', 'Nothing here.'));
  });

  app.onError(function handleError(error, c) {
    if (error instanceof AppError) return respondWithError(c, error);
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
  // The rest of an oversized body is still on its way: close the connection rather than read it
  // to reach the next request (RFC 9110 §15.5.14). Only Node sends it; workerd manages connections.
  if (error.code === 'PAYLOAD_TOO_LARGE') c.header('Connection', 'close');
  if (c.req.path.startsWith('/api/') || c.req.path === '/readyz') {
    const body: { code: ErrorCode; message: string; requestId: string; details?: unknown } = { code: error.code, message: error.message, requestId };
    if (error.details !== undefined) body.details = error.details;
    return c.json({ error: body }, error.status);
  }
  return c.html(renderErrorPage(pickLocale(c.req.header('accept-language')), error.code, requestId), error.status);
}
