import { describe, expect, it } from 'vitest';
import { bindingRateLimiter, memoryRateLimiter, type RateLimiter } from '../../worker/lib/rate-limiter';
import { isVoteRequest } from '../../worker/middleware/vote-rate-limit';

/** Sends `n` requests of `key`; how many were allowed, and the last refusal's Retry-After. */
async function burst(limiter: RateLimiter, key: string, n: number) {
  let allowed = 0;
  let retryAfter: number | null = null;
  for (let i = 0; i < n; i++) {
    const result = await limiter.limit(key);
    if (result.allowed) allowed++;
    else retryAfter = result.retryAfterSeconds;
  }
  return { allowed, retryAfter };
}

describe('memoryRateLimiter', () => {
  describe('happy path', () => {
    it('allows the limit per key and window, and each key has its own count', async () => {
      let now = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
      const limiter = memoryRateLimiter({ limit: 10, now: () => now });
      // Refused until this window ends and 1/10 of its count has slid out of the next: 66 s.
      expect(await burst(limiter, 'net:a', 15)).toEqual({ allowed: 10, retryAfter: 66 });
      expect(await burst(limiter, 'net:b', 3)).toEqual({ allowed: 3, retryAfter: null });
      // Two windows later nothing of the old count remains.
      now += 120_000;
      expect(await burst(limiter, 'net:a', 10)).toEqual({ allowed: 10, retryAfter: null });
    });

    it('slides: the previous window weighs in as much as it still overlaps, and Retry-After says when one more fits', async () => {
      const start = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
      let now = start;
      const limiter = memoryRateLimiter({ limit: 10, now: () => now });
      await burst(limiter, 'net:a', 10);
      // A quarter into the next window, 3/4 of the previous 10 still count: 7.5, so 2 more fit.
      now = start + 75_000;
      const { allowed, retryAfter } = await burst(limiter, 'net:a', 5);
      expect(allowed).toBe(2);
      // 7.5 - 10 × elapsed fraction + 2 ≤ 9 → the previous window must slide out to 7 of 10: at 18 s of 60 (3 s from now).
      expect(retryAfter).toBe(3);
      now = start + 78_000;
      expect((await limiter.limit('net:a')).allowed).toBe(true);
    });
  });

  describe('security', () => {
    it('a client that keeps hammering gets no more than the limit through per window', async () => {
      let now = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
      const limiter = memoryRateLimiter({ limit: 60, now: () => now });
      let allowed = 0;
      // 100 requests a second for ten minutes.
      for (let step = 0; step < 60_000; step++) {
        if ((await limiter.limit('net:flood')).allowed) allowed++;
        now += 10;
      }
      expect(allowed).toBeLessThanOrEqual(60 * 10 + 60);
      expect(allowed).toBeGreaterThanOrEqual(60 * 10 - 60);
    });

    it('keeps at most maxKeys keys, and a spray of other keys cannot make it forget a network that keeps flooding', async () => {
      let now = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
      const limiter = memoryRateLimiter({ limit: 2, maxKeys: 100, now: () => now });
      await burst(limiter, 'net:flood', 2);
      for (let i = 0; i < 500; i++) {
        await limiter.limit(`net:spray${i}`);
        expect((await limiter.limit('net:flood')).allowed, `after ${i + 1} other keys`).toBe(false);
      }
      // A key that went quiet is the one forgotten when the map is full.
      await burst(limiter, 'net:quiet', 2);
      for (let i = 0; i < 100; i++) await limiter.limit(`net:more${i}`);
      expect((await limiter.limit('net:quiet')).allowed).toBe(true);
    });
  });
});

describe('bindingRateLimiter', () => {
  it('passes the key to the Workers binding and asks a refused client to wait its period', async () => {
    const keys: string[] = [];
    const limiter = bindingRateLimiter({ limit: async ({ key }) => (keys.push(key), { success: keys.length <= 1 }) }, 60);
    expect(await limiter.limit('net:a')).toEqual({ allowed: true });
    expect(await limiter.limit('net:a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(keys).toEqual(['net:a', 'net:a']);
  });
});

describe('isVoteRequest', () => {
  it.each([
    ['GET', '/r/tok/1', true],
    ['HEAD', '/s/tok/1', true],
    ['GET', '/t/rsp_x/answer/2', true],
    ['POST', '/t/rsp_x/comment', true],
    ['POST', '/t/rsp_x/confirm', true],
    ['POST', '/t/rsp_x/contact', true],
    ['GET', '/t/rsp_x', false],
    ['GET', '/f/grin.png', false],
    ['POST', '/api/v1/links', false],
    ['GET', '/healthz', false],
  ])('%s %s → %s', (method, path, expected) => {
    expect(isVoteRequest(method, path)).toBe(expected);
  });
});
