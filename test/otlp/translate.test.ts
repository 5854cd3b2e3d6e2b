/**
 * translateOtlp, one test per rule, each citing where the expectation comes from
 * (prometheusremotewrite = prometheus/storage/remote/otlptranslator/prometheusremotewrite).
 */
import { describe, expect, it } from 'vitest';
import { LimitError } from '../../src/errors.js';
import { DEFAULT_OTLP_OPTIONS, type OtlpTranslateOptions } from '../../src/otlp/options.js';
import { translateOtlp } from '../../src/otlp/translate.js';
import { STALE_NAN_BITS } from '../../src/wire/types.js';
import {
  attrs,
  exemplar,
  findSeries,
  gauge,
  histogram,
  histogramPoint,
  metric,
  ns,
  numberPoint,
  readable,
  request,
  sum,
  summary,
  summaryPoint,
} from '../helpers/otlp-build.js';

const run = (req: ReturnType<typeof request>, o: Partial<OtlpTranslateOptions> = {}, maxElements = 100_000) =>
  translateOtlp(req, { ...DEFAULT_OTLP_OPTIONS, ...o }, { maxElements });

describe('values and timestamps (prometheusremotewrite number_data_points.go)', () => {
  it('gauge: int and double values, ns -> ms by truncating division, start timestamp kept', () => {
    const t = run(
      request({
        metrics: [
          metric('g', gauge([numberPoint({ value: 42n, timeUnixNano: 1_500_999_999n, startTimeUnixNano: 999_999n })])),
          metric('d', gauge([numberPoint({ value: 0.25, timeUnixNano: ns(2000) })])),
        ],
      }),
    );
    const [g] = findSeries(t.request, { __name__: 'g' });
    expect(g!.samples).toEqual([{ value: 42, timestamp: 1500, startTimestamp: 0 }]);
    const [d] = findSeries(t.request, { __name__: 'd' });
    expect(d!.samples[0]!.value).toBe(0.25);
    expect(d!.metadata.type).toBe(2);
    expect(t).toMatchObject({ dataPoints: 2, translated: 2 });
  });

  it('int64 values convert as Go float64(int64): rounding to nearest, negatives kept', () => {
    const t = run(request({ metrics: [metric('g', gauge([numberPoint({ value: -(2n ** 63n) })]))] }));
    expect(readable(t.request)[0]!.samples[0]!.value).toBe(-(2 ** 63));
  });

  it('monotonic cumulative sum -> counter with _total; non-monotonic -> gauge (otlp_to_openmetrics_metadata.go)', () => {
    const t = run(
      request({
        metrics: [
          metric(
            'http.requests',
            sum([numberPoint({ value: 5, startTimeUnixNano: ns(100) })]),
            '{request}',
            'Requests',
          ),
          metric('queue.size', sum([numberPoint({ value: 3 })], false)),
        ],
      }),
    );
    const [c] = findSeries(t.request, { __name__: 'http_requests_total' });
    expect(c!.metadata).toEqual({ type: 1, help: 'Requests', unit: '{request}' });
    expect(c!.samples[0]!.startTimestamp).toBe(100);
    expect(findSeries(t.request, { __name__: 'queue_size' })[0]!.metadata.type).toBe(2);
  });

  it('no-recorded-value flag -> the stale NaN with its bits (helper.go value.StaleNaN)', () => {
    const t = run(request({ metrics: [metric('g', gauge([numberPoint({ flags: 1 })]))] }));
    const s = readable(t.request)[0]!.samples[0]!;
    expect(Number.isNaN(s.value)).toBe(true);
    expect(s.valueBits).toBe(STALE_NAN_BITS);
  });

  it('a point with no value and no stale flag is dropped as missing_value', () => {
    const t = run(request({ metrics: [metric('g', gauge([numberPoint({})]))] }));
    expect(t.request.timeseries).toEqual([]);
    expect(t.dropped.missing_value).toBe(1);
  });
});

