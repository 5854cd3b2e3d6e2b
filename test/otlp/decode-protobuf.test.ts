/**
 * The protobuf decoder against protobufjs built from proto/opentelemetry: seeded random requests
 * (every metric kind, every AnyValue kind, optional fields and oneofs set or not) and hand-built
 * bodies for what protobufjs does not write on its own: unpacked repeated scalars, a oneof set
 * twice, a singular message repeated (merged), unknown fields, and metadata.
 */
import { describe, expect, it } from 'vitest';
import { decodeOtlpMetrics } from '../../src/otlp/decode.js';
import type { ExportMetricsServiceRequest, HistogramDataPoint } from '../../src/otlp/model.js';
import { createRandom, randomRequest } from '../helpers/otlp-random.js';
import { encodeWithProtobufjs, PbExportRequest, PbMetric, PbNumberDataPoint } from '../helpers/otlp-oracle.js';

const LIMITS = { maxElements: 1_000_000 };
const decode = (b: Uint8Array) => decodeOtlpMetrics(b, 'protobuf', LIMITS);

/** Protobuf field bytes, for bodies protobufjs would not write. */
function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v > 127n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wt: number) => varint(BigInt((field << 3) | wt));
const len = (field: number, body: number[]) => [...tag(field, 2), ...varint(BigInt(body.length)), ...body];
const fixed64 = (field: number, v: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return [...tag(field, 1), ...b];
};
const double = (field: number, v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return [...tag(field, 1), ...b];
};
/** A request with one metric (its Metric message bytes). */
const withMetric = (metric: number[]) => Uint8Array.from(len(1, len(2, len(2, metric))));
const firstMetric = (req: ExportMetricsServiceRequest) => req.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;

