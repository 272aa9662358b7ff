/**
 * Webhook URL safety (SSRF): a workspace must not make us call our own network. The checks here
 * need no DNS, so they run on both runtimes; on Node the entry also checks every address a host
 * name resolves to (`worker/node/check-url.ts`) right before each request.
 */

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export type AddressKind = 'public' | 'loopback' | 'private';

/** Names that only make sense inside a network (RFC 6761, RFC 6762, RFC 8375) or a cloud's metadata. */
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/i;

/**
 * Checks an endpoint URL as it is registered (and again before each request): https only, or plain
 * http to a loopback address when `allowInsecure` (development); no credentials; no private,
 * loopback, link-local or reserved address; no internal host name. Returns the normalised URL.
 */
export function checkWebhookUrl(raw: string, options: { allowInsecure: boolean }): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('the URL is not valid');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeUrlError('the URL must use https');
  if (url.username || url.password) throw new UnsafeUrlError('the URL must not contain credentials (the signature authenticates us)');
  // A fully qualified name may end in a dot (`localhost.`, `db.internal.`): the same host to DNS.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const kind = isIpLiteral(host) ? addressKind(host) : /^localhost$|\.localhost$/i.test(host) ? 'loopback' : INTERNAL_NAMES.test(host) || !host.includes('.') ? 'private' : 'public';
  if (kind === 'loopback' && options.allowInsecure) return url.href;
  if (kind !== 'public') throw new UnsafeUrlError(`the URL must not point to a ${kind === 'loopback' ? 'loopback' : 'private or reserved'} address or host (${host})`);
  if (url.protocol !== 'https:') throw new UnsafeUrlError('the URL must use https (plain http is allowed only to loopback with ALLOW_INSECURE_WEBHOOKS=1)');
  return url.href;
}

/** Checks an address a host name resolved to (the URL was already checked by `checkWebhookUrl`). */
export function checkResolvedAddress(host: string, address: string, options: { allowInsecure: boolean }): void {
  const kind = addressKind(address);
  if (kind === 'public' || (kind === 'loopback' && options.allowInsecure)) return;
  throw new UnsafeUrlError(`${host} resolves to a ${kind === 'loopback' ? 'loopback' : 'private or reserved'} address (${address})`);
}

function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** Classifies an IPv4 or IPv6 address (IANA special-purpose registries, RFC 6890). */
export function addressKind(address: string): AddressKind {
  if (address.includes(':')) return ipv6Kind(address);
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 'private';
  return ipv4Kind(parts as [number, number, number, number]);
}

function ipv4Kind([a, b, c]: [number, number, number, number]): AddressKind {
  if (a === 127) return 'loopback';
  const reserved =
    a === 0 || // "this" network
    a === 10 || // RFC 1918
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT, RFC 6598
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) || // RFC 1918
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast, deprecated (RFC 7526)
    (a === 192 && b === 168) || // RFC 1918
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224; // multicast, reserved, broadcast
  return reserved ? 'private' : 'public';
}

function embeddedV4(high: number, low: number): AddressKind {
  return ipv4Kind([high >> 8, high & 255, low >> 8, low & 255]);
}

/**
 * IPv6 is judged by allow-list: only global unicast (2000::/3, RFC 4291 §2.4) minus its special
 * ranges is public. Everything outside it is loopback, unspecified, link- or site-local, unique
 * local, multicast, discard-only, a translation prefix or unassigned. Addresses that carry an IPv4
 * address the host connects to directly (mapped `::ffff:0:0/96`, translated `::ffff:0:0:0/96`)
 * are judged by that address; those that reach it through someone's gateway are refused.
 */
function ipv6Kind(address: string): AddressKind {
  const words = expandIpv6(address);
  if (!words) return 'private';
  const [w0, w1, w2, , w4, w5, w6, w7] = words as [number, number, number, number, number, number, number, number];
  if (words.every((w) => w === 0)) return 'private'; // ::
  if (words.slice(0, 7).every((w) => w === 0) && w7 === 1) return 'loopback'; // ::1
  const zeroes = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  // IPv4-mapped ::ffff:a.b.c.d (any spelling, hex words included) and IPv4-translated ::ffff:0:a.b.c.d (RFC 2765).
  if ((zeroes(0, 5) && w5 === 0xffff) || (zeroes(0, 4) && w4 === 0xffff && w5 === 0)) return embeddedV4(w6, w7);
  // Everything else outside 2000::/3: IPv4-compatible ::/96 (deprecated, RFC 4291 §2.5.5.1),
  // NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (RFC 6052, RFC 8215: they reach IPv4 through a gateway's
  // network), discard-only 100::/64, unique local fc00::/7, link-local fe80::/10, site-local
  // fec0::/10 (deprecated, RFC 3879), multicast ff00::/8 and the unassigned rest.
  if ((w0 & 0xe000) !== 0x2000) return 'private';
  if (w0 === 0x2001 && w1 < 0x0200) return 'private'; // IETF protocol assignments 2001::/23: Teredo 2001::/32, benchmarking, ORCHID
  if (w0 === 0x2001 && w1 === 0x0db8) return 'private'; // documentation
  if (w0 === 0x3fff && w1 < 0x1000) return 'private'; // documentation 3fff::/20 (RFC 9637)
  if (w0 === 0x2002) return embeddedV4(w1, w2) === 'public' ? 'public' : 'private'; // 6to4 (RFC 3056) of a private IPv4
  return 'public';
}

/** Eight 16-bit words, or null when not an IPv6 address. Accepts a trailing dotted IPv4. */
function expandIpv6(address: string): number[] | null {
  let text = address.replace(/^\[|\]$/g, '').split('%')[0]!.toLowerCase();
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [, a, b, c, d] = v4.map(Number) as [number, number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part ? part.split(':').map((w) => (/^[0-9a-f]{1,4}$/.test(w) ? parseInt(w, 16) : Number.NaN)) : []);
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return null;
  const words = [...head, ...Array(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.some(Number.isNaN) ? null : words;
}
