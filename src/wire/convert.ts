/**
 * Conversions between remote-write 1.0 and 2.0 models. Sample values keep their NaN bits both
 * ways (the stale marker survives v1 -> v2 -> v1).
 *
 * What is lossy:
 * - v2 -> v1: start timestamps (samples and histograms) are dropped; per-series metadata becomes
 *   one MetricMetadata per metric family, named by the series' `__name__` (first series wins;
 *   series without `__name__` or with empty metadata contribute none).
 * - v1 -> v2: metadata attaches to series by metric family name: the series' `__name__`, or
 *   that name without a `_bucket`, `_count`, `_sum`, `_total`, `_created`, `_gcount`, `_gsum` or
 *   `_info` suffix. Metadata that matches no series in the request is dropped (so a metadata-only
 *   1.0 request becomes an empty 2.0 request), and the family name itself is not carried.
 */
import type {
  Exemplar,
  ExemplarV2,
  Histogram,
  HistogramV2,
  Label,
  MetadataV2,
  MetricMetadata,
  RequestV2,
  Sample,
  SampleV2,
  TimeSeries,
  TimeSeriesV2,
  WriteRequest,
} from './types.js';
import { checkRequestV2Refs, createSymbolTable } from './refs-v2.js';

function labelsOf(symbols: readonly string[], refs: readonly number[]): Label[] {
  const out: Label[] = [];
  for (let k = 0; k + 1 < refs.length; k += 2) out.push({ name: symbols[refs[k]!]!, value: symbols[refs[k + 1]!]! });
  return out;
}

function histogramV1(h: HistogramV2): Histogram {
  const { startTimestamp: _drop, ...rest } = h;
  return rest;
}

function sampleV1(s: SampleV2): Sample {
  return s.valueBits === undefined
    ? { value: s.value, timestamp: s.timestamp }
    : { value: s.value, timestamp: s.timestamp, valueBits: s.valueBits };
}

/** 2.0 -> 1.0 (refs are checked first; a bad ref is a WireError). */
export function v2ToV1(req: RequestV2): WriteRequest {
  checkRequestV2Refs(req);
  const { symbols } = req;
  const timeseries: TimeSeries[] = [];
  const metadata: MetricMetadata[] = [];
  const seen = new Set<string>();
  for (const s of req.timeseries) {
    const labels = labelsOf(symbols, s.labelsRefs);
    const exemplars: Exemplar[] = s.exemplars.map((e) => {
      const base = { labels: labelsOf(symbols, e.labelsRefs), value: e.value, timestamp: e.timestamp };
      return e.valueBits === undefined ? base : { ...base, valueBits: e.valueBits };
    });
    timeseries.push({ labels, samples: s.samples.map(sampleV1), exemplars, histograms: s.histograms.map(histogramV1) });
    const md = s.metadata;
    if (md.type === 0 && md.helpRef === 0 && md.unitRef === 0) continue;
    const name = labels.find((l) => l.name === '__name__')?.value;
    if (!name || seen.has(name)) continue;
    seen.add(name);
    metadata.push({
      type: md.type,
      metricFamilyName: name,
      help: symbols[md.helpRef] ?? '',
      unit: symbols[md.unitRef] ?? '',
    });
  }
  return { timeseries, metadata };
}

const FAMILY_SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_gcount', '_gsum', '_info'];

function familyOf(name: string, byFamily: ReadonlyMap<string, MetricMetadata>): MetricMetadata | undefined {
  const exact = byFamily.get(name);
  if (exact) return exact;
  for (const suffix of FAMILY_SUFFIXES) {
    if (name.endsWith(suffix)) {
      const m = byFamily.get(name.slice(0, -suffix.length));
      if (m) return m;
    }
  }
  return undefined;
}

/** 1.0 -> 2.0 with a deduplicated symbol table ("" first). */
export function v1ToV2(req: WriteRequest): RequestV2 {
  const { symbols, ref, refs: refsOf } = createSymbolTable();
  const byFamily = new Map<string, MetricMetadata>();
  for (const m of req.metadata) if (!byFamily.has(m.metricFamilyName)) byFamily.set(m.metricFamilyName, m);
  const timeseries: TimeSeriesV2[] = req.timeseries.map((s) => {
    const labelsRefs = refsOf(s.labels);
    const samples: SampleV2[] = s.samples.map((x) => ({ ...x, startTimestamp: 0 }));
    const histograms: HistogramV2[] = s.histograms.map((h) => ({ ...h, startTimestamp: 0 }));
    const exemplars: ExemplarV2[] = s.exemplars.map((e: Exemplar) => {
      const base = { labelsRefs: refsOf(e.labels), value: e.value, timestamp: e.timestamp };
      return e.valueBits === undefined ? base : { ...base, valueBits: e.valueBits };
    });
    let metadata: MetadataV2 = { type: 0, helpRef: 0, unitRef: 0 };
    const name = s.labels.find((l) => l.name === '__name__')?.value;
    const m = name === undefined || byFamily.size === 0 ? undefined : familyOf(name, byFamily);
    if (m) metadata = { type: m.type, helpRef: ref(m.help), unitRef: ref(m.unit) };
    return { labelsRefs, samples, histograms, exemplars, metadata };
  });
  return { symbols, timeseries };
}
