/**
 * The output side of the translation: series keyed by their label set (points with identical
 * labels merge into one series, as Prometheus's getOrCreateTimeSeries does), an element budget
 * checked BEFORE each allocation, and the final remote-write 2.0 request with its symbol table.
 */
import { LimitError } from '../errors.js';
import type { ExemplarV2, HistogramV2, Label, MetricType, RequestV2, SampleV2, TimeSeriesV2 } from '../wire/types.js';
import { createSymbolTable } from '../wire/refs-v2.js';
import { compareUtf8 } from './translate-values.js';

export interface SeriesMetadata {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

export interface OutExemplar {
  readonly labels: readonly Label[];
  readonly value: number;
  readonly timestamp: number;
}

export interface SeriesEntry {
  readonly labels: readonly Label[];
  readonly metadata: SeriesMetadata;
  readonly samples: SampleV2[];
  readonly histograms: HistogramV2[];
  readonly exemplars: OutExemplar[];
  /** Timestamps already present, made on the first merge (most series hold one sample). */
  seen?: Set<number>;
  /** The next series whose labels hash alike (a collision chain, rarely used). */
  next?: SeriesEntry;
}

/** Labels sorted by name (byte order), the order remote-write requires. */
export function sortLabels(labels: Label[]): Label[] {
  return labels.sort((a, b) => compareUtf8(a.name, b.name));
}

/**
 * A 32-bit FNV-1a hash of a label set, lengths mixed in. Only a bucket: equal() decides
 * identity. Cheaper than building a string key per point (which also hashes every character).
 */
export function hashLabels(labels: readonly Label[]): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < labels.length; i++) {
    const { name, value } = labels[i]!;
    h = Math.imul(h ^ name.length, 0x01000193);
    for (let j = 0; j < name.length; j++) h = Math.imul(h ^ name.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ value.length, 0x01000193);
    for (let j = 0; j < value.length; j++) h = Math.imul(h ^ value.charCodeAt(j), 0x01000193);
  }
  return h;
}

/** An injective key of a sorted label set (length-prefixed, so no separator can collide). */
function keyOf(labels: readonly Label[]): string {
  let k = '';
  for (const l of labels) k += `${l.name.length}:${l.name}${l.value.length}:${l.value}`;
  return k;
}

/** Past this many series on one hash (crafted input), that hash's series are found by string key. */
const MAX_CHAIN = 8;

function equal(a: readonly Label[], b: readonly Label[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.name !== b[i]!.name || a[i]!.value !== b[i]!.value) return false;
  }
  return true;
}

export interface SeriesSink {
  /** Counts `n` output elements; throws LimitError('too_many_elements') past the limit. */
  spend(n: number): void;
  /** The series with these (sorted) labels, made on first use; its first metadata stays. */
  series(labels: readonly Label[], metadata: SeriesMetadata): SeriesEntry;
  /** Adds a sample; false (nothing added) when the series already has one at that timestamp. */
  addSample(entry: SeriesEntry, sample: SampleV2): boolean;
  addHistogram(entry: SeriesEntry, h: HistogramV2): boolean;
  addExemplar(entry: SeriesEntry, e: OutExemplar): void;
  finish(): RequestV2;
}

/** `hash` is for tests (to force collisions); any function of the labels is correct. */
export function createSeriesSink(
  maxElements: number,
  hash: (labels: readonly Label[]) => number = hashLabels,
): SeriesSink {
  let budget = maxElements;
  // Series by label hash (a chain through `next` on collisions), and in order of creation.
  const byHash = new Map<number, SeriesEntry>();
  const entries: SeriesEntry[] = [];
  // Hashes whose chain got long, and their series by string key: no quadratic walk on collisions.
  const overflowed = new Set<number>();
  const byKey = new Map<string, SeriesEntry>();

  const spend = (n: number): void => {
    budget -= n;
    if (budget < 0) {
      throw new LimitError(
        'too_many_elements',
        `OTLP request translates to more than ${maxElements} series, labels, samples, histogram buckets ` +
          'and exemplars',
      );
    }
  };

  /** Whether `ts` is new for the series (remembering it). Prometheus 3.8+ drops same-timestamp duplicates. */
  const fresh = (entry: SeriesEntry, ts: number, existing: readonly { timestamp: number }[]): boolean => {
    if (existing.length === 0) return true;
    if (!entry.seen) entry.seen = new Set(existing.map((x) => x.timestamp));
    if (entry.seen.has(ts)) return false;
    entry.seen.add(ts);
    return true;
  };

  const create = (labels: readonly Label[], metadata: SeriesMetadata): SeriesEntry => {
    spend(1 + labels.length);
    const entry: SeriesEntry = { labels, metadata, samples: [], histograms: [], exemplars: [] };
    entries.push(entry);
    return entry;
  };

  return {
    spend,
    series(labels, metadata) {
      const h = hash(labels);
      if (overflowed.has(h)) {
        const key = keyOf(labels);
        const found = byKey.get(key);
        if (found) return found;
        const entry = create(labels, metadata);
        byKey.set(key, entry);
        return entry;
      }
      const first = byHash.get(h);
      let chain = 0;
      for (let e = first; e !== undefined; e = e.next, chain++) if (equal(e.labels, labels)) return e;
      const entry = create(labels, metadata);
      if (first === undefined) byHash.set(h, entry);
      else if (chain < MAX_CHAIN) {
        entry.next = first.next;
        first.next = entry;
      } else {
        overflowed.add(h);
        byHash.delete(h);
        for (let e: SeriesEntry | undefined = first; e !== undefined; e = e.next) byKey.set(keyOf(e.labels), e);
        byKey.set(keyOf(labels), entry);
      }
      return entry;
    },
    addSample(entry, sample) {
      if (!fresh(entry, sample.timestamp, entry.samples)) return false;
      spend(1);
      entry.samples.push(sample);
      return true;
    },
    addHistogram(entry, h) {
      if (!fresh(entry, h.timestamp, entry.histograms)) return false;
      spend(1 + h.positiveSpans.length + h.negativeSpans.length + h.positiveDeltas.length + h.negativeDeltas.length);
      entry.histograms.push(h);
      return true;
    },
    addExemplar(entry, e) {
      spend(1 + e.labels.length);
      entry.exemplars.push(e);
    },
    finish() {
      const { symbols, ref, refs } = createSymbolTable();
      const timeseries: TimeSeriesV2[] = [];
      const byTime = (a: { timestamp: number }, b: { timestamp: number }) => a.timestamp - b.timestamp;
      for (const e of entries) {
        const exemplars: ExemplarV2[] = e.exemplars.map((x) => ({
          labelsRefs: refs(x.labels),
          value: x.value,
          timestamp: x.timestamp,
        }));
        timeseries.push({
          labelsRefs: refs(e.labels),
          samples: e.samples.sort(byTime),
          histograms: e.histograms.sort(byTime),
          exemplars,
          metadata: { type: e.metadata.type, helpRef: ref(e.metadata.help), unitRef: ref(e.metadata.unit) },
        });
      }
      return { symbols, timeseries };
    },
  };
}
