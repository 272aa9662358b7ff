import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import type { Db } from '../db';
import { findWorkspaceByApiKey } from '../db/workspaces';
import { AppError } from '../lib/errors';

/** Bearer authentication (RFC 6750) with a workspace API key; sets `workspace` for the routes. */
export function requireApiKey(db: Db): MiddlewareHandler<AppEnv> {
  return async function requireApiKeyMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const workspace = match?.[1] ? await findWorkspaceByApiKey(db, match[1]) : null;
    if (!workspace) {
      c.header('WWW-Authenticate', 'Bearer realm="clickback"');
      throw new AppError('UNAUTHORIZED', match ? 'The API key is not valid.' : 'Send your workspace API key as "Authorization: Bearer <key>".');
    }
    c.set('workspace', workspace);
    await next();
  };
}
