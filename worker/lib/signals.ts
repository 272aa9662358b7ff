/**
 * What a request tells us about who made it. Kept with every event so that clicks by people can be
 * told from clicks by mail-security scanners, now and when the rules improve.
 */

/** Network facts only the runtime adapter knows (socket address, Cloudflare's `request.cf`). */
export interface ClientInfo {
  ip: string | null;
  asn: number | null;
  asOrganization: string | null;
  country: string | null;
}

export const UNKNOWN_CLIENT: ClientInfo = { ip: null, asn: null, asOrganization: null, country: null };

export interface RequestSignals {
  method: string;
  userAgent: string | null;
  acceptLanguage: string | null;
  /** JSON of the Fetch Metadata headers (W3C Fetch Metadata Request Headers). */
  secFetch: string | null;
  ipPrefix: string | null;
  asn: number | null;
  asOrganization: string | null;
  country: string | null;
}

const MAX_HEADER = 512;

function header(headers: Headers, name: string): string | null {
  const value = headers.get(name);
  return value === null ? null : value.slice(0, MAX_HEADER);
}

/**
 * The client address behind the trusted reverse proxies (`TRUST_PROXY`, `TRUST_PROXY_CLOUDFLARE`):
 * the X-Forwarded-For entry `hops` from the right (RFC 7239 §5.2: each proxy appends the address it
 * received the request from, so entries further left can be forged); CF-Connecting-IP instead only
 * when the outermost proxy is Cloudflare, which overwrites that header (anywhere else a client can
 * send it). With no trusted proxy, the socket address.
 */
export function clientAddress(headers: Headers, socketAddress: string | null, proxy: { hops: number; cloudflare: boolean }): string | null {
  if (proxy.hops <= 0) return socketAddress;
  const cf = proxy.cloudflare ? headers.get('cf-connecting-ip')?.trim() : undefined;
  if (cf) return cf;
  const forwarded = (headers.get('x-forwarded-for') ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  return forwarded[forwarded.length - proxy.hops] ?? forwarded[0] ?? socketAddress;
}

export function requestSignals(request: Request, client: ClientInfo): RequestSignals {
  const h = request.headers;
  const fetchMeta: Record<string, string> = {};
  for (const name of ['site', 'mode', 'user', 'dest']) {
    const value = header(h, `sec-fetch-${name}`);
    if (value !== null) fetchMeta[name] = value;
  }
  return {
    method: request.method,
    userAgent: header(h, 'user-agent'),
    acceptLanguage: header(h, 'accept-language'),
    secFetch: Object.keys(fetchMeta).length ? JSON.stringify(fetchMeta) : null,
    ipPrefix: ipPrefix(client.ip),
    asn: client.asn,
    asOrganization: client.asOrganization?.slice(0, 200) ?? null,
    country: client.country,
  };
}

/**
 * Truncates an address to its network: IPv4 to /24, IPv6 to /48 (the usual allocation to one
 * site). Enough to see that clicks came from one scanner network; not enough to point at a person.
 */
export function ipPrefix(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) {
    const [head = ''] = ip.split('::');
    const groups = head.split(':').filter(Boolean);
    const padded = [...groups, '0', '0', '0'].slice(0, 3);
    return `${padded.join(':')}::/48`;
  }
  return null;
}
