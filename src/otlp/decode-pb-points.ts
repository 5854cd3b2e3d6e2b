/**
 * Protobuf decoding of the OTLP data points (number, histogram, exponential histogram,
 * summary) and exemplars. Repeated scalars are read packed or unpacked (proto3 parsers must
 * take both); every bucket count, bound, quantile and exemplar is counted against the budget
 * before it is stored; a oneof set twice keeps the last value, as protobuf does.
 */
import type { ProtoReader } from '../wire/reader.js';
import { skipField } from '../wire/decode-fields.js';
import { wireError } from '../wire/wire-errors.js';
import type {
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  KeyValue,
  NumberDataPoint,
  SummaryDataPoint,
  ValueAtQuantile,
} from './model.js';
import type { Budget, Mutable } from './decode-shared.js';
import { fixed64Big, fixed64Count, readAttribute, readBytes, sfixed64Big, uint64Count } from './decode-pb-common.js';

const NUMBER_FIELDS = 0b111111100; // 2..8
const HISTOGRAM_FIELDS = 0b1111111111100; // 2..12
const EXPONENTIAL_FIELDS = 0b111111111111110; // 1..14
const SUMMARY_FIELDS = 0b111111100; // 2..8
const EXEMPLAR_FIELDS = 0b11111100; // 2..7
const BUCKETS_FIELDS = 0b110;
const QUANTILE_FIELDS = 0b110;

export function readNumberPoint(r: ProtoReader, b: Budget, end: number): NumberDataPoint {
  const attributes: KeyValue[] = [];
  const exemplars: Exemplar[] = [];
  let start = 0n;
  let time = 0n;
  let flags = 0;
  let asDouble: number | undefined;
  let asInt: bigint | undefined;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 58) readAttribute(r, b, end, attributes);
    else if (t === 17) start = fixed64Big(r, end);
    else if (t === 25) time = fixed64Big(r, end);
    else if (t === 33) {
      asDouble = r.double(end);
      asInt = undefined;
    } else if (t === 49) {
      asInt = sfixed64Big(r, end);
      asDouble = undefined;
    } else if (t === 42) readExemplarField(r, b, end, exemplars);
    else if (t === 64) flags = r.uint32(end);
    else skipField(r, t, end, NUMBER_FIELDS, 'NumberDataPoint');
  }
  const p: Mutable<NumberDataPoint> = { attributes, startTimeUnixNano: start, timeUnixNano: time, flags, exemplars };
  if (asDouble !== undefined) p.asDouble = asDouble;
  else if (asInt !== undefined) p.asInt = asInt;
  return p;
}

export function readHistogramPoint(r: ProtoReader, b: Budget, end: number): HistogramDataPoint {
  const attributes: KeyValue[] = [];
  const exemplars: Exemplar[] = [];
  const bucketCounts: number[] = [];
  const explicitBounds: number[] = [];
  let start = 0n;
  let time = 0n;
  let count = 0;
  let flags = 0;
  let sum: number | undefined;
  let min: number | undefined;
  let max: number | undefined;
  while (r.pos < end) {
    const t = r.tag(end);
    switch (t) {
      case 74:
        readAttribute(r, b, end, attributes);
        break;
      case 17:
        start = fixed64Big(r, end);
        break;
      case 25:
        time = fixed64Big(r, end);
        break;
      case 33:
        count = fixed64Count(r, end, 'HistogramDataPoint.count');
        break;
      case 41:
        sum = r.double(end);
        break;
      case 49:
      case 50:
        readFixed64Counts(r, b, t, end, bucketCounts, 'HistogramDataPoint.bucket_counts');
        break;
      case 57:
      case 58:
        readDoubles(r, b, t, end, explicitBounds, 'HistogramDataPoint.explicit_bounds');
        break;
      case 66:
        readExemplarField(r, b, end, exemplars);
        break;
      case 80:
        flags = r.uint32(end);
        break;
      case 89:
        min = r.double(end);
        break;
      case 97:
        max = r.double(end);
        break;
      default:
        skipField(r, t, end, HISTOGRAM_FIELDS, 'HistogramDataPoint');
    }
  }
  const p: Mutable<HistogramDataPoint> = {
    attributes,
    startTimeUnixNano: start,
    timeUnixNano: time,
    flags,
    count,
    bucketCounts,
    explicitBounds,
    exemplars,
  };
  if (sum !== undefined) p.sum = sum;
  if (min !== undefined) p.min = min;
  if (max !== undefined) p.max = max;
  return p;
}