describe('temporality and invalid metrics (metrics_to_prw.go FromMetrics)', () => {
  it('delta sums and histograms are refused and counted, with a message', () => {
    const t = run(
      request({
        metrics: [
          metric('d', sum([numberPoint({ value: 1 }), numberPoint({ value: 2, timeUnixNano: ns(2000) })], true, 1)),
          metric('h', histogram([histogramPoint({ count: 1 })], 1)),
          metric('ok', gauge([numberPoint({ value: 1 })])),
        ],
      }),
    );
    expect(t.dropped.delta_temporality).toBe(3);
    expect(t.translated).toBe(1);
    expect(t.dataPoints).toBe(4);
    expect(t.messages.join('\n')).toMatch(/"d": delta temporality/);
  });

  it('unspecified temporality -> invalid_metric; empty data -> a message only', () => {
    const t = run(
      request({
        metrics: [
          metric('u', sum([numberPoint({ value: 1 })], true, 0)),
          metric('e', gauge([])),
          { name: 'x', description: '', unit: '', data: { kind: 'empty' } },
        ],
      }),
    );
    expect(t.dropped.invalid_metric).toBe(1);
    expect(t.dataPoints).toBe(1);
    expect(t.messages).toHaveLength(3);
  });

  it('a name with no valid characters is dropped as invalid_name', () => {
    const t = run(request({ metrics: [metric('...', gauge([numberPoint({ value: 1 })]))] }));
    expect(t.dropped.invalid_name).toBe(1);
  });
});

describe('labels (helper.go createAttributes)', () => {
  it('attributes named by the label namer, collisions joined with ";" in key order, labels sorted', () => {
    const t = run(
      request({
        metrics: [metric('g', gauge([numberPoint({ value: 1, attributes: attrs({ a_b: 'x', 'a.b': 'y', z: 1n }) })]))],
      }),
    );
    const s = readable(t.request)[0]!;
    expect(s.labels).toEqual({ __name__: 'g', a_b: 'y;x', z: '1' });
    expect(Object.keys(s.labels)).toEqual(['__name__', 'a_b', 'z']);
  });

  it('attribute values as pcommon AsString: bool, double, array JSON', () => {
    const t = run(
      request({
        metrics: [
          metric(
            'g',
            gauge([
              numberPoint({
                value: 1,
                attributes: attrs({
                  b: true,
                  d: 1.5,
                  arr: {
                    kind: 'array',
                    values: [
                      { kind: 'string', value: 'x' },
                      { kind: 'int', value: 2n },
                    ],
                  },
                }),
              }),
            ]),
          ),
        ],
      }),
    );
    expect(readable(t.request)[0]!.labels).toMatchObject({ b: 'true', d: '1.5', arr: '["x",2]' });
  });

  it('an attribute key with no valid label name drops the point as invalid_label', () => {
    const t = run(
      request({ metrics: [metric('g', gauge([numberPoint({ value: 1, attributes: attrs({ '': 'v' }) })]))] }),
    );
    expect(t.dropped.invalid_label).toBe(1);
  });

  it('points with the same labels merge into one series, samples sorted by timestamp; duplicates dropped', () => {
    const pts = [
      numberPoint({ value: 2, timeUnixNano: ns(2000) }),
      numberPoint({ value: 1, timeUnixNano: ns(1000) }),
      numberPoint({ value: 9, timeUnixNano: ns(1000) }),
    ];
    const t = run(request({ metrics: [metric('g', gauge(pts))] }));
    expect(t.request.timeseries).toHaveLength(1);
    expect(readable(t.request)[0]!.samples.map((s) => [s.timestamp, s.value])).toEqual([
      [1000, 1],
      [2000, 2],
    ]);
    expect(t.dropped.duplicate_timestamp).toBe(1);
  });
});

