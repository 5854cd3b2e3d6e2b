import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('retries an assertion until it passes and returns what the last attempt returned', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls += 1;
        expect(calls).toBeGreaterThanOrEqual(3);
        return calls;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
  });

  it('treats false as not yet and any other value as passed', async () => {
    let calls = 0;
    await eventually(() => ++calls === 2, { intervalMs: 1 });
    expect(calls).toBe(2);
    await expect(eventually(async () => 0, { timeoutMs: 50 })).resolves.toBe(0);
  });

  it('fails at the deadline naming what it waited for and the last failure', async () => {
    let n = 0;
    const err = await eventually(
      () => {
        throw new Error(`attempt ${++n}`);
      },
      { timeoutMs: 60, intervalMs: 5, message: 'the upstream to answer' },
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /timed out after 60 ms .* waiting for the upstream to answer; last failure: attempt \d+/,
    );
    expect((err as Error).message).toContain(`attempt ${n}`);
  });

  it('does not wait past the deadline for an attempt that never settles', async () => {
    const started = Date.now();
    const err = await eventually(() => new Promise<never>(() => {}), {
      timeoutMs: 50,
      message: 'a hung request',
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/a hung request; last failure: an attempt was still pending/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
