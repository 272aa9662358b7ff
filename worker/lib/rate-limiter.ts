/**
 * Request-rate limiting of the vote routes, per network. The app sees only `RateLimiter`; the
 * entry files pick the implementation: the Workers rate-limiting binding (shared by a location's
 * isolates), or `memoryRateLimiter` in the Node process.
 */
export interface RateLimiter {
  /** Counts one request of `key`; refused when the key is over its limit. */
  limit(key: string): Promise<RateLimitResult>;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: RateLimitResult = Object.freeze({ allowed: true });

/** No limit (`VOTE_RATE_LIMIT=0`). */
export const NO_RATE_LIMIT: RateLimiter = { limit: async () => ALLOWED };

export interface MemoryRateLimiterOptions {
  /** Requests per window and key. */
  limit: number;
  /** The window (default one minute). */
  windowMs?: number;
  /** The most keys kept (default 10,000); beyond it the stalest are forgotten first. */
  maxKeys?: number;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

type Entry = { window: number; current: number; previous: number };

/**
 * A sliding-window counter in memory (the estimate Cloudflare describes for its own limiter: the
 * previous window's count weighted by how much of it still overlaps the sliding window, plus the
 * current count). Two numbers per key instead of a log of timestamps, and no burst of twice the
 * limit at a window's edge as a fixed window allows. Refused requests are not counted, so a
 * client that keeps hammering still gets `limit` requests a window through, no more.
 *
 * Memory is bounded by `maxKeys`: keys idle for two windows are dropped once per window, and when
 * the map is still full the least recently used key is evicted (each request moves its key to the
 * end of the Map's insertion order), so a spray of other keys cannot make it forget a network that
 * is still flooding.
 */
export function memoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let sweptWindow = -1;

  function sweep(window: number) {
    if (sweptWindow === window) return;
    sweptWindow = window;
    for (const [key, entry] of entries) if (entry.window < window - 1) entries.delete(key);
  }

  return {
    async limit(key) {
      const at = now();
      const window = Math.floor(at / windowMs);
      const elapsed = at - window * windowMs;
      let entry = entries.get(key);
      if (!entry) {
        if (entries.size >= maxKeys) {
          sweep(window);
          if (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string);
        }
        entry = { window, current: 0, previous: 0 };
        entries.set(key, entry);
      } else {
        entries.delete(key);
        entries.set(key, entry);
        if (entry.window !== window) {
          entry.previous = entry.window === window - 1 ? entry.current : 0;
          entry.current = 0;
          entry.window = window;
        }
      }
      const overlap = 1 - elapsed / windowMs;
      if (entry.previous * overlap + entry.current + 1 <= options.limit) {
        entry.current++;
        return ALLOWED;
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs(entry, options.limit, elapsed, windowMs) / 1000)) };
    },
  };
}

/** How long until one more request fits under the estimate. */
function waitMs(entry: Entry, limit: number, elapsed: number, windowMs: number): number {
  const room = limit - 1;
  // Still in this window, once enough of the previous one has slid out.
  if (entry.current <= room && entry.previous > 0) return Math.max(0, (windowMs * (entry.previous - (room - entry.current))) / entry.previous - elapsed);
  // Otherwise in the next window, as this window's count slides out.
  return windowMs - elapsed + (entry.current > 0 ? (windowMs * Math.max(0, entry.current - room)) / entry.current : 0);
}

/** The Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * The binding as a `RateLimiter`. It says only yes or no, so a refusal asks the client to come
 * back after the binding's period.
 */
export function bindingRateLimiter(binding: RateLimitBinding, periodSeconds: number): RateLimiter {
  return {
    async limit(key) {
      const { success } = await binding.limit({ key });
      return success ? ALLOWED : { allowed: false, retryAfterSeconds: periodSeconds };
    },
  };
}
