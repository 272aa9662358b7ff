import type { AppContext } from '../../app-env';
import { AppError } from '../../lib/errors';

/** Reads a JSON object body or throws VALIDATION_FAILED / UNSUPPORTED_MEDIA_TYPE. */
export async function jsonBody(c: AppContext): Promise<Record<string, unknown>> {
  if (!/^application\/(.+\+)?json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send a JSON body with "Content-Type: application/json".');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', 'The body must be a JSON object.');
  return body as Record<string, unknown>;
}
