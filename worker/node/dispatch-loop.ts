import type { Db } from '../db';
import { nextFollowUpDueAt } from '../db/followups';
import { nextDueAt } from '../db/webhooks';
import type { Dispatcher } from '../services/deliver';

/**
 * Node's stand-in for the Workers Cron Trigger: every `intervalMs` it looks (two indexed reads)
 * for a delivery that is due or a follow-up that became overdue, and runs the dispatcher when
 * there is one (its tick queues `followup.overdue` first). Retries 5 s after a failure therefore go out
 * within a second of being due.
 */
export function startDispatchLoop(options: { db: Db; dispatcher: Dispatcher; clock: () => Date; intervalMs?: number; logError: (message: string, fields: Record<string, unknown>) => void }) {
  let current: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    current = (async () => {
      const now = options.clock().getTime();
      const due = await nextDueAt(options.db);
      if ((due !== null && due <= now) || ((await nextFollowUpDueAt(options.db)) ?? Infinity) <= now) await options.dispatcher.tick();
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
