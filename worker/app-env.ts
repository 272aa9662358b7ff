import type { Context } from 'hono';
import type { Config } from './config';
import type { Db } from './db';
import type { Workspace } from './db/workspaces';
import type { ClientInfo } from './lib/signals';

/** Hono typing shared by the app and its routes. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** Set by requireApiKey on /api routes. */
    workspace: Workspace;
  };
};

export type AppContext = Context<AppEnv>;

/**
 * Everything the portable app needs, built by an entry file (the composition root). Routes get
 * these, never `c.env` or `process.env`.
 */
export interface AppDeps {
  db: Db;
  config: Config;
  /** The current time; tests freeze it. */
  clock: () => Date;
  /** Network facts of the request, which only the runtime knows (socket address, `request.cf`). */
  clientInfo: (c: AppContext) => ClientInfo;
  /** Where unexpected errors are reported (defaults to console.error). */
  logError?: (message: string, fields: Record<string, unknown>) => void;
}
