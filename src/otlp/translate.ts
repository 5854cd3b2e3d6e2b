/**
 * OTLP metrics to a remote-write 2.0 request, following Prometheus's own OTLP receiver
 * (storage/remote/otlptranslator/prometheusremotewrite metrics_to_prw.go FromMetrics and the
 * prometheus/otlptranslator naming module). 2.0 carries what OTLP has: start timestamps,
 * native histograms, exemplars, type/help/unit; the edge converts to 1.0 when it must.
 *
 * What is refused, per point, counted under a reason (never silently lost):
 * - delta_temporality: delta sums and (exponential) histograms, as Prometheus without its
 *   delta feature flags ("invalid temporality and type combination");
 * - invalid_metric: unspecified temporality, or a metric with no data kind;
 * - invalid_name: a metric name that normalizes to nothing valid;
 * - invalid_label: an attribute key with no valid label name (empty, or only underscores);
 * - missing_value: a number point with neither as_int nor as_double (and not flagged stale);
 * - invalid_scale: an exponential histogram scale below -4;
 * - duplicate_timestamp: a point whose series already has a sample at that millisecond
 *   (Prometheus 3.8+ removes such duplicates; the first stays).
 * Too large an output throws LimitError('too_many_elements') instead: nothing is half-sent.
 */
import type { RequestV2 } from '../wire/types.js';
import type { ExportMetricsServiceRequest, Metric } from './model.js';
import { TEMPORALITY_CUMULATIVE, TEMPORALITY_DELTA } from './model.js';
import { buildMetricName, createLabelNamer, type NamerMetricType } from './names.js';
import type { OtlpTranslateOptions } from './options.js';
import { resourceLabels, scopeLabels, targetInfoAttributes, targetInfoTimestamps } from './resource.js';
import { baseLabels, InvalidLabelName, seriesLabels } from './translate-labels.js';
import {
  exponentialPoints,
  histogramPoints,
  numberPoints,
  promMetricType,
  summaryPoints,
  type PointContext,
  type PointOutcome,
} from './translate-points.js';
import { createSeriesSink } from './translate-series.js';

export const OTLP_DROP_REASONS = [
  'delta_temporality',
  'invalid_metric',
  'invalid_name',
  'invalid_label',
  'missing_value',
  'invalid_scale',
  'duplicate_timestamp',
] as const;
export type OtlpDropReason = (typeof OTLP_DROP_REASONS)[number];

export interface OtlpTranslation {
  readonly request: RequestV2;
  /** Data points received. */
  readonly dataPoints: number;
  /** Data points turned into series. */
  readonly translated: number;
  /** Data points dropped, by reason; translated + all dropped = dataPoints. */
  readonly dropped: Readonly<Record<OtlpDropReason, number>>;
  /** At most MAX_MESSAGES lines, for the partial_success error_message. */
  readonly messages: readonly string[];
}

export const MAX_MESSAGES = 5;

interface TimedPoint {
  readonly timeUnixNano: bigint;
}

function pointsOf(m: Metric): readonly TimedPoint[] {
  return m.data.kind === 'empty' ? [] : m.data.dataPoints;
}

function namerType(m: Metric): NamerMetricType {
  switch (m.data.kind) {
    case 'sum':
      return m.data.isMonotonic ? 'monotonic_counter' : 'non_monotonic_counter';
    case 'histogram':
      return 'histogram';
    case 'exponentialHistogram':
      return 'exponential_histogram';
    case 'summary':
      return 'summary';
    default:
      return 'gauge';
  }
}

