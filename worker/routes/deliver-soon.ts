import type { AppContext, AppDeps } from '../app-env';

/**
 * After a write that queued webhook deliveries: make the first attempt right away, in the
 * background, never slowing the customer's page. A failure here is not the customer's problem:
 * the deliveries are stored, and the timer or the Cron Trigger picks them up.
 */
export function deliverSoon(deps: AppDeps, c: AppContext): void {
  deps.background(
    c,
    deps.dispatcher.run().catch((error: unknown) => {
      (deps.logError ?? console.error)('webhook dispatch failed', { requestId: c.get('requestId'), error: String(error) });
    }),
  );
}
