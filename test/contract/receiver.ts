import { expect } from 'vitest';
import { SlackMessage, WebhookPayload } from '../../worker/services/schemas';
import type { InboxConfig, Receipt } from '../support/webhook-receiver';
import { expectToMatch } from './client';

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
    const { receipts } = (await res.json()) as { receipts: Receipt[] };
    // Every message matches the payload schema of its type, the one under `webhooks` in openapi.json
    // (a Slack endpoint's, unsigned and with no `type`, the Slack message schema).
    for (const r of receipts) {
      const slack = typeof r.body === 'object' && r.body !== null && !('type' in r.body);
      expectToMatch(slack ? SlackMessage : WebhookPayload, r.body, `webhook ${r.webhookId} ${JSON.stringify(r.body)}`);
    }
    return receipts;
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

/** The messages the receiver took (answered 2xx): what the CRM processed. */
export function accepted(receipts: Receipt[]): Receipt[] {
  return receipts.filter((r) => !r.reply.hangup && (r.reply.status ?? 204) >= 200 && (r.reply.status ?? 204) < 300);
}

/** Every message verified against at least one of the inbox's secrets (`standardwebhooks`). */
export function expectSigned(receipts: Receipt[]): void {
  for (const r of receipts) expect(r.verifiedWith.length, `${r.webhookId}: ${r.verifyError} ${JSON.stringify(r.body)}`).toBeGreaterThan(0);
}

/** The `type` of each message, sorted (messages sent in one pass arrive in any order). */
export function typesOf(receipts: Receipt[]): string[] {
  return receipts.map((r) => (r.body as { type: string }).type).sort();
}