export function readExponentialPoint(r: ProtoReader, b: Budget, end: number): ExponentialHistogramDataPoint {
  const attributes: KeyValue[] = [];
  const exemplars: Exemplar[] = [];
  const positive: Mutable<ExponentialBuckets> = { offset: 0, bucketCounts: [] };
  const negative: Mutable<ExponentialBuckets> = { offset: 0, bucketCounts: [] };
  let start = 0n;
  let time = 0n;
  let count = 0;
  let flags = 0;
  let scale = 0;
  let zeroCount = 0;
  let zeroThreshold = 0;
  let sum: number | undefined;
  let min: number | undefined;
  let max: number | undefined;
  while (r.pos < end) {
    const t = r.tag(end);
    switch (t) {
      case 10:
        readAttribute(r, b, end, attributes);
        break;
      case 17:
        start = fixed64Big(r, end);
        break;
      case 25:
        time = fixed64Big(r, end);
        break;
      case 33:
        count = fixed64Count(r, end, 'ExponentialHistogramDataPoint.count');
        break;
      case 41:
        sum = r.double(end);
        break;
      case 48:
        scale = r.sint32(end);
        break;
      case 57:
        zeroCount = fixed64Count(r, end, 'ExponentialHistogramDataPoint.zero_count');
        break;
      case 66:
        readBuckets(r, b, r.lengthEnd(end), positive);
        break;
      case 74:
        readBuckets(r, b, r.lengthEnd(end), negative);
        break;
      case 80:
        flags = r.uint32(end);
        break;
      case 90:
        readExemplarField(r, b, end, exemplars);
        break;
      case 97:
        min = r.double(end);
        break;
      case 105:
        max = r.double(end);
        break;
      case 113:
        zeroThreshold = r.double(end);
        break;
      default:
        skipField(r, t, end, EXPONENTIAL_FIELDS, 'ExponentialHistogramDataPoint');
    }
  }
  const p: Mutable<ExponentialHistogramDataPoint> = {
    attributes,
    startTimeUnixNano: start,
    timeUnixNano: time,
    flags,
    count,
    scale,
    zeroCount,
    positive,
    negative,
    exemplars,
    zeroThreshold,
  };
  if (sum !== undefined) p.sum = sum;
  if (min !== undefined) p.min = min;
  if (max !== undefined) p.max = max;
  return p;
}

export function readSummaryPoint(r: ProtoReader, b: Budget, end: number): SummaryDataPoint {
  const attributes: KeyValue[] = [];
  const quantileValues: ValueAtQuantile[] = [];
  let start = 0n;
  let time = 0n;
  let count = 0;
  let sum = 0;
  let flags = 0;
  while (r.pos < end) {
    const t = r.tag(end);
    switch (t) {
      case 58:
        readAttribute(r, b, end, attributes);
        break;
      case 17:
        start = fixed64Big(r, end);
        break;
      case 25:
        time = fixed64Big(r, end);
        break;
      case 33:
        count = fixed64Count(r, end, 'SummaryDataPoint.count');
        break;
      case 41:
        sum = r.double(end);
        break;
      case 50:
        b.spend(r.pos);
        quantileValues.push(readQuantile(r, r.lengthEnd(end)));
        break;
      case 64:
        flags = r.uint32(end);
        break;
      default:
        skipField(r, t, end, SUMMARY_FIELDS, 'SummaryDataPoint');
    }
  }
  return { attributes, startTimeUnixNano: start, timeUnixNano: time, flags, count, sum, quantileValues };
}

