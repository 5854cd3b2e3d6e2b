/**
 * The OTLP/JSON decoder: the shape of the example in the OTLP repository
 * (open-telemetry/opentelemetry-proto, examples/metrics.json: numeric nanosecond timestamps,
 * integer enums), the seeded random requests of the protobuf tests converted to OTLP/JSON and
 * decoded to the same model, the proto (snake_case) names, int64 as strings or numbers, enum
 * names, hex ids, and refusals naming the JSON path.
 */
import { describe, expect, it } from 'vitest';
import { decodeOtlpMetrics } from '../../src/otlp/decode.js';
import { WireError } from '../../src/errors.js';
import type { ExportMetricsServiceRequest } from '../../src/otlp/model.js';
import { createRandom, randomRequest } from '../helpers/otlp-random.js';
import { encodeWithProtobufjs, toOtlpJson } from '../helpers/otlp-oracle.js';

const LIMITS = { maxElements: 1_000_000 };
const decodeText = (text: string) => decodeOtlpMetrics(new TextEncoder().encode(text), 'json', LIMITS);
const decodeObj = (o: unknown) => decodeText(JSON.stringify(o));
const metricOf = (req: ExportMetricsServiceRequest, i = 0) => req.resourceMetrics[0]!.scopeMetrics[0]!.metrics[i]!;
const oneMetric = (metric: unknown) => ({ resourceMetrics: [{ scopeMetrics: [{ metrics: [metric] }] }] });

function refusal(fn: () => unknown): WireError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return e as WireError;
  }
  throw new Error('expected a WireError');
}

// The example's shape: numbers for the nanosecond timestamps (past 2^53), integer enums.
const SPEC_EXAMPLE = `{
  "resourceMetrics": [{
    "resource": { "attributes": [{ "key": "service.name", "value": { "stringValue": "my.service" } }] },
    "scopeMetrics": [{
      "scope": { "name": "my.library", "version": "1.0.0",
                 "attributes": [{ "key": "my.scope.attribute", "value": { "stringValue": "some scope attribute" } }] },
      "metrics": [
        { "name": "my.counter", "unit": "1", "description": "I am a Counter",
          "sum": { "aggregationTemporality": 1, "isMonotonic": true,
                   "dataPoints": [{ "asDouble": 5, "startTimeUnixNano": 1544712660300000000,
                                    "timeUnixNano": 1544712660300000000,
                                    "attributes": [{ "key": "my.counter.attr", "value": { "stringValue": "some value" } }] }] } },
        { "name": "my.gauge", "unit": "1", "description": "I am a Gauge",
          "gauge": { "dataPoints": [{ "asDouble": 10, "timeUnixNano": 1544712660300000000 }] } },
        { "name": "my.histogram", "unit": "1", "description": "I am a Histogram",
          "histogram": { "aggregationTemporality": 1,
                         "dataPoints": [{ "startTimeUnixNano": 1544712660300000000, "timeUnixNano": 1544712660300000000,
                                          "count": 3, "sum": 3, "bucketCounts": [1,1,1], "explicitBounds": [1],
                                          "min": 1, "max": 1 }] } }
      ]
    }]
  }]
}`;

