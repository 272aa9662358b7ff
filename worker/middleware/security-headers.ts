import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { pageCsp } from '../pages/layout';

/**
 * HSTS (RFC 6797): two years, the service's host and its subdomains. Not `preload`: that is not
 * part of RFC 6797 but a request to be built into browsers for the whole registrable domain, which
 * the operator of a feedback subdomain may not own and cannot quickly undo.
 */
export const HSTS_VALUE = 'max-age=63072000; includeSubDomains';

/**
 * Strict headers on every response. Pages carry tokens and response ids in their URLs, so the
 * Referer must never leak them (Referrer-Policy: no-referrer, W3C Referrer Policy §3.1); nothing
 * may be cached, framed or indexed; the only thing a page may load is its own inline stylesheet.
 */
export function securityHeaders(options: { publicUrl: string }): MiddlewareHandler<AppEnv> {
  // Only when the service is reached over https: browsers ignore HSTS on plain http (RFC 6797
  // §8.1), and a development host on http must not be pinned.
  const hsts = options.publicUrl.startsWith('https:');
  return async function applySecurityHeaders(c, next) {
    await next();
    const h = c.res.headers;
    // A route may set its own policy, caching and embedding (the snippet page's script hash, the
    // face images that mail clients load from anywhere and cache); every other response gets these.
    if (!h.has('Content-Security-Policy')) {
      h.set('Content-Security-Policy', await pageCsp());
    }
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Robots-Tag', 'noindex, nofollow');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (!h.has('Cross-Origin-Resource-Policy')) h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    if (hsts) h.set('Strict-Transport-Security', HSTS_VALUE);
    h.set('X-Request-Id', c.get('requestId'));
  };
}
