/// <reference types="vite/client" />

/**
 * The part of `cloudflare:test` these tests use. The plugin's own declarations need
 * @cloudflare/workers-types as the global lib, which clashes with the DOM/Node types the rest of the
 * project type-checks against.
 */
declare module 'cloudflare:test' {
  import type { ExecutionContext } from 'hono';
  /** The bindings of wrangler.toml, as miniflare provides them. */
  export const env: { VOTE_RATE_LIMITER?: { limit(options: { key: string }): Promise<{ success: boolean }> } };
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: Date | number; cron?: string }): { cron: string; scheduledTime: number };
}
