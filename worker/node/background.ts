/**
 * Node has no `ctx.waitUntil`: background work (webhook attempts after a click) is tracked here,
 * so shutdown waits for it instead of cutting a request to a receiver in half.
 */
export function createBackground() {
  const pending = new Set<Promise<unknown>>();
  return {
    run(task: Promise<unknown>): void {
      const tracked = task.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    /** Resolves when everything started so far has finished. */
    async drain(): Promise<void> {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
