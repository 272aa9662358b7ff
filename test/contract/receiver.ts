import { expect } from 'vitest';
import type { InboxConfig, Receipt } from '../support/webhook-receiver';

let inboxes = 0;

/**
 * One inbox of the test webhook receiver (`test/support/webhook-receiver.ts`), driven over HTTP
 * so the same code runs in Node and in workerd.
 */
export class Inbox {
  readonly name = `crm-${++inboxes}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(private readonly base: string) {}

  /** Where the service should POST. */
  get url(): string {
    return `${this.base}/hooks/${this.name}`;
  }

  async configure(config: InboxConfig): Promise<void> {
    const res = await fetch(`${this.base}/inboxes/${this.name}`, { method: 'PUT', body: JSON.stringify(config) });
    expect(res.status).toBe(200);
  }

  async receipts(): Promise<Receipt[]> {
    const res = await fetch(`${this.base}/inboxes/${this.name}`);
    return ((await res.json()) as { receipts: Receipt[] }).receipts;
  }

  /** Waits until at least `count` messages arrived (background delivery on Node is asynchronous). */
  async waitFor(count: number, timeoutMs = 5000): Promise<Receipt[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipts = await this.receipts();
      if (receipts.length >= count) return receipts;
      if (Date.now() > deadline) throw new Error(`inbox ${this.name}: ${receipts.length} of ${count} messages after ${timeoutMs} ms: ${JSON.stringify(receipts.map((r) => r.body))}`);
      await new Promise((done) => setTimeout(done, 20));
    }
  }
}
