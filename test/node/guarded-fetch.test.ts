import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch, nodeUrlChecker } from '../../worker/node/check-url';

/**
 * The Node webhook client checks the addresses it connects to, not only those a first lookup
 * returned: the defence against DNS rebinding between `checkUrl` and the request.
 */
let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(String(req.headers.host));
    res.writeHead(204).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** A resolver whose answers change from call to call, as a rebinding attacker's DNS does. */
function rebinding(...answers: string[]) {
  let call = 0;
  return async () => [{ address: answers[Math.min(call++, answers.length - 1)]!, family: 4 }];
}

describe('guardedFetch (worker/node/check-url.ts)', () => {
  describe('security', () => {
    it('refuses a name that resolved to a public address at the check and to loopback at connect time', async () => {
      const resolve = rebinding('93.184.216.34', '127.0.0.1');
      const url = `http://hooks.attacker.test:${port}/x`;
      // The check sees the public address ...
      await expect(nodeUrlChecker({ allowInsecure: false, lookup: resolve })(`https://hooks.attacker.test/x`)).resolves.toBeUndefined();
      // ... the connection sees loopback, and is refused before any byte is sent.
      const error = await guardedFetch({ allowInsecure: false, resolve })(url, { method: 'POST', body: '{}' }).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(error?.cause?.message ?? error?.message).toMatch(/resolves to a loopback address \(127\.0\.0\.1\)/);
      expect(hits).not.toContain(`hooks.attacker.test:${port}`);
    });

    it.each([
      ['10.0.0.7', 4],
      ['169.254.169.254', 4],
      ['192.168.1.1', 4],
      ['0.0.0.0', 4],
      ['192.88.99.1', 4],
      // IPv6 translation and deprecated prefixes, answered by a rebinding resolver's AAAA records
      ['64:ff9b::7f00:1', 6],
      ['64:ff9b:1::a00:1', 6],
      ['2002:7f00:1::1', 6],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 6],
      ['fec0::1', 6],
      ['::ffff:0:a00:7', 6],
    ] as const)('refuses %s at connect time', async (address, family) => {
      const resolve = async () => [{ address, family }];
      const error = await guardedFetch({ allowInsecure: true, resolve })(`http://internal.test:${port}/`).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(error?.cause?.message ?? error?.message).toMatch(/private or reserved address/);
    });
  });

  describe('happy path', () => {
    it('connects when the address is allowed (loopback with ALLOW_INSECURE_WEBHOOKS), keeping the host name', async () => {
      const res = await guardedFetch({ allowInsecure: true, resolve: rebinding('127.0.0.1') })(`http://receiver.test:${port}/hook`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(204);
      expect(hits).toContain(`receiver.test:${port}`);
    });
  });
});
