import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env';
import { validationHook } from './validate';

/** A router for `/api/v1` routes: requests that fail their schema get the VALIDATION_FAILED envelope. */
export function apiRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
