/**
 * OTLP exemplars to Prometheus exemplars (prometheusremotewrite helper.go getPromExemplars):
 * `trace_id` and `span_id` labels as lowercase hex when present, then the filtered attributes,
 * which are dropped (all of them) when they would push the exemplar's label runes past 128
 * (OpenMetrics 1.0's exemplar limit). Value from as_double or as_int; timestamp ns -> ms.
 *
 * One deviation: attribute keys go through the series' label namer, so a receiver that checks
 * legacy label names does not refuse the whole request for an exemplar's `http.method`.
 * An exemplar with no value (neither oneof set) is skipped rather than failing its metric.
 */
import type { Label } from '../wire/types.js';
import type { Exemplar } from './model.js';
import type { LabelNamer } from './names.js';
import type { OutExemplar } from './translate-series.js';
import { anyValueToString, compareUtf8, int64ToFloat, nsToMs, toHex } from './translate-values.js';

const MAX_EXEMPLAR_RUNES = 128;
const runes = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export function translateExemplars(exemplars: readonly Exemplar[], nameLabel: LabelNamer): OutExemplar[] {
  const out: OutExemplar[] = [];
  for (const e of exemplars) {
    let value: number;
    if (e.asDouble !== undefined) value = e.asDouble;
    else if (e.asInt !== undefined) value = int64ToFloat(e.asInt);
    else continue;
    const labels: Label[] = [];
    let used = 0;
    if (e.traceId.length > 0) {
      const v = toHex(e.traceId);
      used += 8 + v.length;
      labels.push({ name: 'trace_id', value: v });
    }
    if (e.spanId.length > 0) {
      const v = toHex(e.spanId);
      used += 7 + v.length;
      labels.push({ name: 'span_id', value: v });
    }
    const extra: Label[] = [];
    let valid = true;
    for (const kv of e.filteredAttributes) {
      const v = anyValueToString(kv.value);
      used += runes(kv.key) + runes(v);
      const name = nameLabel(kv.key);
      if (name === undefined || name === 'trace_id' || name === 'span_id') valid = false;
      else if (v !== '') extra.push({ name, value: v });
    }
    if (valid && used <= MAX_EXEMPLAR_RUNES) {
      // Exemplar label names must be unique: the first of a colliding pair stays.
      const seen = new Set(labels.map((l) => l.name));
      for (const l of extra) {
        if (seen.has(l.name)) continue;
        seen.add(l.name);
        labels.push(l);
      }
    }
    labels.sort((a, b) => compareUtf8(a.name, b.name));
    out.push({ labels, value, timestamp: nsToMs(e.timeUnixNano) });
  }
  return out;
}
