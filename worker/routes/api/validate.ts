import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import type { AppEnv } from '../../app-env';
import { AppError } from '../../lib/errors';
import { validationError } from '../../services/schemas';

/**
 * Runs before a route's body validator: a body that is not `application/json` (the one media type
 * the document declares) gets 415, one that does not parse or is not an object 400, in our
 * envelope instead of the validator's own errors. Hono caches the parsed body, so the validator
 * does not read it twice.
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async function requireJsonBody(c, next) {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send a JSON body with "Content-Type: application/json".');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', 'The body must be a JSON object.');
  await next();
};

/**
 * The `defaultHook` of every API route: a request that fails its schema becomes today's
 * `400 VALIDATION_FAILED` envelope (see `validationError`); no zod error shape leaks out.
 */
export function validationHook(result: { success: true } | { success: false; error: ZodError; target: string }): void {
  if (!result.success) throw validationError(result.error, result.target);
}

/** What a library threw as an HTTPException, as our envelope (a body validator's 400 or 415). */
export function fromHttpException(error: HTTPException): AppError {
  if (error.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send a JSON body with "Content-Type: application/json".');
  if (error.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The body is too large.');
  if (error.status === 400) return new AppError('VALIDATION_FAILED', 'The request is not valid.');
  return new AppError('INTERNAL_ERROR', 'Something went wrong on our side.');
}
