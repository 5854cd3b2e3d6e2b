/**
 * OTLP/JSON field access and scalar conversion. Field names are lowerCamelCase, but the proto
 * names (snake_case) are accepted too, as protojson does; `null` is an absent field. 64-bit
 * integers come as decimal strings or as JSON numbers (a number past 2^53 has already been
 * rounded by JSON.parse: accepted for timestamps and values, refused for counts); enums as
 * integers or names; doubles as numbers or "NaN", "Infinity", "-Infinity" and numeric strings;
 * trace and span ids as hex (OTLP's deviation from protojson), bytes as base64. Every refusal
 * is a WireError naming the JSON path.
 */
import type { Temporality } from './model.js';
import { badValue, otlpError } from './otlp-errors.js';

export type JsonObject = Record<string, unknown>;

const snakeNames = new Map<string, string>();

function snake(camel: string): string {
  let s = snakeNames.get(camel);
  if (s === undefined) {
    s = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(camel, s);
  }
  return s;
}

/** The field's value by its JSON name or its proto name; undefined when absent or null. */
export function get(o: JsonObject, camel: string): unknown {
  let v = Object.hasOwn(o, camel) ? o[camel] : undefined;
  if (v === undefined || v === null) {
    const s = snake(camel);
    v = s !== camel && Object.hasOwn(o, s) ? o[s] : undefined;
  }
  return v === null ? undefined : v;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObject(v: unknown, path: string): JsonObject {
  if (!isObject(v)) throw badValue(path, 'an object');
  return v;
}

/** A repeated field: an array, or absent (empty). */
export function asArray(v: unknown, path: string): readonly unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw badValue(path, 'an array');
  return v;
}

export function asString(v: unknown, path: string): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw badValue(path, 'a string');
  return v;
}

export function asBool(v: unknown, path: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw badValue(path, 'true or false');
  return v;
}

const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;
const DECIMAL = /^-?[0-9]{1,20}$/;

function integer(v: unknown, path: string, signed: boolean): bigint {
  const expected = signed ? 'a decimal string or integer' : 'a decimal string or integer, not negative';
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw badValue(path, expected);
    n = BigInt(v);
  } else if (typeof v === 'string' && DECIMAL.test(v)) {
    n = BigInt(v);
  } else {
    throw badValue(path, expected);
  }
  if (signed ? n < -TWO_63 || n >= TWO_63 : n < 0n || n >= TWO_64) {
    throw badValue(path, `${expected} in the ${signed ? 'int64' : 'uint64'} range`);
  }
  return n;
}

/** fixed64 / uint64 (timestamps). */
export function asUint64(v: unknown, path: string): bigint {
  return v === undefined ? 0n : integer(v, path, false);
}

/** int64 / sfixed64 (values). */
export function asInt64(v: unknown, path: string): bigint {
  return v === undefined ? 0n : integer(v, path, true);
}

/** A uint64 count as a number, refused above 2^53-1 rather than rounded. */
export function asCount(v: unknown, path: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v > Number.MAX_SAFE_INTEGER) throw countOutOfRange(path);
  const n = integer(v, path, false);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw countOutOfRange(path);
  return Number(n);
}

function countOutOfRange(path: string) {
  return otlpError('count_out_of_range', `${path}: count above 2^53-1`);
}

function int32(v: unknown, path: string, min: number, max: number, what: string): number {
  if (v === undefined) return 0;
  const n = typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw badValue(path, `${what} (a number or decimal string)`);
  }
  return n;
}

export function asUint32(v: unknown, path: string): number {
  return int32(v, path, 0, 0xffffffff, 'an integer in 0..2^32-1');
}

export function asInt32(v: unknown, path: string): number {
  return int32(v, path, -0x80000000, 0x7fffffff, 'an integer in -2^31..2^31-1');
}

const NUMERIC = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

export function asDouble(v: unknown, path: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return Number.NaN;
    if (v === 'Infinity') return Number.POSITIVE_INFINITY;
    if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (NUMERIC.test(v)) return Number(v);
  }
  throw badValue(path, 'a number or "NaN", "Infinity", "-Infinity"');
}

const TEMPORALITY_NAMES: Readonly<Record<string, Temporality>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

export function asTemporality(v: unknown, path: string): Temporality {
  if (v === undefined) return 0;
  if (typeof v === 'string' && Object.hasOwn(TEMPORALITY_NAMES, v)) return TEMPORALITY_NAMES[v]!;
  if (v === 0 || v === 1 || v === 2) return v;
  throw otlpError(
    'invalid_enum',
    `${path}: expected 0, 1, 2 or AGGREGATION_TEMPORALITY_UNSPECIFIED, _DELTA, _CUMULATIVE`,
  );
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** traceId / spanId: hex, case-insensitive (OTLP/JSON, unlike protojson's base64). */
export function asHexBytes(v: unknown, path: string): Uint8Array {
  if (v === undefined) return new Uint8Array(0);
  if (typeof v !== 'string' || !HEX.test(v)) throw badValue(path, 'a hex string');
  const out = new Uint8Array(v.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(v.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** bytes: standard or URL-safe base64, padded or not, as protojson takes them. */
export function asBase64Bytes(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'string' || !BASE64.test(v) || v.replace(/=+$/, '').length % 4 === 1) {
    throw badValue(path, 'a base64 string');
  }
  return new Uint8Array(Buffer.from(v, 'base64'));
}
