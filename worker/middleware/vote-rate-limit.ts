import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../app-env';
import { AppError } from '../lib/errors';
import { ipPrefix } from '../lib/signals';

/**
 * The requests a vote-stuffing script repeats: clicks of per-message links (`/r/…`) and signature
 * links (`/s/…`), and what the thank-you page sends (answer changes, confirmations, comments,
 * contacts). The thank-you page itself (`GET /t/:id`) only reads, and is not limited.
 */
export function isVoteRequest(method: string, path: string): boolean {
  if (path.startsWith('/r/') || path.startsWith('/s/')) return true;
  return path.startsWith('/t/') && (method === 'POST' || /^\/t\/[^/]+\/answer\//.test(path));
}

/**
 * Limits the vote routes per network (IPv4 /24, IPv6 /48: one office, one scanner farm, one
 * attacker's block of addresses). Runs before the route opens any token or writes anything; over
 * the limit the customer gets a friendly page, 429 Too Many Requests with Retry-After (RFC 6585 §4).
 */
export function voteRateLimit(deps: Pick<AppDeps, 'voteLimiter' | 'clientInfo'>): MiddlewareHandler<AppEnv> {
  return async function limitVotes(c, next) {
    if (!isVoteRequest(c.req.method, c.req.path)) return next();
    const network = ipPrefix(deps.clientInfo(c).ip) ?? 'unknown';
    const result = await deps.voteLimiter.limit(`net:${network}`);
    if (!result.allowed) {
      c.header('Retry-After', String(result.retryAfterSeconds));
      c.header('Cache-Control', 'no-store');
      throw new AppError('RATE_LIMITED', 'Too many requests from your network; try again shortly.');
    }
    return next();
  };
}
