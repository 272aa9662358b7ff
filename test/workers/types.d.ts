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
  /** A queue handler's batch, built by the pool (its messages record ack() and retry()). */
  export interface MessageBatch<Body = unknown> {
    readonly queue: string;
    readonly messages: readonly { id: string; timestamp: Date; attempts: number; body: Body; ack(): void; retry(options?: { delaySeconds?: number }): void }[];
  }
  export function createMessageBatch<Body = unknown>(queueName: string, messages: { id: string; timestamp: Date | number; attempts: number; body: Body }[]): MessageBatch<Body>;
  /** What a queue handler acked and retried, once its waitUntil work has settled. */
  export interface QueueResult {
    outcome: string;
    ackAll: boolean;
    retryBatch: { retry: boolean; delaySeconds?: number };
    explicitAcks: string[];
    retryMessages: { msgId: string; delaySeconds?: number }[];
  }
  export function getQueueResult(batch: MessageBatch, ctx: ExecutionContext): Promise<QueueResult>;
}
