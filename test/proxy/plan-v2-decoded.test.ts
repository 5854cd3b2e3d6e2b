/**
 * The OTLP handler hands the proxy its translated request already decoded: the 2.0 plan must
 * come out byte for byte as if it had decoded the compressed body, and refuse what the decoder
 * refuses with the same error.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OTLP_OPTIONS } from '../../src/otlp/options.js';
import { translateOtlp } from '../../src/otlp/translate.js';
import type { IncomingWrite } from '../../src/protocol/write-types.js';
import { planV2 } from '../../src/proxy/plan-v2.js';
import { compileTenantOptions, normalizeTenantOptions } from '../../src/tenant/options.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { snappyCompress } from '../../src/wire/snappy.js';
import { DEFAULT_WIRE_LIMITS, type RequestV2, type WireLimits } from '../../src/wire/types.js';
import {
  attrs,
  expHistogram,
  expPoint,
  exemplar,
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

const tenant = compileTenantOptions(
  normalizeTenantOptions({ label: 'ns', mapping: [{ match: 'team-(.+)', tenant: '$1' }], on_missing: 'drop' }),
);

function translated(ns: string[], pod = 'p'): RequestV2 {
  const a = (i: number) => attrs({ ns: ns[i % ns.length]!, pod: `${pod}${i}` });
  return translateOtlp(
    request({
      resource: attrs({ 'service.name': 'svc', 'service.instance.id': 'i-1', region: 'eu' }),
      metrics: [
        metric(
          'g',
          gauge([numberPoint({ attributes: a(0), value: 1.5 }), numberPoint({ attributes: a(1), value: NaN })]),
        ),
        metric('stale', gauge([numberPoint({ attributes: a(2), flags: 1 })])),
        metric(
          'c',
          sum([
            numberPoint({
              attributes: a(3),
              value: 7n,
              exemplars: [exemplar({ asDouble: 2, filteredAttributes: attrs({ x: 'y' }) })],
            }),
          ]),
        ),
        metric(
          'h',
          histogram([
            histogramPoint({
              attributes: a(4),
              count: 3,
              sum: 4,
              bucketCounts: [1, 2],
              explicitBounds: [1],
              exemplars: [exemplar({ asDouble: 0.5 })],
            }),
          ]),
        ),
        metric(
          'e',
          expHistogram([
            expPoint({ attributes: a(5), count: 3, scale: 2, positive: { offset: -1, bucketCounts: [1, 2] } }),
          ]),
        ),
        metric(
          's',
          summary([
            summaryPoint({ attributes: a(6), count: 2, sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }),
          ]),
        ),
      ],
    }),
    DEFAULT_OTLP_OPTIONS,
    { maxElements: 100_000 },
  ).request;
}

function writeOf(req: RequestV2, decoded: boolean): IncomingWrite {
  return {
    version: '2.0',
    compressed: snappyCompress(encodeRequestV2(req)),
    ...(decoded ? { decoded: req } : {}),
    sourceTenant: undefined,
    clientAddress: '127.0.0.1',
    signal: new AbortController().signal,
  };
}

const plan = (req: RequestV2, decoded: boolean, forward: '1.0' | '2.0', limits: WireLimits = DEFAULT_WIRE_LIMITS) => {
  try {
    return planV2(writeOf(req, decoded), tenant, limits, forward);
  } catch (e) {
    return { error: (e as Error).message };
  }
};

describe('2.0 plan of an already decoded request', () => {
  // A lone surrogate goes out as U+FFFD: a tenant id decoded from the body names that instead.
  const cases: [string, string[], string, boolean][] = [
    ['two tenants and a missing one', ['team-a', 'team-b', 'none'], 'p', true],
    ['one tenant, every series kept', ['team-a'], 'p', true],
    ['label values with a surrogate pair', ['team-a', 'team-b'], 'p\u{1F600}', true],
    ['a lone surrogate in a label value', ['team-a', 'team-b'], 'p\ud800', true],
    ['a lone surrogate in the tenant label (refused)', ['team-a', 'team-\ud800'], 'p', false],
  ];
  for (const [what, ns, pod, ok] of cases) {
    for (const forward of ['1.0', '2.0'] as const) {
      it(`forwards exactly what decoding the body forwards: ${what}, as ${forward}`, () => {
        const req = translated(ns, pod);
        const fromBody = plan(req, false, forward);
        expect('error' in fromBody).toBe(!ok);
        expect(plan(req, true, forward)).toEqual(fromBody);
      });
    }
  }

  it('refuses what the decoder refuses, with the same message', () => {
    const req = translated(['team-a', 'team-b']);
    const raw = encodeRequestV2(req).byteLength;
    for (const limits of [
      { ...DEFAULT_WIRE_LIMITS, maxElements: 20 },
      { ...DEFAULT_WIRE_LIMITS, maxDecodedBytes: raw - 1 },
    ]) {
      const fromBody = plan(req, false, '1.0', limits);
      expect(fromBody).toHaveProperty('error');
      expect(plan(req, true, '1.0', limits)).toEqual(fromBody);
    }
  });
});