describe('resource and scope (helper.go createAttributes, addResourceTargetInfo)', () => {
  const resource = attrs({
    'service.name': 'api',
    'service.namespace': 'shop',
    'service.instance.id': 'pod-1',
    'k8s.cluster.name': 'eu1',
    region: 'west',
  });

  it('service.namespace/service.name -> job, service.instance.id -> instance, on every series', () => {
    const t = run(request({ resource, metrics: [metric('g', gauge([numberPoint({ value: 1 })]))] }));
    expect(findSeries(t.request, { __name__: 'g' })[0]!.labels).toEqual({
      __name__: 'g',
      job: 'shop/api',
      instance: 'pod-1',
    });
  });

  it('target_info: value 1 gauge with job, instance and the other attributes, identifying ones left out', () => {
    const t = run(request({ resource, metrics: [metric('g', gauge([numberPoint({ value: 1 })]))] }));
    const [info] = findSeries(t.request, { __name__: 'target_info' });
    expect(info!.labels).toEqual({
      __name__: 'target_info',
      job: 'shop/api',
      instance: 'pod-1',
      k8s_cluster_name: 'eu1',
      region: 'west',
    });
    expect(info!.samples).toEqual([{ value: 1, timestamp: 1000, startTimestamp: 0 }]);
  });

  it('target_info samples from the earliest to the latest point every 2m30s, then the latest (Prometheus 3.6+)', () => {
    const pts = [numberPoint({ value: 1, timeUnixNano: ns(0) }), numberPoint({ value: 2, timeUnixNano: ns(400_000) })];
    const t = run(request({ resource, metrics: [metric('g', gauge(pts))] }));
    expect(findSeries(t.request, { __name__: 'target_info' })[0]!.samples.map((s) => s.timestamp)).toEqual([
      0, 150_000, 300_000, 400_000,
    ]);
  });

  it('no target_info when the resource has only identifying attributes, or no job/instance', () => {
    const only = attrs({ 'service.name': 'api' });
    const noId = attrs({ region: 'west' });
    const t = run(
      request(
        { resource: only, metrics: [metric('g', gauge([numberPoint({ value: 1 })]))] },
        { resource: noId, metrics: [metric('h', gauge([numberPoint({ value: 1 })]))] },
      ),
    );
    expect(findSeries(t.request, { __name__: 'target_info' })).toEqual([]);
  });

  it('keep_identifying_resource_attributes keeps service.* on target_info', () => {
    const t = run(request({ resource, metrics: [metric('g', gauge([numberPoint({ value: 1 })]))] }), {
      keepIdentifyingResourceAttributes: true,
    });
    expect(findSeries(t.request, { __name__: 'target_info' })[0]!.labels).toMatchObject({ service_name: 'api' });
  });

  it('promote_resource_attributes: onto every series; a point attribute of the same name wins', () => {
    const t = run(
      request({
        resource,
        metrics: [metric('g', gauge([numberPoint({ value: 1, attributes: attrs({ region: 'east' }) })]))],
      }),
      { promoteResourceAttributes: ['k8s.cluster.name', 'region'] },
    );
    expect(findSeries(t.request, { __name__: 'g' })[0]!.labels).toMatchObject({
      k8s_cluster_name: 'eu1',
      region: 'east',
    });
  });

  it('promote_all_resource_attributes with ignore_resource_attributes (Prometheus 3.5+)', () => {
    const t = run(request({ resource, metrics: [metric('g', gauge([numberPoint({ value: 1 })]))] }), {
      promoteAllResourceAttributes: true,
      ignoreResourceAttributes: ['region', 'service.instance.id'],
    });
    const l = findSeries(t.request, { __name__: 'g' })[0]!.labels;
    expect(l).toMatchObject({ k8s_cluster_name: 'eu1', service_name: 'api' });
    expect(l.region).toBeUndefined();
  });

  it('scope labels only with promote_scope_metadata (Prometheus 3.6+, default off)', () => {
    const scope = {
      name: 'io.otel.http',
      version: '1.2',
      attributes: attrs({ 'lib.kind': 'x' }),
      schemaUrl: 'https://s',
    };
    const req = request({ scope, metrics: [metric('g', gauge([numberPoint({ value: 1 })]))] });
    expect(readable(run(req).request)[0]!.labels.otel_scope_name).toBeUndefined();
    expect(readable(run(req, { promoteScopeMetadata: true }).request)[0]!.labels).toEqual({
      __name__: 'g',
      otel_scope_name: 'io.otel.http',
      otel_scope_version: '1.2',
      otel_scope_schema_url: 'https://s',
      otel_scope_lib_kind: 'x',
    });
  });
});

