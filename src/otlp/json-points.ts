/**
 * OTLP/JSON decoding of the data points (number, histogram, exponential histogram, summary) and
 * exemplars, mirroring decode-pb-points.ts: the same defaults, `sum`/`min`/`max` present only
 * when the body sets them, a value oneof set twice refused, and every bucket count, bound,
 * quantile and exemplar counted against the budget.
 */
import type {
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
  ValueAtQuantile,
} from './model.js';
import type { Budget, Mutable } from './decode-shared.js';
import { badValue } from './otlp-errors.js';
import {
  asArray,
  asCount,
  asDouble,
  asHexBytes,
  asInt32,
  asInt64,
  asObject,
  asUint32,
  asUint64,
  get,
  type JsonObject,
} from './json-scalars.js';
import { readAttributes } from './json-values.js';

interface Base {
  attributes: NumberDataPoint['attributes'];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
}

function base(o: JsonObject, b: Budget, path: string): Base {
  return {
    attributes: readAttributes(get(o, 'attributes'), b, `${path}.attributes`),
    startTimeUnixNano: asUint64(get(o, 'startTimeUnixNano'), `${path}.startTimeUnixNano`),
    timeUnixNano: asUint64(get(o, 'timeUnixNano'), `${path}.timeUnixNano`),
    flags: asUint32(get(o, 'flags'), `${path}.flags`),
  };
}

/** The asDouble / asInt oneof of a point or an exemplar, set on `into`. */
function setValue(o: JsonObject, path: string, into: { asDouble?: number; asInt?: bigint }): void {
  const d = get(o, 'asDouble');
  const i = get(o, 'asInt');
  if (d !== undefined && i !== undefined) throw badValue(path, 'one of asDouble and asInt, not both');
  if (d !== undefined) into.asDouble = asDouble(d, `${path}.asDouble`);
  else if (i !== undefined) into.asInt = asInt64(i, `${path}.asInt`);
}

export function readNumberPoint(o: JsonObject, b: Budget, path: string): NumberDataPoint {
  const p: Mutable<NumberDataPoint> = { ...base(o, b, path), exemplars: readExemplars(o, b, path) };
  setValue(o, path, p);
  return p;
}

/** The optional doubles (`sum`, `min`, `max`): set only when present. */
function setOptional(o: JsonObject, path: string, into: { sum?: number; min?: number; max?: number }): void {
  for (const k of ['sum', 'min', 'max'] as const) {
    const v = get(o, k);
    if (v !== undefined) into[k] = asDouble(v, `${path}.${k}`);
  }
}

export function readHistogramPoint(o: JsonObject, b: Budget, path: string): HistogramDataPoint {
  const p: Mutable<HistogramDataPoint> = {
    ...base(o, b, path),
    count: asCount(get(o, 'count'), `${path}.count`),
    bucketCounts: readCounts(get(o, 'bucketCounts'), b, `${path}.bucketCounts`),
    explicitBounds: readDoubles(get(o, 'explicitBounds'), b, `${path}.explicitBounds`),
    exemplars: readExemplars(o, b, path),
  };
  setOptional(o, path, p);
  return p;
}

export function readExponentialPoint(o: JsonObject, b: Budget, path: string): ExponentialHistogramDataPoint {
  const p: Mutable<ExponentialHistogramDataPoint> = {
    ...base(o, b, path),
    count: asCount(get(o, 'count'), `${path}.count`),
    scale: asInt32(get(o, 'scale'), `${path}.scale`),
    zeroCount: asCount(get(o, 'zeroCount'), `${path}.zeroCount`),
    positive: readBuckets(get(o, 'positive'), b, `${path}.positive`),
    negative: readBuckets(get(o, 'negative'), b, `${path}.negative`),
    exemplars: readExemplars(o, b, path),
    zeroThreshold: asDouble(get(o, 'zeroThreshold'), `${path}.zeroThreshold`),
  };
  setOptional(o, path, p);
  return p;
}

export function readSummaryPoint(o: JsonObject, b: Budget, path: string): SummaryDataPoint {
  const list = asArray(get(o, 'quantileValues'), `${path}.quantileValues`);
  const quantileValues: ValueAtQuantile[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `${path}.quantileValues[${i}]`;
    b.spend(at);
    const q = asObject(list[i], at);
    quantileValues.push({
      quantile: asDouble(get(q, 'quantile'), `${at}.quantile`),
      value: asDouble(get(q, 'value'), `${at}.value`),
    });
  }
  return {
    ...base(o, b, path),
    count: asCount(get(o, 'count'), `${path}.count`),
    sum: asDouble(get(o, 'sum'), `${path}.sum`),
    quantileValues,
  };
}

function readBuckets(v: unknown, b: Budget, path: string): ExponentialBuckets {
  if (v === undefined) return { offset: 0, bucketCounts: [] };
  const o = asObject(v, path);
  return {
    offset: asInt32(get(o, 'offset'), `${path}.offset`),
    bucketCounts: readCounts(get(o, 'bucketCounts'), b, `${path}.bucketCounts`),
  };
}

function readCounts(v: unknown, b: Budget, path: string): number[] {
  const list = asArray(v, path);
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `${path}[${i}]`;
    b.spend(at);
    out.push(asCount(list[i], at));
  }
  return out;
}

function readDoubles(v: unknown, b: Budget, path: string): number[] {
  const list = asArray(v, path);
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `${path}[${i}]`;
    b.spend(at);
    out.push(asDouble(list[i], at));
  }
  return out;
}

function readExemplars(o: JsonObject, b: Budget, path: string): Exemplar[] {
  const list = asArray(get(o, 'exemplars'), `${path}.exemplars`);
  const out: Exemplar[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `${path}.exemplars[${i}]`;
    b.spend(at);
    const x = asObject(list[i], at);
    const e: Mutable<Exemplar> = {
      filteredAttributes: readAttributes(get(x, 'filteredAttributes'), b, `${at}.filteredAttributes`),
      timeUnixNano: asUint64(get(x, 'timeUnixNano'), `${at}.timeUnixNano`),
      spanId: asHexBytes(get(x, 'spanId'), `${at}.spanId`),
      traceId: asHexBytes(get(x, 'traceId'), `${at}.traceId`),
    };
    setValue(x, at, e);
    out.push(e);
  }
  return out;
}
