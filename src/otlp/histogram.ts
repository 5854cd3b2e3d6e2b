/**
 * Explicit-bucket histograms and summaries to classic series (prometheusremotewrite helper.go
 * addHistogramDataPoints, addSummaryDataPoints): what each point becomes, as (suffix, extra
 * label, value) rows; the caller turns rows into series.
 */
import type { Label } from '../wire/types.js';
import type { HistogramDataPoint, SummaryDataPoint } from './model.js';
import { formatGoFloat } from './translate-values.js';

export interface ClassicRow {
  /** `_sum`, `_count`, `_bucket` or '' (a summary quantile). */
  readonly suffix: string;
  /** `le` or `quantile`, when the row has one. */
  readonly extra?: Label;
  readonly value: number;
  /** The bucket's upper bound (`_bucket` rows only), to place exemplars. */
  readonly bound?: number;
}

/**
 * `_sum` only when the point has a sum (the proto's optional field); `_count`; one
 * `_bucket{le="<bound>"}` per bound that has a count, with CUMULATIVE counts; and
 * `_bucket{le="+Inf"}` whose value is the point's count. Bounds are written by Go's
 * FormatFloat(b, 'f', -1, 64): `le="1000000"`, never `1e+06`.
 */
export function histogramRows(p: HistogramDataPoint): ClassicRow[] {
  const rows: ClassicRow[] = [];
  if (p.sum !== undefined) rows.push({ suffix: '_sum', value: p.sum });
  rows.push({ suffix: '_count', value: p.count });
  let cumulative = 0;
  const n = Math.min(p.explicitBounds.length, p.bucketCounts.length);
  for (let i = 0; i < n; i++) {
    const bound = p.explicitBounds[i]!;
    cumulative += p.bucketCounts[i]!;
    rows.push({ suffix: '_bucket', extra: { name: 'le', value: formatGoFloat(bound) }, value: cumulative, bound });
  }
  rows.push({ suffix: '_bucket', extra: { name: 'le', value: '+Inf' }, value: p.count, bound: Infinity });
  return rows;
}

/** How many rows histogramRows makes, to spend the budget before making them. */
export const histogramRowCount = (p: HistogramDataPoint): number =>
  (p.sum !== undefined ? 1 : 0) + 2 + Math.min(p.explicitBounds.length, p.bucketCounts.length);

/** `_sum` and `_count` always (a summary's sum is not optional), then `{quantile="<q>"}` per value. */
export function summaryRows(p: SummaryDataPoint): ClassicRow[] {
  const rows: ClassicRow[] = [
    { suffix: '_sum', value: p.sum },
    { suffix: '_count', value: p.count },
  ];
  for (const q of p.quantileValues) {
    rows.push({ suffix: '', extra: { name: 'quantile', value: formatGoFloat(q.quantile) }, value: q.value });
  }
  return rows;
}

/**
 * The row an exemplar belongs to: the bucket with the smallest bound >= its value (helper.go
 * addExemplars sorts the bounds, then takes the first that holds the value); none for NaN.
 */
export function exemplarBucket(rows: readonly ClassicRow[], value: number): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < rows.length; i++) {
    const b = rows[i]!.bound;
    if (b === undefined || !(value <= b)) continue;
    if (best === undefined || b < rows[best]!.bound!) best = i;
  }
  return best;
}
