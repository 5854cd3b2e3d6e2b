import { describe, expect, it } from 'vitest';
import { createSeriesHasher } from '../../src/limits/series-hash.js';
import { createSeriesTracker } from '../../src/limits/series-tracker.js';

/** n series ids from `from`, as the hash halves the tracker takes. */
function ids(from: number, n: number): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    hi[i] = Math.imul(from + i, 0x85ebca6b) ^ 0x5bd1e995;
    lo[i] = from + i;
  }
  return { hi, lo };
}

function admitAndRecord(t: ReturnType<typeof createSeriesTracker>, from: number, n: number, now: number): number {
  const { hi, lo } = ids(from, n);
  const keep = new Uint8Array(n);
  const refused = t.admit(hi, lo, n, now, keep);
  t.record(hi, lo, n, now, keep);
  return refused;
}

describe('active series tracker', () => {
  it('refuses new series past the bound, never known ones', () => {
    const t = createSeriesTracker(100, 60_000, 0);
    expect(admitAndRecord(t, 0, 80, 0)).toBe(0);
    // 20 more fit, 10 do not.
    const { hi, lo } = ids(70, 40);
    const keep = new Uint8Array(40);
    expect(t.admit(hi, lo, 40, 10, keep)).toBe(10);
    expect([...keep].slice(0, 10)).toEqual(Array(10).fill(1)); // 70..79: known
    expect(keep.reduce((a, b) => a + b, 0)).toBe(30);
    t.record(hi, lo, 40, 10, keep);
    expect(t.size()).toBe(100);
    // Full: the known series still pass, any new one is refused.
    expect(admitAndRecord(t, 0, 100, 20)).toBe(0);
    expect(admitAndRecord(t, 1000, 1, 20)).toBe(1);
  });

  it('counts a series repeated within one request once', () => {
    const t = createSeriesTracker(2, 60_000, 0);
    const hi = new Uint32Array([1, 1, 2, 3]);
    const lo = new Uint32Array([9, 9, 9, 9]);
    const keep = new Uint8Array(4);
    expect(t.admit(hi, lo, 4, 0, keep)).toBe(1);
    expect([...keep]).toEqual([1, 1, 1, 0]);
  });

  it('admits nothing it does not record: a refused request leaves no trace', () => {
    const t = createSeriesTracker(10, 60_000, 0);
    const { hi, lo } = ids(0, 10);
    t.admit(hi, lo, 10, 0, new Uint8Array(10));
    expect(t.size()).toBe(0);
    expect(admitAndRecord(t, 100, 10, 0)).toBe(0);
  });

  it('expires series after the window and frees their room', () => {
    const t = createSeriesTracker(50, 20 * 60_000, 0);
    expect(admitAndRecord(t, 0, 50, 0)).toBe(0);
    expect(admitAndRecord(t, 100, 1, 10 * 60_000)).toBe(1);
    // Half of them stay active.
    expect(admitAndRecord(t, 0, 25, 15 * 60_000)).toBe(0);
    // 21 min: the 25 not seen since 0 expired; 25 new fit, the 26th does not.
    expect(admitAndRecord(t, 1000, 26, 21 * 60_000)).toBe(1);
    expect(t.size()).toBe(50);
  });

  it('stays within its memory bound and gives memory back when the tenant goes quiet', () => {
    const max = 100_000;
    const t = createSeriesTracker(max, 60_000, 0);
    for (let from = 0; from < 3 * max; from += 10_000) admitAndRecord(t, from, 10_000, 0);
    expect(t.size()).toBe(max);
    // next power of two of max * 4/3 slots, 12 bytes each: at most 32 bytes per series.
    expect(t.bytes()).toBeLessThanOrEqual(32 * max);
    expect(t.bytes()).toBe(262_144 * 12);
    t.sweep(120_000);
    expect(t.size()).toBe(0);
    expect(t.bytes()).toBe(1024 * 12);
  });

  it('seeds its hash per process, so a sender cannot precompute collisions', () => {
    const bytes = new TextEncoder().encode('__name__upjobnode');
    const of = (h: ReturnType<typeof createSeriesHasher>) => {
      h.reset();
      h.update(bytes, 0, bytes.length);
      return `${h.hi()}:${h.lo()}`;
    };
    expect(of(createSeriesHasher())).toBe(of(createSeriesHasher()));
    expect(of(createSeriesHasher([1, 2]))).toBe(of(createSeriesHasher([1, 2])));
    expect(of(createSeriesHasher([1, 2]))).not.toBe(of(createSeriesHasher([3, 4])));
  });

  it('hashes label bytes so that equal labels meet and different ones do not', () => {
    const h = createSeriesHasher();
    const bytes = new TextEncoder().encode('__name__upjobnode');
    const hashOf = (b: Uint8Array, s: number, e: number) => {
      h.reset();
      h.update(b, s, e);
      return `${h.hi()}:${h.lo()}`;
    };
    expect(hashOf(bytes, 0, bytes.length)).toBe(hashOf(bytes.slice(), 0, bytes.length));
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const b = new TextEncoder().encode(`__name__up${i}`);
      seen.add(hashOf(b, 0, b.length));
    }
    expect(seen.size).toBe(20_000);
    // Ranges fed one after another differ from the same bytes split elsewhere.
    h.reset();
    h.update(bytes, 0, 3);
    h.update(bytes, 3, bytes.length);
    const split = `${h.hi()}:${h.lo()}`;
    h.reset();
    h.update(bytes, 0, 4);
    h.update(bytes, 4, bytes.length);
    expect(`${h.hi()}:${h.lo()}`).not.toBe(split);
  });
});
