import type { Db } from '../db';
import { nextDueAt } from '../db/webhooks';
import type { Dispatcher } from '../services/deliver';

/**
 * Node's stand-in for the Workers Cron Trigger: every `intervalMs` it looks (one indexed read)
 * for a delivery that is due, and runs the dispatcher when there is one. Retries 5 s after a
 * failure therefore go out within a second of being due.
 */
export function startDispatchLoop(options: { db: Db; dispatcher: Dispatcher; clock: () => Date; intervalMs?: number; logError: (message: string, fields: Record<string, unknown>) => void }) {
  let current: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    current = (async () => {
      const due = await nextDueAt(options.db);
      if (due !== null && due <= options.clock().getTime()) await options.dispatcher.run();
    })()
      .catch((error: unknown) => options.logError('webhook dispatch failed', { error: String(error) }))
      .finally(() => {
        busy = false;
      });
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await current;
    },
  };
}
