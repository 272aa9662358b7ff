import type { AppContext } from '../app-env';

/**
 * Prefetches are not clicks: browsers fetch links ahead of a navigation that may never happen
 * (`Sec-Purpose: prefetch`, W3C Fetch Metadata; Chrome's `<link rel=prefetch>` still sends the
 * legacy `Purpose: prefetch`, Firefox before `Sec-Purpose` sent `X-Moz: prefetch`).
 */
export function isPrefetch(headers: Headers): boolean {
  const purpose = `${headers.get('sec-purpose') ?? ''},${headers.get('purpose') ?? ''},${headers.get('x-purpose') ?? ''},${headers.get('x-moz') ?? ''}`;
  return /\b(prefetch|prerender|preview)\b/i.test(purpose);
}

/**
 * Declines a prefetch without recording anything. A non-2xx answer makes the browser drop the
 * prefetched response, so the real navigation comes back to us and is recorded then (Chromium
 * `PrefetchFailedNon2XX`; the IETF draft "The Purpose Declined HTTP Status Code",
 * draft-ietf-httpbis-pre-denied, proposes a dedicated code for this; until it has a number, 503).
 */
export function declinePrefetch(c: AppContext): Response {
  return c.body(null, 503, { 'Cache-Control': 'no-store', Vary: 'Sec-Purpose, Purpose' });
}
