import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { checkResolvedAddress, checkWebhookUrl, UnsafeUrlError } from '../lib/url-safety';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

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

/**
 * The webhook client on Node: undici's `fetch` through an Agent whose connections resolve host
 * names with a lookup that refuses private, loopback and reserved addresses. The address checked
 * is then the address connected to: a name that answers with a public address to `checkUrl` and
 * with 10.0.0.1 a moment later (DNS rebinding) still cannot reach the private network.
 */
export function guardedFetch(options: {
  allowInsecure: boolean;
  /** The resolver behind the guard (default: the system's, as Node's sockets use); tests inject one. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}): typeof fetch {
  const resolveAll = options.resolve ?? ((host: string) => lookup(host, { all: true, verbatim: true }));
  const agent = new Agent({
    connect: {
      lookup: function guardedLookup(hostname: string, lookupOptions: LookupOptions, callback: LookupCallback) {
        const family = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family || 0;
        resolveAll(hostname).then(
          (found) => {
            const addresses = family ? found.filter((a) => a.family === family) : found;
            try {
              if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
              for (const { address } of addresses) checkResolvedAddress(hostname, address, options);
            } catch (error) {
              return callback(error as NodeJS.ErrnoException, '', 0);
            }
            if (lookupOptions.all) callback(null, addresses);
            else callback(null, addresses[0]!.address, addresses[0]!.family);
          },
          (error: NodeJS.ErrnoException) => callback(error, '', 0),
        );
      },
    },
  });
  return function fetchGuarded(input, init) {
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent }) as unknown as Promise<Response>;
  };
}
