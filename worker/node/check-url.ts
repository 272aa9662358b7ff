import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkResolvedAddress, checkWebhookUrl, UnsafeUrlError } from '../lib/url-safety';

/**
 * The Node check of a webhook URL before each request: the portable checks, then every address
 * the host name resolves to, so a public name pointing at 10.0.0.1 (or at 127.0.0.1 after a DNS
 * change) is refused. Workers need no such step: their `fetch` cannot reach private networks.
 */
export function nodeUrlChecker(options: {
  allowInsecure: boolean;
  /** Resolves a host name to all its addresses (default: the system resolver, as `fetch` uses); tests inject one. */
  lookup?: (host: string) => Promise<{ address: string }[]>;
}) {
  const resolve = options.lookup ?? ((host: string) => lookup(host, { all: true, verbatim: true }));
  return async function checkUrl(raw: string): Promise<void> {
    const host = new URL(checkWebhookUrl(raw, options)).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return;
    let addresses: { address: string }[];
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new UnsafeUrlError(`${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`);
    }
    for (const { address } of addresses) checkResolvedAddress(host, address, options);
  };
}
