import { describe, expect, it } from 'vitest';
import { QUEUED_VOTE_RECEIPT_DAYS, retryDelaySeconds } from '../../worker/services/queued-votes';

describe('queued votes', () => {
  it.each([
    [1, 15],
    [2, 30],
    [3, 60],
    [4, 120],
    [5, 240],
    [6, 300],
    [100, 300],
    [0, 15],
  ])('waits, after delivery attempt %i, %i s before the next', (attempts, seconds) => {
    expect(retryDelaySeconds(attempts)).toBe(seconds);
  });

  it('covers about 8 hours of outage within the 100 retries of wrangler.toml', () => {
    const total = Array.from({ length: 100 }, (_, i) => retryDelaySeconds(i + 1)).reduce((a, b) => a + b, 0);
    expect(total / 3600).toBeGreaterThan(8);
  });

  it('keeps receipts longer than the longest queue retention (14 days)', () => {
    expect(QUEUED_VOTE_RECEIPT_DAYS).toBeGreaterThan(14);
  });
});
