import { describe, expect, it } from 'vitest';
import { createRetryPolicy } from '../../src/transport/retry-policy.js';
import { withRetry } from '../../src/transport/with-retry.js';
import { parseRetryAfter } from '../../src/http/retry-after.js';
import { failure } from '../../src/transport/transport-error.js';
import type { Transport, TransportRequest, TransportResult } from '../../src/transport/types.js';

function scripted(results: TransportResult[]): Transport & { seen: TransportRequest[] } {
  const seen: TransportRequest[] = [];
  return {
    seen,
    async send(req) {
      seen.push(req);
      const r = results.shift();
      if (!r) throw new Error('script exhausted');
      return r;
    },
    async close() {},
  };
}
const status = (s: number, retryAfterMs?: number): TransportResult =>
  retryAfterMs === undefined
    ? { kind: 'response', status: s, headers: {}, body: new Uint8Array() }
    : { kind: 'response', status: s, headers: {}, body: new Uint8Array(), retryAfterMs };

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return true;
    },
  };
}

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates with an injected clock', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('createRetryPolicy', () => {
  const policy = createRetryPolicy({ minBackoffMs: 30, maxBackoffMs: 5000, jitter: 0 });
  it('classifies like Prometheus remote write', () => {
    expect(policy.classify(status(204))).toBe('success');
    expect(policy.classify(status(500))).toBe('retry');
    expect(policy.classify(status(503))).toBe('retry');
    expect(policy.classify(status(429))).toBe('retry');
    expect(policy.classify(status(400))).toBe('drop');
    expect(policy.classify(status(404))).toBe('drop');
    expect(policy.classify(failure('ECONNREFUSED', 'x'))).toBe('retry');
    expect(policy.classify(failure('timeout', 'x'))).toBe('retry');
    expect(policy.classify(failure('aborted', 'x'))).toBe('drop');
    expect(createRetryPolicy({ retryOnHttp429: false }).classify(status(429))).toBe('drop');
  });
  it('doubles from min to max', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((a) => policy.backoffMs(a, 0))).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3840, 5000,
    ]);
  });
  it('jitter stays between min and the exponential base', () => {
    const p = createRetryPolicy({ jitter: 1 });
    for (const r of [0, 0.3, 0.99]) {
      const d = p.backoffMs(5, r);
      expect(d).toBeGreaterThanOrEqual(30);
      expect(d).toBeLessThanOrEqual(480);
    }
  });
  it('honours Retry-After and gives up at the deadline or the attempt bound', () => {
    expect(policy.decide(status(429, 7000), { attempt: 1, elapsedMs: 0, random: 0 })).toEqual({
      action: 'retry',
      delayMs: 7000,
    });
    const bounded = createRetryPolicy({ maxAttempts: 2, maxElapsedMs: 1000 });
    expect(bounded.decide(status(500), { attempt: 2, elapsedMs: 0, random: 0 })).toEqual({
      action: 'done',
      verdict: 'exhausted',
    });
    expect(bounded.decide(status(500, 2000), { attempt: 1, elapsedMs: 0, random: 0 })).toEqual({
      action: 'done',
      verdict: 'exhausted',
    });
  });
});

describe('withRetry', () => {
  it('resends the same POST bytes with the backoff sequence, then succeeds', async () => {
    const inner = scripted([failure('ECONNRESET', 'x'), status(500), status(503), status(204)]);
    const clock = fakeClock();
    const t = withRetry(createRetryPolicy({ jitter: 0 }), clock)(inner);
    const body = new Uint8Array([1, 2, 3, 4]);
    const r = await t.send({ url: 'http://x/push', headers: {}, body });
    expect(r.kind === 'response' && r.status).toBe(204);
    expect(clock.sleeps).toEqual([30, 60, 120]);
    expect(inner.seen.map((s) => [...(s.body ?? [])])).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    expect(inner.seen.every((s) => (s.method ?? 'POST') === 'POST')).toBe(true);
  });
  it('never retries a 4xx other than 429', async () => {
    const inner = scripted([status(400)]);
    const t = withRetry(createRetryPolicy(), fakeClock())(inner);
    const r = await t.send({ url: 'http://x', headers: {} });
    expect(r.kind === 'response' && r.status).toBe(400);
    expect(inner.seen).toHaveLength(1);
  });
  it('waits what Retry-After says on 429', async () => {
    const inner = scripted([status(429, 2500), status(204)]);
    const clock = fakeClock();
    const events: number[] = [];
    const t = withRetry(createRetryPolicy(), { ...clock, onRetry: (e) => events.push(e.delayMs) })(inner);
    await t.send({ url: 'http://x', headers: {} });
    expect(clock.sleeps).toEqual([2500]);
    expect(events).toEqual([2500]);
  });
  it('stops with aborted when the signal aborts while waiting', async () => {
    const inner = scripted([status(503), status(503)]);
    const ac = new AbortController();
    // onRetry runs just before the wait starts; the microtask aborts once the wait has begun.
    const t = withRetry(createRetryPolicy({ minBackoffMs: 10_000, maxBackoffMs: 10_000 }), {
      onRetry: () => queueMicrotask(() => ac.abort()),
    })(inner);
    const started = performance.now();
    const r = await t.send({ url: 'http://x', headers: {}, signal: ac.signal });
    expect(r.kind === 'error' && r.error.code).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(5_000); // the 10 s wait was cut short
    expect(inner.seen).toHaveLength(1);
  });
  it('returns the last result when attempts run out', async () => {
    const inner = scripted([status(502), status(502), status(502)]);
    const t = withRetry(createRetryPolicy({ maxAttempts: 3 }), fakeClock())(inner);
    const r = await t.send({ url: 'http://x', headers: {} });
    expect(r.kind === 'response' && r.status).toBe(502);
    expect(inner.seen).toHaveLength(3);
  });
});
