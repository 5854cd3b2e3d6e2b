/**
 * Scalar conversions the translator shares: timestamps, label value formatting of floats and
 * attribute values, ids as hex. Each follows the Go function Prometheus's translator calls.
 */
import type { AnyValue, KeyValue } from './model.js';

/**
 * OTLP nanoseconds to Prometheus milliseconds: `int64(ns) / 1_000_000` (prometheusremotewrite
 * helper.go convertTimeStamp): the fixed64 read as int64, divided truncating toward zero.
 * The result is within ±9.3e12, so always a safe integer.
 */
export function nsToMs(ns: bigint): number {
  // Points of a metric mostly share their timestamps: the last conversion is remembered.
  if (ns === lastNs) return lastMs;
  lastMs = Number(BigInt.asIntN(64, ns) / 1_000_000n);
  lastNs = ns;
  return lastMs;
}
let lastNs = 0n;
let lastMs = 0;

/** Go's `float64(int64)`: round to nearest, as Number() does. */
export const int64ToFloat = (v: bigint): number => Number(BigInt.asIntN(64, v));

/** Plain decimal digits of a finite non-negative number's shortest round-trip form. */
function plainDecimal(abs: number): string {
  const s = String(abs);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const exp = Number(s.slice(e + 1));
  const mantissa = s.slice(0, e);
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const intLen = (dot < 0 ? mantissa.length : dot) + exp;
  if (intLen <= 0) return `0.${'0'.repeat(-intLen)}${digits}`;
  if (intLen >= digits.length) return digits + '0'.repeat(intLen - digits.length);
  return `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/**
 * Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that round-trip, never an
 * exponent (`1e+06` is written `1000000`, `1e-07` is `0.0000001`), `+Inf`, `-Inf`, `NaN`, `-0`.
 * Prometheus writes `le` and `quantile` label values this way (helper.go).
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  return (neg ? '-' : '') + plainDecimal(Math.abs(v));
}

/**
 * pcommon's float64AsString (Value.AsString of a double): ES6 number formatting, which is what
 * JS String() does; NaN and infinities are written as Go's encoding/json error text.
 */
function doubleAsString(v: number): string {
  if (Number.isFinite(v)) return String(v);
  const g = Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  return `json: unsupported value: ${g}`;
}

/** A JSON value as Go's encoding/json writes pcommon's AsRaw(): sorted map keys, bytes as base64. */
function toJson(v: AnyValue): string | undefined {
  switch (v.kind) {
    case 'string':
      return JSON.stringify(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'int':
      return BigInt.asIntN(64, v.value).toString();
    case 'double':
      return Number.isFinite(v.value) ? String(v.value) : undefined;
    case 'bytes':
      return JSON.stringify(Buffer.from(v.value).toString('base64'));
    case 'empty':
      return 'null';
    case 'array': {
      const parts: string[] = [];
      for (const x of v.values) {
        const j = toJson(x);
        if (j === undefined) return undefined;
        parts.push(j);
      }
      return `[${parts.join(',')}]`;
    }
    case 'kvlist': {
      // Go maps have unique keys: the last duplicate wins, then keys are sorted.
      const byKey = new Map<string, AnyValue>();
      for (const kv of v.values) byKey.set(kv.key, kv.value);
      const parts: string[] = [];
      for (const k of [...byKey.keys()].sort(compareUtf8)) {
        const j = toJson(byKey.get(k)!);
        if (j === undefined) return undefined;
        parts.push(`${JSON.stringify(k)}:${j}`);
      }
      return `{${parts.join(',')}}`;
    }
  }
}

/**
 * pcommon Value.AsString, how Prometheus turns an attribute into a label value: strings as is,
 * bools `true`/`false`, ints in decimal, doubles per ES6, bytes base64, arrays and maps as JSON
 * (empty when Go's encoder would fail, e.g. on NaN), empty as "".
 */
export function anyValueToString(v: AnyValue): string {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'double':
      return doubleAsString(v.value);
    case 'bytes':
      return Buffer.from(v.value).toString('base64');
    case 'empty':
      return '';
    default:
      return toJson(v) ?? '';
  }
}

/** Lowercase hex, as Go's hex.EncodeToString. */
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * Byte-wise (UTF-8) string order, as Go sorts strings. JS `<` compares UTF-16 units, which agrees
 * with UTF-8 order except between a surrogate (U+D800..DFFF, half of a code point above U+FFFF)
 * and a unit in U+E000..FFFF: those two ranges are swapped before comparing.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** The attribute with `key`, first match (attribute keys are unique in valid OTLP). */
export function findAttribute(attrs: readonly KeyValue[], key: string): AnyValue | undefined {
  for (const kv of attrs) if (kv.key === key) return kv.value;
  return undefined;
}