export function translateOtlp(
  req: ExportMetricsServiceRequest,
  options: OtlpTranslateOptions,
  limits: { readonly maxElements: number },
): OtlpTranslation {
  const sink = createSeriesSink(limits.maxElements);
  const nameLabel = createLabelNamer(options);
  const dropped = Object.fromEntries(OTLP_DROP_REASONS.map((r) => [r, 0])) as Record<OtlpDropReason, number>;
  const messages: string[] = [];
  let extraMessages = 0;
  let dataPoints = 0;
  let translated = 0;
  const say = (line: string): void => {
    if (messages.length < MAX_MESSAGES) messages.push(line);
    else extraMessages++;
  };
  const drop = (reason: OtlpDropReason, n: number, line: string): void => {
    dropped[reason] += n;
    say(line);
  };

  for (const rm of req.resourceMetrics) {
    const resource = resourceLabels(rm.resource, options);
    let earliest: bigint | undefined;
    let latest: bigint | undefined;
    for (const sm of rm.scopeMetrics) {
      const scoped = { ...resource, scope: scopeLabels(sm.scope, sm.schemaUrl, options, nameLabel) };
      for (const metric of sm.metrics) {
        const points = pointsOf(metric);
        dataPoints += points.length;
        // target_info spans every point of the resource, refused ones included (as Prometheus).
        for (const p of points) {
          const t = BigInt.asIntN(64, p.timeUnixNano);
          if (earliest === undefined || t < earliest) earliest = t;
          if (latest === undefined || t > latest) latest = t;
        }
        const d = metric.data;
        if (d.kind === 'empty') {
          say(`metric "${metric.name}" has no data and is dropped`);
          continue;
        }
        if (points.length === 0) {
          say(`metric "${metric.name}" has no data points`);
          continue;
        }
        if (d.kind === 'sum' || d.kind === 'histogram' || d.kind === 'exponentialHistogram') {
          if (d.aggregationTemporality === TEMPORALITY_DELTA) {
            drop(
              'delta_temporality',
              points.length,
              `metric "${metric.name}": delta temporality is not supported, ${points.length} points refused`,
            );
            continue;
          }
          if (d.aggregationTemporality !== TEMPORALITY_CUMULATIVE) {
            drop(
              'invalid_metric',
              points.length,
              `metric "${metric.name}": unspecified aggregation temporality, ${points.length} points refused`,
            );
            continue;
          }
        }
        const family = buildMetricName(metric.name, metric.unit, namerType(metric), options);
        if (family === undefined) {
          drop(
            'invalid_name',
            points.length,
            `metric "${metric.name}": the name normalizes to no valid Prometheus name`,
          );
          continue;
        }
        const ctx: PointContext = {
          sink,
          resource: scoped,
          nameLabel,
          family,
          metadata: { type: promMetricType(metric), help: metric.description, unit: metric.unit },
          outcome: (o: PointOutcome, detail?: string) => {
            if (o === 'translated') translated++;
            else if (o === 'invalid_label')
              drop(o, 1, `metric "${metric.name}": attribute "${detail}" has no valid label name`);
            else if (o === 'invalid_scale')
              drop(o, 1, `metric "${metric.name}": exponential histogram scale ${detail} is below -4`);
            else if (o === 'missing_value') drop(o, 1, `metric "${metric.name}": a data point has no value`);
            else drop(o, 1, `metric "${metric.name}": a data point repeats its series' timestamp`);
          },
        };
        numberPoints(ctx, metric);
        histogramPoints(ctx, metric);
        summaryPoints(ctx, metric);
        exponentialPoints(ctx, metric);
      }
    }
    if (earliest !== undefined && latest !== undefined) addTargetInfo(rm.resource);

    function addTargetInfo(res: typeof rm.resource): void {
      const attrs = targetInfoAttributes(res, options);
      if (attrs === undefined) return;
      const identity = { ...resource, promoted: [], scope: [] };
      const base = baseLabels(attrs, identity, nameLabel);
      if (base instanceof InvalidLabelName) {
        say(`resource attribute "${base.key}" has no valid label name: no target_info`);
        return;
      }
      const entry = sink.series(seriesLabels(base, [{ name: '__name__', value: 'target_info' }]), {
        type: 2,
        help: 'Target metadata',
        unit: '',
      });
      const times = targetInfoTimestamps(earliest!, latest!);
      for (let i = 0; i < times.count; i++) {
        sink.addSample(entry, { value: 1, timestamp: times.at(i), startTimestamp: 0 });
      }
    }
  }
  if (extraMessages > 0) messages.push(`... and ${extraMessages} more`);
  return { request: sink.finish(), dataPoints, translated, dropped, messages };
}
