/**
 * One metric's data points to series, per kind (prometheusremotewrite number_data_points.go,
 * helper.go, histograms.go). Each point ends counted exactly once: translated, or dropped with
 * a reason.
 */
import type { Label, MetricType, SampleV2 } from '../wire/types.js';
import { STALE_NAN_BITS } from '../wire/types.js';
import type { Exemplar, KeyValue, Metric } from './model.js';
import { FLAG_NO_RECORDED_VALUE } from './model.js';
import type { LabelNamer } from './names.js';
import type { ResourceLabels } from './resource.js';
import { stringAttributes } from './resource.js';
import { exemplarBucket, histogramRows, summaryRows, type ClassicRow } from './histogram.js';
import { toNativeHistogram } from './exponential.js';
import { baseLabels, InvalidLabelName, seriesLabels } from './translate-labels.js';
import { translateExemplars } from './translate-exemplars.js';
import type { SeriesEntry, SeriesMetadata, SeriesSink } from './translate-series.js';
import { int64ToFloat, nsToMs } from './translate-values.js';

export type PointOutcome = 'translated' | 'invalid_label' | 'missing_value' | 'invalid_scale' | 'duplicate_timestamp';

export interface PointContext {
  readonly sink: SeriesSink;
  readonly resource: ResourceLabels;
  readonly nameLabel: LabelNamer;
  readonly family: string;
  readonly metadata: SeriesMetadata;
  /** Called once per point with how it ended. */
  readonly outcome: (o: PointOutcome, detail?: string) => void;
}

/** Prometheus's metadata type of a metric kind (otlp_to_openmetrics_metadata.go). */
export function promMetricType(m: Metric): MetricType {
  switch (m.data.kind) {
    case 'gauge':
      return 2;
    case 'sum':
      return m.data.isMonotonic ? 1 : 2;
    case 'histogram':
    case 'exponentialHistogram':
      return 3;
    case 'summary':
      return 5;
    default:
      return 0;
  }
}

const isStale = (flags: number): boolean => (flags & FLAG_NO_RECORDED_VALUE) !== 0;

function sample(value: number, stale: boolean, timestamp: number, startTimestamp: number): SampleV2 {
  return stale
    ? { value: NaN, valueBits: STALE_NAN_BITS, timestamp, startTimestamp }
    : { value, timestamp, startTimestamp };
}

function labelsOf(ctx: PointContext, attributes: readonly KeyValue[]): Label[] | InvalidLabelName {
  return baseLabels(stringAttributes(attributes), ctx.resource, ctx.nameLabel);
}

function attachExemplars(ctx: PointContext, entry: SeriesEntry, exemplars: readonly Exemplar[]): void {
  if (exemplars.length === 0) return;
  for (const e of translateExemplars(exemplars, ctx.nameLabel)) ctx.sink.addExemplar(entry, e);
}

/** Gauges and sums: one sample each; exemplars only on sums, as Prometheus does. */
export function numberPoints(ctx: PointContext, metric: Metric): void {
  const data = metric.data;
  if (data.kind !== 'gauge' && data.kind !== 'sum') return;
  for (const p of data.dataPoints) {
    const base = labelsOf(ctx, p.attributes);
    if (base instanceof InvalidLabelName) {
      ctx.outcome('invalid_label', base.key);
      continue;
    }
    const stale = isStale(p.flags);
    let value: number;
    if (p.asDouble !== undefined) value = p.asDouble;
    else if (p.asInt !== undefined) value = int64ToFloat(p.asInt);
    else if (stale) value = NaN;
    else {
      ctx.outcome('missing_value');
      continue;
    }
    const entry = ctx.sink.series(seriesLabels(base, [{ name: '__name__', value: ctx.family }]), ctx.metadata);
    const s = sample(value, stale, nsToMs(p.timeUnixNano), nsToMs(p.startTimeUnixNano));
    if (!ctx.sink.addSample(entry, s)) {
      ctx.outcome('duplicate_timestamp');
      continue;
    }
    if (data.kind === 'sum') attachExemplars(ctx, entry, p.exemplars);
    ctx.outcome('translated');
  }
}

/** Rows of one point as series; whether any sample was new. */
function emitRows(
  ctx: PointContext,
  base: readonly Label[],
  rows: readonly ClassicRow[],
  stale: boolean,
  ts: number,
  start: number,
): { entries: SeriesEntry[]; added: boolean } {
  const entries: SeriesEntry[] = [];
  let added = false;
  for (const row of rows) {
    const own: Label[] = [{ name: '__name__', value: ctx.family + row.suffix }];
    if (row.extra) own.push(row.extra);
    const entry = ctx.sink.series(seriesLabels(base, own), ctx.metadata);
    entries.push(entry);
    if (ctx.sink.addSample(entry, sample(row.value, stale, ts, start))) added = true;
  }
  return { entries, added };
}

/** Explicit-bucket histograms: classic `_sum`, `_count`, `_bucket` series; exemplars on their bucket. */
export function histogramPoints(ctx: PointContext, metric: Metric): void {
  if (metric.data.kind !== 'histogram') return;
  for (const p of metric.data.dataPoints) {
    const base = labelsOf(ctx, p.attributes);
    if (base instanceof InvalidLabelName) {
      ctx.outcome('invalid_label', base.key);
      continue;
    }
    const rows = histogramRows(p);
    const { entries, added } = emitRows(
      ctx,
      base,
      rows,
      isStale(p.flags),
      nsToMs(p.timeUnixNano),
      nsToMs(p.startTimeUnixNano),
    );
    if (!added) {
      ctx.outcome('duplicate_timestamp');
      continue;
    }
    if (p.exemplars.length > 0) {
      for (const e of translateExemplars(p.exemplars, ctx.nameLabel)) {
        const i = exemplarBucket(rows, e.value);
        if (i !== undefined) ctx.sink.addExemplar(entries[i]!, e);
      }
    }
    ctx.outcome('translated');
  }
}

/** Summaries: `_sum`, `_count` and one series per quantile. */
export function summaryPoints(ctx: PointContext, metric: Metric): void {
  if (metric.data.kind !== 'summary') return;
  for (const p of metric.data.dataPoints) {
    const base = labelsOf(ctx, p.attributes);
    if (base instanceof InvalidLabelName) {
      ctx.outcome('invalid_label', base.key);
      continue;
    }
    const rows = summaryRows(p);
    const { added } = emitRows(ctx, base, rows, isStale(p.flags), nsToMs(p.timeUnixNano), nsToMs(p.startTimeUnixNano));
    ctx.outcome(added ? 'translated' : 'duplicate_timestamp');
  }
}

/** Exponential histograms: one native histogram each; every exemplar on its series. */
export function exponentialPoints(ctx: PointContext, metric: Metric): void {
  if (metric.data.kind !== 'exponentialHistogram') return;
  for (const p of metric.data.dataPoints) {
    const base = labelsOf(ctx, p.attributes);
    if (base instanceof InvalidLabelName) {
      ctx.outcome('invalid_label', base.key);
      continue;
    }
    const h = toNativeHistogram(p);
    if (h === undefined) {
      ctx.outcome('invalid_scale', String(p.scale));
      continue;
    }
    const entry = ctx.sink.series(seriesLabels(base, [{ name: '__name__', value: ctx.family }]), ctx.metadata);
    if (!ctx.sink.addHistogram(entry, h)) {
      ctx.outcome('duplicate_timestamp');
      continue;
    }
    attachExemplars(ctx, entry, p.exemplars);
    ctx.outcome('translated');
  }
}
