/**
 * Renders a decoded request for `tenantwire inspect`: JSON (stale NaN as "StaleNaN", other NaNs
 * as "NaN", infinities as "+Inf"/"-Inf", 64-bit integers as strings) or a readable summary.
 */
import type { RequestV2, WriteRequest } from '../wire/types.js';
import { STALE_NAN_BITS } from '../wire/types.js';
import type { DetectedBody } from './inspect-detect.js';

function float(v: number, bits?: bigint): number | string {
  if (Number.isNaN(v)) return bits === STALE_NAN_BITS ? 'StaleNaN' : 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return v;
}

function floats(a: Float64Array): (number | string)[] {
  const view = new DataView(a.buffer, a.byteOffset, a.byteLength);
  return Array.from(a, (v, i) => float(v, Number.isNaN(v) ? view.getBigUint64(i * 8, true) : undefined));
}

/** A JSON-safe copy: `*Bits` companions fold into their values, bigints become strings. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return float(value);
  if (value instanceof Float64Array) return floats(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k.endsWith('Bits') || v === undefined) continue;
      const bits = o[`${k}Bits`];
      out[k] = typeof v === 'number' && typeof bits === 'bigint' ? float(v, bits) : toJsonValue(v);
    }
    return out;
  }
  return value;
}

/** One JSON document; `file` names where it came from (`stdin` for -). */
export function renderJson(
  detected: DetectedBody,
  inputBytes: number,
  request: WriteRequest | RequestV2,
  file?: string,
): string {
  const doc = {
    ...(file !== undefined ? { file } : {}),
    version: detected.version,
    encoding: detected.encoding,
    bytes: inputBytes,
    decodedBytes: detected.raw.length,
    request: toJsonValue(request),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface Summary {
  readonly series: number;
  readonly samples: number;
  readonly staleMarkers: number;
  readonly histograms: number;
  readonly exemplars: number;
  readonly metadata: number;
  readonly labelNames: ReadonlyMap<string, number>;
  readonly tenants: ReadonlyMap<string, number>;
}

/** Counts over a 1.0-shaped request (2.0 requests are converted first). */
export function summarize(req: WriteRequest, tenantLabel: string, metadataCount: number): Summary {
  let samples = 0;
  let stale = 0;
  let histograms = 0;
  let exemplars = 0;
  const labelNames = new Map<string, number>();
  const tenants = new Map<string, number>();
  for (const s of req.timeseries) {
    samples += s.samples.length;
    for (const x of s.samples) if (x.valueBits === STALE_NAN_BITS) stale++;
    histograms += s.histograms.length;
    exemplars += s.exemplars.length;
    let tenant = '';
    for (const l of s.labels) {
      labelNames.set(l.name, (labelNames.get(l.name) ?? 0) + 1);
      if (l.name === tenantLabel && l.value !== '') tenant = l.value;
    }
    tenants.set(tenant, (tenants.get(tenant) ?? 0) + 1);
  }
  return {
    series: req.timeseries.length,
    samples,
    staleMarkers: stale,
    histograms,
    exemplars,
    metadata: metadataCount,
    labelNames,
    tenants,
  };
}

export function renderSummary(detected: DetectedBody, inputBytes: number, s: Summary, tenantLabel: string): string {
  const lines = [
    `remote-write ${detected.version} (${
      detected.encoding === 'snappy'
        ? `snappy, ${inputBytes} bytes -> ${detected.raw.length}`
        : `raw protobuf, ${inputBytes} bytes`
    })`,
    `series:     ${s.series}`,
    `samples:    ${s.samples}${s.staleMarkers > 0 ? ` (${s.staleMarkers} stale markers)` : ''}`,
    `histograms: ${s.histograms}`,
    `exemplars:  ${s.exemplars}`,
    `metadata:   ${s.metadata}`,
    `label names (${s.labelNames.size}): ${[...s.labelNames.keys()].sort().join(', ')}`,
    `series per tenant (label ${tenantLabel}):`,
  ];
  const tenants = [...s.tenants.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [t, n] of tenants) lines.push(`  ${t === '' ? '(none)' : t}: ${n}`);
  return `${lines.join('\n')}\n`;
}