describe('OTLP protobuf decoding against protobufjs', () => {
  it('decodes 300 seeded random requests to the model they were encoded from', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const req = randomRequest(createRandom(seed));
      expect(decode(encodeWithProtobufjs(req)), `seed ${seed}`).toEqual(req);
    }
  });

  it('decodes every metric kind, hand-built', () => {
    const req: ExportMetricsServiceRequest = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { kind: 'string', value: 'api' } }] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
          scopeMetrics: [
            {
              scope: { name: 'lib', version: '1.0', attributes: [] },
              schemaUrl: '',
              metrics: [
                {
                  name: 'g',
                  description: 'a gauge',
                  unit: '1',
                  data: {
                    kind: 'gauge',
                    dataPoints: [
                      {
                        attributes: [],
                        startTimeUnixNano: 0n,
                        timeUnixNano: 1700000000000000001n,
                        flags: 0,
                        asDouble: 1.5,
                        exemplars: [],
                      },
                      {
                        attributes: [],
                        startTimeUnixNano: 0n,
                        timeUnixNano: 18446744073709551615n,
                        flags: 1,
                        exemplars: [],
                      },
                    ],
                  },
                },
                {
                  name: 's',
                  description: '',
                  unit: '',
                  data: {
                    kind: 'sum',
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        attributes: [],
                        startTimeUnixNano: 1n,
                        timeUnixNano: 2n,
                        flags: 0,
                        asInt: -9223372036854775808n,
                        exemplars: [
                          {
                            filteredAttributes: [{ key: 'k', value: { kind: 'bool', value: true } }],
                            timeUnixNano: 3n,
                            asInt: 4n,
                            spanId: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
                            traceId: new Uint8Array(16).fill(9),
                          },
                        ],
                      },
                    ],
                  },
                },
                {
                  name: 'h',
                  description: '',
                  unit: 's',
                  data: {
                    kind: 'histogram',
                    aggregationTemporality: 1,
                    dataPoints: [
                      {
                        attributes: [],
                        startTimeUnixNano: 0n,
                        timeUnixNano: 5n,
                        flags: 0,
                        count: Number.MAX_SAFE_INTEGER,
                        sum: 0,
                        bucketCounts: [1, 2, 3],
                        explicitBounds: [0.5, 1],
                        exemplars: [],
                        min: -1,
                      },
                    ],
                  },
                },
                {
                  name: 'e',
                  description: '',
                  unit: '',
                  data: {
                    kind: 'exponentialHistogram',
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        attributes: [],
                        startTimeUnixNano: 0n,
                        timeUnixNano: 6n,
                        flags: 0,
                        count: 7,
                        scale: -3,
                        zeroCount: 1,
                        positive: { offset: -2, bucketCounts: [1, 2] },
                        negative: { offset: 0, bucketCounts: [] },
                        exemplars: [],
                        zeroThreshold: 1e-9,
                        max: 10,
                      },
                    ],
                  },
                },
                {
                  name: 'q',
                  description: '',
                  unit: '',
                  data: {
                    kind: 'summary',
                    dataPoints: [
                      {
                        attributes: [],
                        startTimeUnixNano: 0n,
                        timeUnixNano: 7n,
                        flags: 0,
                        count: 3,
                        sum: 6,
                        quantileValues: [
                          { quantile: 0.5, value: 2 },
                          { quantile: 1, value: 3 },
                        ],
                      },
                    ],
                  },
                },
                { name: 'none', description: '', unit: '', data: { kind: 'empty' } },
              ],
            },
          ],
        },
      ],
    };
    expect(decode(encodeWithProtobufjs(req))).toEqual(req);
  });

  it('decodes every AnyValue kind, nested', () => {
    const attributes = [
      { key: 's', value: { kind: 'string', value: 'v' } },
      { key: 'b', value: { kind: 'bool', value: false } },
      { key: 'i', value: { kind: 'int', value: -1n } },
      { key: 'd', value: { kind: 'double', value: -0.25 } },
      { key: 'y', value: { kind: 'bytes', value: Uint8Array.from([0, 255]) } },
      { key: 'e', value: { kind: 'empty' } },
      {
        key: 'a',
        value: {
          kind: 'array',
          values: [
            { kind: 'kvlist', values: [{ key: 'n', value: { kind: 'array', values: [{ kind: 'int', value: 3n }] } }] },
          ],
        },
      },
    ] as const;
    const req: ExportMetricsServiceRequest = {
      resourceMetrics: [{ resource: { attributes }, scopeMetrics: [], schemaUrl: '' }],
    };
    expect(decode(encodeWithProtobufjs(req))).toEqual(req);
  });

  it('takes repeated scalars unpacked as well as packed', () => {
    const point = [
      ...fixed64(4, 3n),
      ...fixed64(6, 1n), // bucket_counts, unpacked
      ...len(6, [...fixed64(0, 2n).slice(1)]), // then a packed run of one
      ...double(7, 0.5), // explicit_bounds, unpacked
    ];
    const body = withMetric([...len(1, [...Buffer.from('h')]), ...len(9, len(1, point))]);
    const p = firstMetric(decode(body)).data as unknown as { dataPoints: HistogramDataPoint[] };
    expect(p.dataPoints[0]!.bucketCounts).toEqual([1, 2]);
    expect(p.dataPoints[0]!.explicitBounds).toEqual([0.5]);
    // Exponential buckets (uint64 varints), unpacked then packed.
    const buckets = [
      ...tag(1, 0),
      ...varint(5n),
      ...tag(2, 0),
      ...varint(7n),
      ...len(2, [...varint(8n), ...varint(9n)]),
    ];
    const exp = withMetric(len(10, len(1, len(8, buckets))));
    const e = firstMetric(decode(exp)).data;
    expect(e.kind === 'exponentialHistogram' && e.dataPoints[0]!.positive).toEqual({
      offset: -3,
      bucketCounts: [7, 8, 9],
    });
  });

  it('keeps the last member of a oneof, as protobuf does', () => {
    const point = [...double(4, 1.5), ...fixed64(6, 7n)]; // as_double then as_int
    const m = firstMetric(decode(withMetric(len(5, len(1, point)))));
    expect(m.data.kind === 'gauge' && m.data.dataPoints[0]).toMatchObject({ asInt: 7n });
    expect(m.data.kind === 'gauge' && 'asDouble' in m.data.dataPoints[0]!).toBe(false);
    // data: a gauge, then a sum: the sum wins.
    const sum = PbMetric.encode(PbMetric.fromObject({ sum: { isMonotonic: true, dataPoints: [{}] } })).finish();
    const gauge = PbMetric.encode(PbMetric.fromObject({ gauge: { dataPoints: [{}, {}] } })).finish();
    const both = firstMetric(decode(withMetric([...gauge, ...sum])));
    expect(both.data).toMatchObject({ kind: 'sum', isMonotonic: true });
    expect(both.data.kind === 'sum' && both.data.dataPoints).toHaveLength(1);
  });

  it('merges a singular message seen twice (resource, scope, the same data member)', () => {
    const kv = (k: string) => len(1, len(1, [...Buffer.from(k)]));
    const rm = [...len(1, kv('a')), ...len(1, kv('b'))];
    const req = decode(Uint8Array.from(len(1, rm)));
    expect(req.resourceMetrics[0]!.resource.attributes.map((a) => a.key)).toEqual(['a', 'b']);
    const gauge = PbMetric.encode(PbMetric.fromObject({ gauge: { dataPoints: [{ asDouble: 1 }] } })).finish();
    const m = firstMetric(decode(withMetric([...gauge, ...gauge])));
    expect(m.data.kind === 'gauge' && m.data.dataPoints).toHaveLength(2);
  });

  it('skips unknown fields of every wire type and the metric metadata', () => {
    const point = PbNumberDataPoint.encode(PbNumberDataPoint.fromObject({ asDouble: 2, timeUnixNano: '9' })).finish();
    const unknown = [...tag(99, 0), ...varint(1n), ...fixed64(98, 1n), ...len(97, [1, 2]), ...tag(96, 5), 0, 0, 0, 0];
    const metadata = len(12, len(1, [...Buffer.from('x')]));
    const body = withMetric([...unknown, ...metadata, ...len(5, len(1, [...unknown, ...point]))]);
    const m = firstMetric(decode(body));
    expect(m.data).toEqual({
      kind: 'gauge',
      dataPoints: [{ attributes: [], startTimeUnixNano: 0n, timeUnixNano: 9n, flags: 0, asDouble: 2, exemplars: [] }],
    });
  });

  it('decodes an empty body to an empty request', () => {
    expect(decode(new Uint8Array(0))).toEqual({ resourceMetrics: [] });
    expect(PbExportRequest.decode(new Uint8Array(0)).toJSON()).toEqual({});
  });
});
