import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/limits/token-bucket.js';

describe('token bucket (injected clock)', () => {
  it('starts full, drains, and refills at the rate up to the burst', () => {
    const b = createTokenBucket(100, 200, 0);
    expect(b.waitMs(200, 0)).toBe(0);
    b.take(200, 0);
    expect(b.waitMs(1, 0)).toBe(10);
    // 50 tokens after half a second.
    expect(b.waitMs(50, 500)).toBe(0);
    expect(b.waitMs(100, 500)).toBe(500);
    // Never more than the burst, however long it rested.
    expect(b.isFull(3_600_000)).toBe(true);
    b.take(200, 3_600_000);
    expect(b.waitMs(1, 3_600_000)).toBeGreaterThan(0);
  });

  it('checks without taking: waiting does not spend', () => {
    const b = createTokenBucket(10, 10, 0);
    for (let i = 0; i < 5; i++) expect(b.waitMs(10, 0)).toBe(0);
    b.take(10, 0);
    expect(b.waitMs(10, 0)).toBe(1000);
  });

  it('admits a request larger than the burst when full, leaving it in debt', () => {
    const b = createTokenBucket(100, 50, 0);
    expect(b.waitMs(500, 0)).toBe(0);
    b.take(500, 0);
    // -450 tokens: 5 s until the burst is back, so the average rate holds.
    expect(b.waitMs(500, 0)).toBe(5000);
    expect(b.waitMs(500, 5000)).toBe(0);
  });

  it('does not refill when the clock goes back', () => {
    const b = createTokenBucket(100, 100, 1000);
    b.take(100, 1000);
    expect(b.waitMs(100, 500)).toBe(1000);
    expect(b.waitMs(100, 2000)).toBe(0);
  });

  it('refuses a rate or burst of 0', () => {
    expect(() => createTokenBucket(0, 10, 0)).toThrow(RangeError);
    expect(() => createTokenBucket(10, 0, 0)).toThrow(RangeError);
  });
});
