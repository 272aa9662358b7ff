import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env';

/** Liveness (`/healthz`, never touches the database) and readiness (`/readyz`, one query). */
export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/healthz', function healthz(c) {
      return c.json({ status: 'ok' });
    })
    .get('/readyz', async function readyz(c) {
      await deps.db.$client.execute('SELECT 1');
      return c.json({ status: 'ready' });
    });
}
