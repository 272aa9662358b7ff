import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env';
import { probeWrite } from '../db/health';

/**
 * Liveness (`/healthz`, never touches the database) and readiness (`/readyz`: the database takes a
 * write, else 503 in the error envelope).
 */
export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/healthz', function healthz(c) {
      return c.json({ status: 'ok' });
    })
    .get('/readyz', async function readyz(c) {
      await probeWrite(deps.db, deps.clock());
      return c.json({ status: 'ready' });
    });
}
