import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A real HTTP webhook receiver for tests: what a CRM would run. Each inbox (`POST /hooks/:inbox`)
 * verifies every message with the `standardwebhooks` library against the secrets it was given,
 * records it, and answers as scripted: a status, a delay, a `Retry-After`, or a dropped connection
 * (the receiver being down). Tests drive it over HTTP (`PUT`/`GET /inboxes/:inbox`), so the same
 * client works from Node and from inside workerd.
 */
export interface Reply {
  status?: number;
  delayMs?: number;
  retryAfter?: string;
  /** A `Location` header (with a 3xx status: a redirect the sender must not follow). */
  location?: string;
  /** Drop the connection without answering: the receiver is down. */
  hangup?: boolean;
}

export interface InboxConfig {
  secrets: string[];
  /** Replies used one by one for the next messages; then `otherwise`. */
  script?: Reply[];
  otherwise?: Reply;
}

export interface Receipt {
  webhookId: string;
  timestamp: string;
  signatures: string;
  body: unknown;
  /** The secrets (by index in the inbox's list) whose signature verified. */
  verifiedWith: number[];
  /** A message every check failed on, if any. */
  verifyError: string | null;
  reply: Reply;
  receivedAt: number;
}

interface Inbox {
  config: InboxConfig;
  receipts: Receipt[];
}

export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const inboxes = new Map<string, Inbox>();
  const inbox = (name: string) => {
    let found = inboxes.get(name);
    if (!found) inboxes.set(name, (found = { config: { secrets: [] }, receipts: [] }));
    return found;
  };

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const [, kind, name] = url.pathname.split('/');
    try {
      if (kind === 'inboxes' && name && req.method === 'PUT') {
        const box = inbox(name);
        box.config = JSON.parse(await readBody(req)) as InboxConfig;
        return json(res, 200, { ok: true });
      }
      if (kind === 'inboxes' && name && req.method === 'GET') return json(res, 200, { receipts: inbox(name).receipts });
      if (kind === 'hooks' && name && req.method === 'POST') {
        const box = inbox(name);
        const raw = await readBody(req);
        const headers = {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        };
        const verifiedWith: number[] = [];
        let verifyError: string | null = null;
        box.config.secrets.forEach((secret, index) => {
          try {
            new Webhook(secret).verify(raw, headers);
            verifiedWith.push(index);
          } catch (error) {
            verifyError = (error as Error).message;
          }
        });
        if (verifiedWith.length) verifyError = null;
        const reply = box.config.script?.shift() ?? box.config.otherwise ?? { status: 204 };
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // recorded as text
        }
        box.receipts.push({ webhookId: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signatures: headers['webhook-signature'], body, verifiedWith, verifyError, reply, receivedAt: Date.now() });
        if (reply.delayMs) await new Promise((done) => setTimeout(done, reply.delayMs));
        if (reply.hangup) return req.socket.destroy();
        const status = reply.status ?? 204;
        const replyHeaders: Record<string, string> = {};
        if (reply.retryAfter) replyHeaders['retry-after'] = reply.retryAfter;
        if (reply.location) replyHeaders.location = reply.location;
        res.writeHead(status, replyHeaders);
        return res.end(status === 204 ? undefined : `status ${status}`);
      }
      json(res, 404, { error: 'not found' });
    } catch (error) {
      json(res, 500, { error: String(error) });
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