describe('classic histograms and summaries (helper.go addHistogramDataPoints, addSummaryDataPoints)', () => {
  const p = histogramPoint({
    count: 10,
    sum: 12.5,
    explicitBounds: [0.005, 1, 1e6],
    bucketCounts: [1, 2, 3, 4],
    exemplars: [exemplar({ asDouble: 0.5, traceId: new Uint8Array(16).fill(0xab), spanId: new Uint8Array(8).fill(1) })],
  });

  it('_bucket{le} cumulative with Go float formatting, +Inf = count, _sum, _count', () => {
    const t = run(request({ metrics: [metric('latency', histogram([p]), 's')] }));
    const val = (m: Record<string, string>) => findSeries(t.request, m)[0]!.samples[0]!.value;
    expect(val({ __name__: 'latency_seconds_bucket', le: '0.005' })).toBe(1);
    expect(val({ __name__: 'latency_seconds_bucket', le: '1' })).toBe(3);
    expect(val({ __name__: 'latency_seconds_bucket', le: '1000000' })).toBe(6);
    expect(val({ __name__: 'latency_seconds_bucket', le: '+Inf' })).toBe(10);
    expect(val({ __name__: 'latency_seconds_sum' })).toBe(12.5);
    expect(val({ __name__: 'latency_seconds_count' })).toBe(10);
    expect(findSeries(t.request, { __name__: 'latency_seconds_count' })[0]!.metadata.type).toBe(3);
  });

  it('no _sum series when the point has no sum', () => {
    const t = run(request({ metrics: [metric('h', histogram([histogramPoint({ count: 1 })]))] }));
    expect(findSeries(t.request, { __name__: 'h_sum' })).toEqual([]);
    expect(findSeries(t.request, { __name__: 'h_bucket', le: '+Inf' })).toHaveLength(1);
  });

  it('exemplar goes on the bucket whose bound holds its value, with hex trace_id/span_id', () => {
    const t = run(request({ metrics: [metric('h', histogram([p]))] }));
    const b = findSeries(t.request, { __name__: 'h_bucket', le: '1' })[0]!;
    expect(b.exemplars).toEqual([
      { labels: { span_id: '0101010101010101', trace_id: 'ab'.repeat(16) }, value: 0.5, timestamp: 1000 },
    ]);
    expect(findSeries(t.request, { __name__: 'h_bucket', le: '0.005' })[0]!.exemplars).toEqual([]);
  });

  it('stale histogram: every series gets the stale NaN', () => {
    const t = run(request({ metrics: [metric('h', histogram([histogramPoint({ ...p, flags: 1 })]))] }));
    for (const s of readable(t.request)) expect(s.samples[0]!.valueBits).toBe(STALE_NAN_BITS);
  });

  it('summary: {quantile} series, _sum, _count', () => {
    const q = summaryPoint({
      count: 4,
      sum: 2,
      quantileValues: [
        { quantile: 0.5, value: 0.4 },
        { quantile: 0.99, value: 1 },
      ],
    });
    const t = run(request({ metrics: [metric('rpc', summary([q]))] }));
    expect(findSeries(t.request, { __name__: 'rpc', quantile: '0.99' })[0]!.samples[0]!.value).toBe(1);
    expect(findSeries(t.request, { __name__: 'rpc_sum' })[0]!.samples[0]!.value).toBe(2);
    expect(findSeries(t.request, { __name__: 'rpc_count' })[0]!.metadata.type).toBe(5);
  });
});

describe('exemplars on sums (helper.go getPromExemplars)', () => {
  it('filtered attributes become labels; dropped when past 128 runes', () => {
    const small = exemplar({ asInt: 3n, filteredAttributes: attrs({ 'user.id': 'u1' }) });
    const big = exemplar({ asDouble: 1, timeUnixNano: ns(5), filteredAttributes: attrs({ k: 'x'.repeat(200) }) });
    const t = run(request({ metrics: [metric('c', sum([numberPoint({ value: 1, exemplars: [small, big] })]))] }));
    expect(readable(t.request)[0]!.exemplars).toEqual([
      { labels: { user_id: 'u1' }, value: 3, timestamp: 1000 },
      { labels: {}, value: 1, timestamp: 5 },
    ]);
  });
});

describe('output budget', () => {
  it('1,000 attributes x 1,000 buckets throws too_many_elements instead of growing', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) many[`a${i}`] = `v${i}`;
    const bounds = Array.from({ length: 1000 }, (_, i) => i);
    const pt = histogramPoint({
      count: 0,
      attributes: attrs(many),
      explicitBounds: bounds,
      bucketCounts: [...bounds.map(() => 0), 0],
    });
    const req = request({ metrics: [metric('h', histogram([pt]))] });
    // 1,002 series x 1,002 labels: past a 500,000 budget, within 2,000,000
    expect(() => run(req, {}, 500_000)).toThrow(LimitError);
    expect(() => run(req, {}, 500_000)).toThrow(/more than 500000/);
    const t = run(req, {}, 2_000_000);
    expect(t.request.timeseries).toHaveLength(1002);
  });
});
