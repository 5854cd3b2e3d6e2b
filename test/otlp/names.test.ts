/**
 * Metric and label names, expectations from prometheus/otlptranslator (metric_namer.go
 * normalizeName / buildMetricName, unit_namer.go, label_namer.go, strconv.go) and the
 * Prometheus OTLP guide's strategy table.
 */
import { describe, expect, it } from 'vitest';
import { buildMetricName, createLabelNamer, type NamerMetricType } from '../../src/otlp/names.js';
import { DEFAULT_OTLP_OPTIONS, type TranslationStrategy } from '../../src/otlp/options.js';

const name = (
  n: string,
  unit: string,
  type: NamerMetricType,
  s: TranslationStrategy = 'UnderscoreEscapingWithSuffixes',
) => buildMetricName(n, unit, type, { translationStrategy: s });

describe('metric names, UnderscoreEscapingWithSuffixes (otlptranslator normalizeName)', () => {
  it.each([
    // unitMap
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
    ['rpc.latency', 'ms', 'histogram', 'rpc_latency_milliseconds'],
    ['system.filesystem.usage', 'By', 'gauge', 'system_filesystem_usage_bytes'],
    ['jvm.memory', 'KiBy', 'gauge', 'jvm_memory_kibibytes'],
    ['disk.free', '%', 'gauge', 'disk_free_percent'],
    ['temp', 'Cel', 'gauge', 'temp_celsius'],
    // unknown units are kept, cleaned
    ['queue.depth', 'messages', 'gauge', 'queue_depth_messages'],
    // perUnitMap: x/y -> x_per_y
    ['system.io', 'By/s', 'gauge', 'system_io_bytes_per_second'],
    ['throughput', 'req/mo', 'gauge', 'throughput_req_per_month'],
    // `{...}` annotations add nothing
    ['http.requests', '{request}', 'monotonic_counter', 'http_requests_total'],
    ['packets', '{packet}/s', 'gauge', 'packets_per_second'],
    // `_total` for monotonic counters only, moved to the end, never doubled
    ['system.network.io', 'By', 'monotonic_counter', 'system_network_io_bytes_total'],
    ['requests.total', '', 'monotonic_counter', 'requests_total'],
    ['total.requests', '', 'monotonic_counter', 'requests_total'],
    ['queue.size', '', 'non_monotonic_counter', 'queue_size'],
    // `_ratio` for unit-1 gauges only; `1` adds no unit word
    ['system.cpu.utilization', '1', 'gauge', 'system_cpu_utilization_ratio'],
    ['hit.ratio', '1', 'gauge', 'hit_ratio'],
    ['events', '1', 'monotonic_counter', 'events_total'],
    // unit word already a token: not repeated
    ['memory.bytes', 'By', 'gauge', 'memory_bytes'],
    // invalid characters split tokens; runs of `_` collapse; colons stay
    ['a..b__c', '', 'gauge', 'a_b_c'],
    ['ns:metric-name', '', 'gauge', 'ns:metric_name'],
    ['héllo', '', 'gauge', 'h_llo'],
    // a leading digit gets `_`
    ['2xx.responses', '', 'gauge', '_2xx_responses'],
  ] as const)('%s [%s, %s] -> %s', (n, unit, type, want) => {
    expect(name(n, unit, type)).toBe(want);
  });

  it('adds the per-unit suffix even when the name ends with it (Prometheus does: tokens never hold "per_second")', () => {
    expect(name('bytes_per_second', 'By/s', 'gauge')).toBe('bytes_per_second_per_second');
  });

  it('refuses a name that normalizes to nothing (otlptranslator: "resulted in empty name")', () => {
    expect(name('...', '', 'gauge')).toBeUndefined();
    expect(name('___', '', 'gauge')).toBeUndefined();
    expect(name('', 's', 'gauge')).toBe('seconds');
  });
});

describe('metric names, other strategies (otlptranslator strategy.go, buildMetricName)', () => {
  it('UnderscoreEscapingWithoutSuffixes escapes but adds nothing and keeps runs of `_`', () => {
    const s = 'UnderscoreEscapingWithoutSuffixes';
    expect(name('http.server.request.duration', 's', 'histogram', s)).toBe('http_server_request_duration');
    expect(name('requests', '1', 'monotonic_counter', s)).toBe('requests');
    expect(name('a__b', '', 'gauge', s)).toBe('a__b');
    expect(name('1st', '', 'gauge', s)).toBe('_1st');
  });

  it('NoUTF8EscapingWithSuffixes keeps the name and appends unit, per-unit, total, ratio', () => {
    const s = 'NoUTF8EscapingWithSuffixes';
    expect(name('http.server.request.duration', 's', 'histogram', s)).toBe('http.server.request.duration_seconds');
    expect(name('system.io', 'By/s', 'monotonic_counter', s)).toBe('system.io_bytes_per_second_total');
    expect(name('requests.total', '', 'monotonic_counter', s)).toBe('requests_total');
    expect(name('cpu.ratio', '1', 'gauge', s)).toBe('cpu_ratio');
    expect(name('mem_bytes', 'By', 'gauge', s)).toBe('mem_bytes');
  });

  it('NoTranslation keeps the name exactly', () => {
    expect(name('http.server.request.duration', 's', 'monotonic_counter', 'NoTranslation')).toBe(
      'http.server.request.duration',
    );
  });
});

describe('label names (otlptranslator LabelNamer.Build, Prometheus 3.7.1+ defaults)', () => {
  const label = createLabelNamer(DEFAULT_OTLP_OPTIONS);

  it.each([
    ['http.request.method', 'http_request_method'],
    ['k8s.pod-name', 'k8s_pod_name'],
    ['123abc', 'key_123abc'],
    ['_private', 'key_private'],
    ['__reserved__', '__reserved__'],
    ['__name', '__name'],
    ['a__b', 'a__b'],
    ['a..b', 'a__b'],
    ['héllo', 'h_llo'],
  ])('%s -> %s', (k, want) => {
    expect(label(k)).toBe(want);
  });

  it('refuses an empty key and one that becomes only underscores', () => {
    expect(label('')).toBeUndefined();
    expect(label('...')).toBeUndefined();
  });

  it('label_name_preserve_multiple_underscores: false collapses runs, keeping a reserved `__x__` wrapper', () => {
    const collapse = createLabelNamer({ ...DEFAULT_OTLP_OPTIONS, labelNamePreserveMultipleUnderscores: false });
    expect(collapse('a..b')).toBe('a_b');
    expect(collapse('__a..b__')).toBe('__a_b__');
  });

  it('label_name_underscore_sanitization: false keeps a single leading underscore', () => {
    const plain = createLabelNamer({ ...DEFAULT_OTLP_OPTIONS, labelNameUnderscoreSanitization: false });
    expect(plain('_private')).toBe('_private');
    expect(plain('1x')).toBe('key_1x');
  });

  it('UTF-8 strategies keep keys as written but refuse underscores only', () => {
    const utf8 = createLabelNamer({ ...DEFAULT_OTLP_OPTIONS, translationStrategy: 'NoUTF8EscapingWithSuffixes' });
    expect(utf8('http.request.method')).toBe('http.request.method');
    expect(utf8('__')).toBeUndefined();
  });
});
