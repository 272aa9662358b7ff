import type { ExecutionContext } from 'hono';
import { createClient } from '@libsql/client/web';
import { createApp } from './app';
import type { AppContext } from './app-env';
import { loadConfig } from './config';
import { createDb } from './db';
import { UNKNOWN_CLIENT, type ClientInfo } from './lib/signals';

/**
 * The Cloudflare Workers entry. The database is Turso (or any libSQL server) reached over HTTP with
 * `@libsql/client/web`; settings and secrets arrive as bindings (`wrangler.toml` vars and
 * `wrangler secret put`). Workspaces and API keys are created with the CLI pointed at the same
 * database.
 */
export interface Env {
  /** `libsql://…` or `https://…`. */
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  PUBLIC_URL?: string;
  LINK_KEYS: string;
  FORM_KEYS: string;
  LINK_TTL_DAYS?: string;
}

type App = ReturnType<typeof createApp>;

/**
 * One app (and one database client) per isolate, rebuilt only if the bindings change: building
 * per request would re-validate config and re-import keys on every click.
 */
let cached: { key: string; app: App } | undefined;

function appFor(env: Env): App {
  const raw = {
    DATABASE_URL: env.DATABASE_URL,
    DATABASE_AUTH_TOKEN: env.DATABASE_AUTH_TOKEN,
    PUBLIC_URL: env.PUBLIC_URL,
    LINK_KEYS: env.LINK_KEYS,
    FORM_KEYS: env.FORM_KEYS,
    LINK_TTL_DAYS: env.LINK_TTL_DAYS,
  };
  const key = JSON.stringify(raw);
  if (cached?.key === key) return cached.app;
  const config = loadConfig(raw);
  const client = createClient({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  const app = createApp({ db: createDb(client), config, clock: () => new Date(), clientInfo: workersClientInfo });
  cached = { key, app };
  return app;
}

/** Cloudflare puts the visitor's address in CF-Connecting-IP and its network in `request.cf`. */
function workersClientInfo(c: AppContext): ClientInfo {
  const cf = (c.req.raw as Request & { cf?: { asn?: unknown; asOrganization?: unknown; country?: unknown } }).cf;
  return {
    ...UNKNOWN_CLIENT,
    ip: c.req.header('cf-connecting-ip') ?? null,
    asn: typeof cf?.asn === 'number' ? cf.asn : null,
    asOrganization: typeof cf?.asOrganization === 'string' ? cf.asOrganization : null,
    country: typeof cf?.country === 'string' ? cf.country : null,
  };
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return appFor(env).fetch(request, env, ctx);
  },
};
