import { describe, expect, it } from 'vitest';
import { createSeriesSink, hashLabels } from '../../src/otlp/translate-series.js';
import type { Label } from '../../src/wire/types.js';

const meta = { type: 2 as const, help: '', unit: '' };
const set = (i: number): Label[] => [
  { name: '__name__', value: 'm' },
  { name: 'i', value: String(i) },
];

describe('series sink identity', () => {
  for (const [what, hash] of [
    ['the real hash', hashLabels],
    ['a hash where every label set collides', () => 7],
  ] as const) {
    it(`merges identical label sets and keeps distinct ones apart, in first-seen order (${what})`, () => {
      const sink = createSeriesSink(1_000_000, hash);
      // 40 distinct sets seen twice each: more than the collision chain holds before it overflows.
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 40; i++) {
          const e = sink.series(set(i), meta);
          expect(e.labels[1]!.value).toBe(String(i));
          sink.addSample(e, { value: i, timestamp: round, startTimestamp: 0 });
        }
      }
      const req = sink.finish();
      expect(req.timeseries).toHaveLength(40);
      req.timeseries.forEach((ts, i) => {
        expect(req.symbols[ts.labelsRefs[3]!]).toBe(String(i));
        expect(ts.samples.map((s) => s.timestamp)).toEqual([0, 1]);
      });
    });
  }

  it('tells apart label sets whose concatenations are equal', () => {
    const sink = createSeriesSink(1_000, () => 1);
    const a = sink.series([{ name: 'ab', value: 'c' }], meta);
    const b = sink.series([{ name: 'a', value: 'bc' }], meta);
    expect(a).not.toBe(b);
    expect(sink.series([{ name: 'a', value: 'bc' }], meta)).toBe(b);
  });
});