function readQuantile(r: ProtoReader, end: number): ValueAtQuantile {
  let quantile = 0;
  let value = 0;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 9) quantile = r.double(end);
    else if (t === 17) value = r.double(end);
    else skipField(r, t, end, QUANTILE_FIELDS, 'ValueAtQuantile');
  }
  return { quantile, value };
}

/** Buckets merged into `into` (a repeated singular field merges, as protobuf does). */
function readBuckets(r: ProtoReader, b: Budget, end: number, into: Mutable<ExponentialBuckets>): void {
  const counts = into.bucketCounts as number[];
  const what = 'ExponentialHistogramDataPoint.Buckets.bucket_counts';
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 8) into.offset = r.sint32(end);
    else if (t === 16) {
      b.spend(r.pos);
      counts.push(uint64Count(r, end, what));
    } else if (t === 18) {
      const stop = r.lengthEnd(end);
      while (r.pos < stop) {
        b.spend(r.pos);
        counts.push(uint64Count(r, stop, what));
      }
    } else skipField(r, t, end, BUCKETS_FIELDS, 'ExponentialHistogramDataPoint.Buckets');
  }
}

function readExemplarField(r: ProtoReader, b: Budget, end: number, out: Exemplar[]): void {
  b.spend(r.pos);
  out.push(readExemplar(r, b, r.lengthEnd(end)));
}

function readExemplar(r: ProtoReader, b: Budget, end: number): Exemplar {
  const filteredAttributes: KeyValue[] = [];
  let time = 0n;
  let asDouble: number | undefined;
  let asInt: bigint | undefined;
  let spanId: Uint8Array = new Uint8Array(0);
  let traceId: Uint8Array = new Uint8Array(0);
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 58) readAttribute(r, b, end, filteredAttributes);
    else if (t === 17) time = fixed64Big(r, end);
    else if (t === 25) {
      asDouble = r.double(end);
      asInt = undefined;
    } else if (t === 49) {
      asInt = sfixed64Big(r, end);
      asDouble = undefined;
    } else if (t === 34) spanId = readBytes(r, end);
    else if (t === 42) traceId = readBytes(r, end);
    else skipField(r, t, end, EXEMPLAR_FIELDS, 'Exemplar');
  }
  const e: Mutable<Exemplar> = { filteredAttributes, timeUnixNano: time, spanId, traceId };
  if (asDouble !== undefined) e.asDouble = asDouble;
  else if (asInt !== undefined) e.asInt = asInt;
  return e;
}

/** One occurrence of a repeated fixed64 count: wire type 1 (one value) or 2 (packed). */
function readFixed64Counts(r: ProtoReader, b: Budget, tag: number, end: number, out: number[], what: string): void {
  if ((tag & 7) === 1) {
    b.spend(r.pos);
    out.push(fixed64Count(r, end, what));
    return;
  }
  const stop = packedEnd(r, end, what);
  while (r.pos < stop) {
    b.spend(r.pos);
    out.push(fixed64Count(r, stop, what));
  }
}

/** One occurrence of a repeated double: wire type 1 (one value) or 2 (packed). */
function readDoubles(r: ProtoReader, b: Budget, tag: number, end: number, out: number[], what: string): void {
  if ((tag & 7) === 1) {
    b.spend(r.pos);
    out.push(r.double(end));
    return;
  }
  const stop = packedEnd(r, end, what);
  while (r.pos < stop) {
    b.spend(r.pos);
    out.push(r.double(stop));
  }
}

function packedEnd(r: ProtoReader, end: number, what: string): number {
  const at = r.pos;
  const stop = r.lengthEnd(end);
  const len = stop - r.pos;
  if (len % 8 !== 0)
    throw wireError('bad_packed_length', `${what} packed run of ${len} bytes (not a multiple of 8)`, at);
  return stop;
}
