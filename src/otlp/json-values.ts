/**
 * OTLP/JSON decoding of the common messages: KeyValue lists (attributes), AnyValue (one kind or
 * empty; two kinds at once are refused, as protojson refuses a oneof set twice), Resource and
 * InstrumentationScope. Each attribute and array element is counted against the budget, and
 * AnyValue nesting is bounded by MAX_ANY_VALUE_DEPTH like the protobuf decoder.
 */
import type { AnyValue, InstrumentationScope, KeyValue } from './model.js';
import { type Budget, EMPTY_VALUE } from './decode-shared.js';
import { MAX_ANY_VALUE_DEPTH, badValue, tooDeep } from './otlp-errors.js';
import {
  asArray,
  asBase64Bytes,
  asBool,
  asDouble,
  asInt64,
  asObject,
  asString,
  get,
  isObject,
  type JsonObject,
} from './json-scalars.js';

const VALUE_KINDS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;

/** A `repeated KeyValue` field at `path`. */
export function readAttributes(v: unknown, b: Budget, path: string, depth = 1): KeyValue[] {
  const list = asArray(v, path);
  const out: KeyValue[] = [];
  // Paths are built only when they name a problem: this runs once per attribute.
  for (let i = 0; i < list.length; i++) {
    b.spendItem(path, i);
    const item = list[i];
    const kv = isObject(item) ? item : asObject(item, `${path}[${i}]`);
    const key = get(kv, 'key');
    const value = get(kv, 'value');
    out.push({
      key: typeof key === 'string' ? key : asString(key, `${path}[${i}].key`),
      value:
        value === undefined
          ? EMPTY_VALUE
          : (onlyString(value, depth) ?? readAnyValue(value, b, `${path}[${i}].value`, depth)),
    });
  }
  return out;
}

/** The common `{"stringValue": "..."}` (its only key), read without the general walk. */
function onlyString(v: unknown, depth: number): AnyValue | undefined {
  if (depth > MAX_ANY_VALUE_DEPTH || !isObject(v)) return undefined;
  let keys = 0;
  for (const k in v) if (++keys > 1 || k !== 'stringValue') return undefined;
  const s = v.stringValue;
  return typeof s === 'string' ? { kind: 'string', value: s } : undefined;
}

function readAnyValue(v: unknown, b: Budget, path: string, depth: number): AnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw tooDeep(path);
  const o = asObject(v, path);
  let kind: (typeof VALUE_KINDS)[number] | undefined;
  let raw: unknown;
  for (const k of VALUE_KINDS) {
    const x = get(o, k);
    if (x === undefined) continue;
    if (kind !== undefined) throw badValue(path, `one of ${VALUE_KINDS.join(', ')}, not both ${kind} and ${k}`);
    kind = k;
    raw = x;
  }
  const at = `${path}.${kind}`;
  switch (kind) {
    case 'stringValue':
      return { kind: 'string', value: asString(raw, at) };
    case 'boolValue':
      return { kind: 'bool', value: asBool(raw, at) };
    case 'intValue':
      return { kind: 'int', value: asInt64(raw, at) };
    case 'doubleValue':
      return { kind: 'double', value: asDouble(raw, at) };
    case 'bytesValue':
      return { kind: 'bytes', value: asBase64Bytes(raw, at) };
    case 'arrayValue': {
      const list = asArray(get(asObject(raw, at), 'values'), `${at}.values`);
      const values: AnyValue[] = [];
      for (let i = 0; i < list.length; i++) {
        const el = `${at}.values[${i}]`;
        b.spend(el);
        values.push(readAnyValue(list[i], b, el, depth + 1));
      }
      return { kind: 'array', values };
    }
    case 'kvlistValue':
      return {
        kind: 'kvlist',
        values: readAttributes(get(asObject(raw, at), 'values'), b, `${at}.values`, depth + 1),
      };
    default:
      return EMPTY_VALUE;
  }
}

/** ResourceMetrics.resource: its attributes (other fields carry nothing the model keeps). */
export function readResource(v: unknown, b: Budget, path: string): KeyValue[] {
  if (v === undefined) return [];
  return readAttributes(get(asObject(v, path), 'attributes'), b, `${path}.attributes`);
}

export function readScope(v: unknown, b: Budget, path: string): InstrumentationScope {
  if (v === undefined) return { name: '', version: '', attributes: [] };
  const o: JsonObject = asObject(v, path);
  return {
    name: asString(get(o, 'name'), `${path}.name`),
    version: asString(get(o, 'version'), `${path}.version`),
    attributes: readAttributes(get(o, 'attributes'), b, `${path}.attributes`),
  };
}
