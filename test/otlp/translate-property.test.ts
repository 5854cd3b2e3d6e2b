/**
 * Every request translateOtlp makes is a valid remote-write 2.0 request: symbols[0] is "",
 * labels sorted by name and unique, `__name__` present, and it encodes and decodes back equal.
 * Over seeded random inputs (a bounded count), with every point counted once.
 */
import { describe, expect, it } from 'vitest';
import type { KeyValue, Metric } from '../../src/otlp/model.js';
import { DEFAULT_OTLP_OPTIONS, TRANSLATION_STRATEGIES } from '../../src/otlp/options.js';
import { OTLP_DROP_REASONS, translateOtlp } from '../../src/otlp/translate.js';
import { compareUtf8 } from '../../src/otlp/translate-values.js';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import {
  exemplar,
  expHistogram,
  expPoint,
  gauge,
  histogram,
  histogramPoint,
  metric,
  numberPoint,
  request,
  sum,
  summary,
  summaryPoint,
} from '../helpers/otlp-build.js';

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

const NAMES = ['http.requests', 'cpu.utilization', 'a..b', '2xx', 'héllo.wörld', 'x_total', '___', 'q', 'mem:bytes'];
const UNITS = ['', 's', 'ms', 'By', 'By/s', '1', '%', '{req}', 'weird unit'];
const KEYS = ['k8s.pod.name', 'a_b', 'a.b', '_x', '1st', 'le', 'quantile', 'job', '', 'ü'];

function randomRequest(r: ReturnType<typeof rng>) {
  const kv = (n: number): KeyValue[] =>
    Array.from({ length: n }, () => ({
      key: r.pick(KEYS),
      value: { kind: 'string' as const, value: r.pick(['x', 'y', '', 'z;w']) },
    }));
  const t = () => BigInt(r.int(5)) * 60_000_000_000n + BigInt(r.int(3)) * 1_000_000n;
  const flags = () => (r.int(6) === 0 ? 1 : 0);
  const ex = () =>
    r.int(2) ? [exemplar({ asDouble: r.int(10) - 2, traceId: new Uint8Array(16).fill(r.int(256)) })] : [];
  const metrics: Metric[] = Array.from({ length: 1 + r.int(5) }, () => {
    const name = r.pick(NAMES);
    const unit = r.pick(UNITS);
    const n = r.int(4);
    const base = () => ({
      attributes: kv(r.int(3)),
      timeUnixNano: t(),
      startTimeUnixNano: BigInt(r.int(2)) * 7n,
      flags: flags(),
      exemplars: ex(),
    });
    switch (r.int(6)) {
      case 0:
        return metric(
          name,
          gauge(
            Array.from({ length: n }, () =>
              numberPoint({ ...base(), value: r.int(3) ? r.next() * 100 : BigInt(r.int(100)) }),
            ),
          ),
          unit,
        );
      case 1:
        return metric(
          name,
          sum(
            Array.from({ length: n }, () => numberPoint({ ...base(), value: r.int(50) })),
            r.int(2) === 0,
            r.pick([0, 1, 2, 2, 2] as const),
          ),
          unit,
        );
      case 2: {
        const bounds = Array.from({ length: r.int(4) }, (_, i) => (i + 1) * r.pick([0.001, 1, 1e6]));
        return metric(
          name,
          histogram(
            Array.from({ length: n }, () =>
              histogramPoint({
                ...base(),
                count: 10,
                ...(r.int(2) ? { sum: 3.5 } : {}),
                explicitBounds: bounds,
                bucketCounts: [...bounds.map(() => r.int(3)), 1],
              }),
            ),
            r.pick([1, 2, 2] as const),
          ),
          unit,
        );
      }
      case 3:
        return metric(
          name,
          expHistogram(
            Array.from({ length: n }, () =>
              expPoint({
                ...base(),
                count: 5,
                sum: 1,
                scale: r.int(16) - 6,
                zeroCount: r.int(3),
                positive: { offset: r.int(20) - 10, bucketCounts: Array.from({ length: r.int(12) }, () => r.int(3)) },
                negative: { offset: r.int(6) - 3, bucketCounts: Array.from({ length: r.int(4) }, () => r.int(2)) },
              }),
            ),
          ),
          unit,
        );
      case 4:
        return metric(
          name,
          summary(
            Array.from({ length: n }, () =>
              summaryPoint({
                ...base(),
                count: 3,
                sum: 2,
                quantileValues: [{ quantile: r.pick([0.5, 0.99, 1e-7]), value: 1 }],
              }),
            ),
          ),
          unit,
        );
      default:
        return metric(name, { kind: 'empty' });
    }
  });
  const resource = r.int(2)
    ? [...kv(r.int(3)), { key: 'service.name', value: { kind: 'string' as const, value: 'svc' } }]
    : kv(r.int(2));
  return request({ resource, scope: { name: r.pick(['', 'lib']), version: '1' }, metrics });
}

describe('translateOtlp output is always a valid 2.0 request', () => {
  it('over 300 seeded random requests, every strategy', () => {
    const r = rng(20240611);
    for (let i = 0; i < 300; i++) {
      const options = {
        ...DEFAULT_OTLP_OPTIONS,
        translationStrategy: r.pick(TRANSLATION_STRATEGIES),
        promoteScopeMetadata: r.int(2) === 0,
        promoteResourceAttributes: r.int(2) ? ['k8s.pod.name'] : [],
      };
      const t = translateOtlp(randomRequest(r), options, { maxElements: 100_000 });
      const req = t.request;
      expect(req.symbols[0]).toBe('');
      for (const s of req.timeseries) {
        const names: string[] = [];
        for (let k = 0; k < s.labelsRefs.length; k += 2) names.push(req.symbols[s.labelsRefs[k]!]!);
        expect(names).toContain('__name__');
        for (let k = 1; k < names.length; k++) expect(compareUtf8(names[k - 1]!, names[k]!)).toBeLessThan(0);
        for (let k = 1; k < s.samples.length; k++)
          expect(s.samples[k]!.timestamp).toBeGreaterThan(s.samples[k - 1]!.timestamp);
        expect(s.samples.length + s.histograms.length).toBeGreaterThan(0);
      }
      const dropped = OTLP_DROP_REASONS.reduce((n, k) => n + t.dropped[k], 0);
      expect(t.translated + dropped).toBe(t.dataPoints);
      expect(decodeRequestV2(encodeRequestV2(req))).toEqual(req);
    }
  });
});