describe('OTLP/JSON decoding', () => {
  it('decodes the specification example', () => {
    const req = decodeText(SPEC_EXAMPLE);
    const rm = req.resourceMetrics[0]!;
    expect(rm.resource.attributes).toEqual([{ key: 'service.name', value: { kind: 'string', value: 'my.service' } }]);
    expect(rm.scopeMetrics[0]!.scope).toMatchObject({ name: 'my.library', version: '1.0.0' });
    expect(metricOf(req, 0).data).toEqual({
      kind: 'sum',
      aggregationTemporality: 1,
      isMonotonic: true,
      dataPoints: [
        {
          attributes: [{ key: 'my.counter.attr', value: { kind: 'string', value: 'some value' } }],
          startTimeUnixNano: 1544712660300000000n,
          timeUnixNano: 1544712660300000000n,
          flags: 0,
          asDouble: 5,
          exemplars: [],
        },
      ],
    });
    expect(metricOf(req, 1).data).toMatchObject({
      kind: 'gauge',
      dataPoints: [{ asDouble: 10, startTimeUnixNano: 0n }],
    });
    expect(metricOf(req, 2).data).toMatchObject({
      kind: 'histogram',
      dataPoints: [{ count: 3, sum: 3, bucketCounts: [1, 1, 1], explicitBounds: [1], min: 1, max: 1 }],
    });
  });

  it('decodes 300 seeded random requests converted to OTLP/JSON to the same model as their protobuf', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const req = randomRequest(createRandom(seed));
      const fromJson = decodeObj(toOtlpJson(req));
      expect(fromJson, `seed ${seed}`).toEqual(req);
      expect(fromJson, `seed ${seed}`).toEqual(decodeOtlpMetrics(encodeWithProtobufjs(req), 'protobuf', LIMITS));
    }
  });

  it('takes the proto field names as well as the JSON names', () => {
    const req = decodeObj({
      resource_metrics: [
        {
          schema_url: 'u',
          scope_metrics: [
            {
              metrics: [
                {
                  name: 'e',
                  exponential_histogram: {
                    aggregation_temporality: 2,
                    data_points: [
                      {
                        start_time_unix_nano: '1',
                        time_unix_nano: '2',
                        zero_count: '3',
                        zero_threshold: 0.5,
                        positive: { offset: -1, bucket_counts: ['4', 5] },
                        exemplars: [{ as_int: '-6', span_id: '0102030405060708', filtered_attributes: [] }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(req.resourceMetrics[0]!.schemaUrl).toBe('u');
    expect(metricOf(req).data).toMatchObject({
      kind: 'exponentialHistogram',
      aggregationTemporality: 2,
      dataPoints: [
        {
          startTimeUnixNano: 1n,
          timeUnixNano: 2n,
          zeroCount: 3,
          zeroThreshold: 0.5,
          positive: { offset: -1, bucketCounts: [4, 5] },
          exemplars: [{ asInt: -6n, spanId: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }],
        },
      ],
    });
  });

  it('takes int64 as strings or numbers, enums as names, ids as hex in either case, bytes as base64', () => {
    const req = decodeObj(
      oneMetric({
        sum: {
          aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
          dataPoints: [
            {
              timeUnixNano: '18446744073709551615',
              asInt: -42,
              exemplars: [{ traceId: '0AFF00000000000000000000000000ff', asDouble: 'NaN' }],
              attributes: [
                { key: 'i', value: { intValue: '-9223372036854775808' } },
                { key: 'n', value: { intValue: 7 } },
                { key: 'b', value: { bytesValue: 'AP8=' } },
                { key: 'u', value: { bytesValue: '_-8' } },
              ],
            },
          ],
        },
      }),
    );
    const p = (metricOf(req).data as unknown as { dataPoints: readonly Record<string, unknown>[] }).dataPoints[0]!;
    expect(metricOf(req).data).toMatchObject({ aggregationTemporality: 2 });
    expect(p.timeUnixNano).toBe(18446744073709551615n);
    expect(p.asInt).toBe(-42n);
    expect(p.exemplars).toMatchObject([
      { asDouble: Number.NaN, traceId: Uint8Array.from([10, 255, ...new Array(13).fill(0), 255]) },
    ]);
    expect(p.attributes).toEqual([
      { key: 'i', value: { kind: 'int', value: -9223372036854775808n } },
      { key: 'n', value: { kind: 'int', value: 7n } },
      { key: 'b', value: { kind: 'bytes', value: Uint8Array.from([0, 255]) } },
      { key: 'u', value: { kind: 'bytes', value: Uint8Array.from([255, 239]) } },
    ]);
  });

  it('ignores unknown fields and treats null as absent', () => {
    const req = decodeObj({
      resourceMetrics: [
        {
          future: { x: 1 },
          resource: null,
          scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asDouble: null, extra: [1] }] } }] }],
        },
      ],
      unknownTopLevel: true,
    });
    expect(metricOf(req).data).toEqual({
      kind: 'gauge',
      dataPoints: [{ attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, flags: 0, exemplars: [] }],
    });
    expect(decodeText('{}')).toEqual({ resourceMetrics: [] });
  });

  it.each([
    [
      { sum: { dataPoints: [{ timeUnixNano: 'soon' }] } },
      'bad_value',
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].timeUnixNano: expected a decimal string or integer',
    ],
    [{ sum: { dataPoints: [{ timeUnixNano: 1.5 }] } }, 'bad_value', 'metrics[0].sum.dataPoints[0].timeUnixNano'],
    [{ sum: { dataPoints: [{ timeUnixNano: '-1' }] } }, 'bad_value', 'uint64 range'],
    [{ sum: { dataPoints: [{ timeUnixNano: '18446744073709551616' }] } }, 'bad_value', 'uint64 range'],
    [
      { gauge: { dataPoints: [{ asDouble: 1, asInt: 2 }] } },
      'bad_value',
      'dataPoints[0]: expected one of asDouble and asInt',
    ],
    [{ gauge: {}, sum: {} }, 'bad_value', 'metrics[0]: expected one of gauge'],
    [{ gauge: { dataPoints: {} } }, 'bad_value', 'gauge.dataPoints: expected an array'],
    [{ gauge: { dataPoints: [{ attributes: [{ key: 1 }] }] } }, 'bad_value', 'attributes[0].key: expected a string'],
    [
      { gauge: { dataPoints: [{ attributes: [{ key: 'a', value: { stringValue: 'x', intValue: 1 } }] }] } },
      'bad_value',
      'attributes[0].value: expected one of',
    ],
    [
      { gauge: { dataPoints: [{ exemplars: [{ spanId: 'xyz' }] }] } },
      'bad_value',
      'exemplars[0].spanId: expected a hex string',
    ],
    [
      { gauge: { dataPoints: [{ attributes: [{ key: 'b', value: { bytesValue: '***' } }] }] } },
      'bad_value',
      'bytesValue: expected a base64 string',
    ],
    [{ sum: { aggregationTemporality: 3 } }, 'invalid_enum', 'sum.aggregationTemporality'],
    [{ sum: { isMonotonic: 'yes' } }, 'bad_value', 'sum.isMonotonic: expected true or false'],
    [{ histogram: { dataPoints: [{ count: '9007199254740992' }] } }, 'count_out_of_range', 'dataPoints[0].count'],
    [{ histogram: { dataPoints: [{ bucketCounts: [1, 9007199254740992] }] } }, 'count_out_of_range', 'bucketCounts[1]'],
    [
      { summary: { dataPoints: [{ quantileValues: [{ quantile: 'half' }] }] } },
      'bad_value',
      'quantileValues[0].quantile: expected a number',
    ],
    [{ gauge: { dataPoints: [{ flags: -1 }] } }, 'bad_value', 'dataPoints[0].flags'],
    [{ exponentialHistogram: { dataPoints: [{ scale: 2 ** 31 }] } }, 'bad_value', 'dataPoints[0].scale'],
  ])('refuses %j with %s naming the path', (metric, code, text) => {
    const e = refusal(() => decodeObj(oneMetric(metric)));
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
  });

  it('refuses a body that is not JSON, not an object, or not UTF-8', () => {
    expect(refusal(() => decodeText('{"resourceMetrics": [')).code).toBe('bad_json');
    expect(refusal(() => decodeText('[]')).code).toBe('bad_json');
    expect(refusal(() => decodeText('')).code).toBe('bad_json');
    expect(refusal(() => decodeOtlpMetrics(Uint8Array.from([0x7b, 0xff, 0x7d]), 'json', LIMITS)).code).toBe(
      'invalid_utf8',
    );
    expect(refusal(() => decodeObj({ resourceMetrics: [1] })).message).toBe('resourceMetrics[0]: expected an object');
  });
});
