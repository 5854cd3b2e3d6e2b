/**
 * Protobuf decoding of the OTLP common messages (KeyValue, AnyValue, InstrumentationScope,
 * Resource) and of the scalar encodings the metrics messages use (fixed64 timestamps as
 * bigint, counts refused above 2^53-1 rather than rounded). A singular message field seen twice
 * merges into the first, as protobuf parsers do; AnyValue nesting is bounded by
 * MAX_ANY_VALUE_DEPTH so a deep body cannot exhaust the stack.
 */
import type { ProtoReader } from '../wire/reader.js';
import { skipField } from '../wire/decode-fields.js';
import { truncatedError, wireError } from '../wire/wire-errors.js';
import type { AnyValue, InstrumentationScope, KeyValue, Temporality } from './model.js';
import { type Budget, EMPTY_VALUE, type Mutable } from './decode-shared.js';
import { MAX_ANY_VALUE_DEPTH, otlpError, tooDeep } from './otlp-errors.js';

const TWO_32 = 4294967296;
const TWO_53_HI = 0x200000;

export function fixed64Big(r: ProtoReader, end: number): bigint {
  const pos = r.pos;
  if (pos + 8 > end) throw truncatedError('fixed64', pos, end);
  r.pos = pos + 8;
  return r.view.getBigUint64(pos, true);
}

export function sfixed64Big(r: ProtoReader, end: number): bigint {
  const pos = r.pos;
  if (pos + 8 > end) throw truncatedError('sfixed64', pos, end);
  r.pos = pos + 8;
  return r.view.getBigInt64(pos, true);
}

/** A fixed64 count as a number; above 2^53-1 it would round, so it is refused. */
export function fixed64Count(r: ProtoReader, end: number, what: string): number {
  const pos = r.pos;
  if (pos + 8 > end) throw truncatedError('fixed64', pos, end);
  r.pos = pos + 8;
  const hi = r.view.getUint32(pos + 4, true);
  if (hi >= TWO_53_HI) throw countOutOfRange(what, pos);
  return hi * TWO_32 + r.view.getUint32(pos, true);
}

/** A uint64 varint count as a number, refused above 2^53-1. */
export function uint64Count(r: ProtoReader, end: number, what: string): number {
  const pos = r.pos;
  r.varint64(end);
  if (r.hi >= TWO_53_HI) throw countOutOfRange(what, pos);
  return r.hi * TWO_32 + r.lo;
}

function countOutOfRange(what: string, pos: number) {
  return otlpError('count_out_of_range', `${what} above 2^53-1 at byte ${pos}`);
}

export function int64Big(r: ProtoReader, end: number): bigint {
  r.varint64(end);
  if (r.hi === 0) return BigInt(r.lo);
  return BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo));
}

export function readBool(r: ProtoReader, end: number): boolean {
  r.varint64(end);
  return (r.lo | r.hi) !== 0;
}

/** A plain Uint8Array copy (not a Buffer when the body is one), so the model never pins the body. */
export function readBytes(r: ProtoReader, end: number): Uint8Array {
  const stop = r.lengthEnd(end);
  const out = new Uint8Array(r.buf.subarray(r.pos, stop));
  r.pos = stop;
  return out;
}

export function readTemporality(r: ProtoReader, end: number, message: string): Temporality {
  const at = r.pos;
  const v = r.int32(end);
  if (v < 0 || v > 2) throw wireError('invalid_enum', `${message}.aggregation_temporality ${v} is not 0..2`, at);
  return v as Temporality;
}

/** One `repeated KeyValue` occurrence (tag already read), counted before it is decoded. */
export function readAttribute(r: ProtoReader, b: Budget, end: number, out: KeyValue[]): void {
  b.spend(r.pos);
  out.push(readKeyValue(r, b, r.lengthEnd(end), 1));
}

const KEY_VALUE_FIELDS = 0b110;

function readKeyValue(r: ProtoReader, b: Budget, end: number, depth: number): KeyValue {
  let key = '';
  let value = EMPTY_VALUE;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) key = r.string(end, 'KeyValue.key');
    else if (t === 18) value = readAnyValue(r, b, r.lengthEnd(end), depth, value);
    else skipField(r, t, end, KEY_VALUE_FIELDS, 'KeyValue');
  }
  return { key, value };
}

const ANY_VALUE_FIELDS = 0b11111110;
const LIST_FIELDS = 0b10;

/** AnyValue at `depth` (1 for an attribute's value); `prev` is merged into, as protobuf does. */
function readAnyValue(r: ProtoReader, b: Budget, end: number, depth: number, prev: AnyValue): AnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw tooDeep(`AnyValue at byte ${r.pos}`);
  let v = prev;
  while (r.pos < end) {
    const t = r.tag(end);
    switch (t) {
      case 10:
        v = { kind: 'string', value: r.string(end, 'AnyValue.string_value') };
        break;
      case 16:
        v = { kind: 'bool', value: readBool(r, end) };
        break;
      case 24:
        v = { kind: 'int', value: int64Big(r, end) };
        break;
      case 33:
        v = { kind: 'double', value: r.double(end) };
        break;
      case 42: {
        const values = v.kind === 'array' ? (v.values as AnyValue[]) : [];
        if (v.kind !== 'array') v = { kind: 'array', values };
        const stop = r.lengthEnd(end);
        while (r.pos < stop) {
          const lt = r.tag(stop);
          if (lt !== 10) skipField(r, lt, stop, LIST_FIELDS, 'ArrayValue');
          else {
            b.spend(r.pos);
            values.push(readAnyValue(r, b, r.lengthEnd(stop), depth + 1, EMPTY_VALUE));
          }
        }
        break;
      }
      case 50: {
        const values = v.kind === 'kvlist' ? (v.values as KeyValue[]) : [];
        if (v.kind !== 'kvlist') v = { kind: 'kvlist', values };
        const stop = r.lengthEnd(end);
        while (r.pos < stop) {
          const lt = r.tag(stop);
          if (lt !== 10) skipField(r, lt, stop, LIST_FIELDS, 'KeyValueList');
          else {
            b.spend(r.pos);
            values.push(readKeyValue(r, b, r.lengthEnd(stop), depth + 1));
          }
        }
        break;
      }
      case 58:
        v = { kind: 'bytes', value: readBytes(r, end) };
        break;
      default:
        skipField(r, t, end, ANY_VALUE_FIELDS, 'AnyValue');
    }
  }
  return v;
}

const RESOURCE_FIELDS = 0b110;

/** A Resource message, its attributes appended to `attrs` (a repeated resource field merges). */
export function readResource(r: ProtoReader, b: Budget, end: number, attrs: KeyValue[]): void {
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) readAttribute(r, b, end, attrs);
    else if (t === 16)
      r.skip(0, end); // dropped_attributes_count
    else skipField(r, t, end, RESOURCE_FIELDS, 'Resource');
  }
}

const SCOPE_FIELDS = 0b11110;

/** An InstrumentationScope merged into `scope`. */
export function readScope(r: ProtoReader, b: Budget, end: number, scope: Mutable<InstrumentationScope>): void {
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) scope.name = r.string(end, 'InstrumentationScope.name');
    else if (t === 18) scope.version = r.string(end, 'InstrumentationScope.version');
    else if (t === 26) readAttribute(r, b, end, scope.attributes as KeyValue[]);
    else if (t === 32)
      r.skip(0, end); // dropped_attributes_count
    else skipField(r, t, end, SCOPE_FIELDS, 'InstrumentationScope');
  }
}
