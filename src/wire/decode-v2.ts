/**
 * Remote-write 2.0 decoder: `io.prometheus.write.v2.Request` bytes (decompressed) to the model
 * in types.ts. Same reader and rules as 1.0; additionally symbols[0] must be "", every
 * labels_refs list has even length and every ref (labels, exemplar labels, help, unit) is
 * bounds-checked against the symbol table once the whole request is read (symbols may follow
 * the series on the wire).
 */
import type {
  ExemplarV2,
  HistogramV2,
  MetadataV2,
  MetricType,
  RequestV2,
  SampleV2,
  TimeSeriesV2,
  WireLimits,
} from './types.js';
import { DEFAULT_WIRE_LIMITS } from './types.js';
import { createReader, type ProtoReader } from './reader.js';
import { readUint32s, skipField } from './decode-fields.js';
import { readHistogramV2 } from './decode-histogram.js';
import { checkRequestV2Refs } from './refs-v2.js';
import { limitError, wireError } from './wire-errors.js';

const REQUEST_FIELDS = (1 << 4) | (1 << 5);
const SERIES_FIELDS = 0b111110; // 1..5; 6 (created_timestamp, retired) is skipped as unknown
const SAMPLE_FIELDS = 0b1110;
const EXEMPLAR_FIELDS = 0b1110;
const METADATA_FIELDS = (1 << 1) | (1 << 3) | (1 << 4);
const NO_METADATA: MetadataV2 = Object.freeze({ type: 0, helpRef: 0, unitRef: 0 });

/** Decodes a decompressed 2.0 body. Throws WireError (bad bytes, bad refs) or LimitError. */
export function decodeRequestV2(bytes: Uint8Array, limits: Partial<WireLimits> = {}): RequestV2 {
  const max = limits.maxDecodedBytes ?? DEFAULT_WIRE_LIMITS.maxDecodedBytes;
  if (bytes.length > max) {
    throw limitError('decoded_too_large', `Request of ${bytes.length} bytes is over the limit of ${max} bytes`);
  }
  const r = createReader(bytes, limits.maxElements ?? DEFAULT_WIRE_LIMITS.maxElements);
  const end = bytes.length;
  const symbols: string[] = [];
  const timeseries: TimeSeriesV2[] = [];
  const offsets: number[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const t = r.tag(end);
    if (t === 34) {
      r.spend();
      symbols.push(r.string(end, 'symbol'));
    } else if (t === 42) {
      r.spend();
      offsets.push(at);
      timeseries.push(readSeries(r, r.lengthEnd(end)));
    } else {
      skipField(r, t, end, REQUEST_FIELDS, 'Request');
    }
  }
  const req: RequestV2 = { symbols, timeseries };
  checkRequestV2Refs(req, offsets);
  return req;
}

function readSeries(r: ProtoReader, end: number): TimeSeriesV2 {
  const labelsRefs: number[] = [];
  const samples: SampleV2[] = [];
  const histograms: HistogramV2[] = [];
  const exemplars: ExemplarV2[] = [];
  let metadata = NO_METADATA;
  while (r.pos < end) {
    const t = r.tag(end);
    switch (t >>> 3) {
      case 1:
        readUint32s(r, t, end, labelsRefs, 'TimeSeries (2.0)');
        break;
      case 2:
        if (t !== 18) skipField(r, t, end, SERIES_FIELDS, 'TimeSeries (2.0)');
        else {
          r.spend();
          samples.push(readSample(r, r.lengthEnd(end)));
        }
        break;
      case 3:
        if (t !== 26) skipField(r, t, end, SERIES_FIELDS, 'TimeSeries (2.0)');
        else {
          r.spend();
          histograms.push(readHistogramV2(r, r.lengthEnd(end)));
        }
        break;
      case 4:
        if (t !== 34) skipField(r, t, end, SERIES_FIELDS, 'TimeSeries (2.0)');
        else {
          r.spend();
          exemplars.push(readExemplar(r, r.lengthEnd(end)));
        }
        break;
      case 5:
        if (t !== 42) skipField(r, t, end, SERIES_FIELDS, 'TimeSeries (2.0)');
        else metadata = mergeMetadata(metadata, r, r.lengthEnd(end));
        break;
      default:
        skipField(r, t, end, SERIES_FIELDS, 'TimeSeries (2.0)');
    }
  }
  return { labelsRefs, samples, histograms, exemplars, metadata };
}

function readSample(r: ProtoReader, end: number): SampleV2 {
  let value = 0;
  let timestamp = 0;
  let startTimestamp = 0;
  let bits: bigint | undefined;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 9) {
      value = r.double(end);
      bits = Number.isNaN(value) ? r.rawBits(r.pos - 8) : undefined;
    } else if (t === 16) {
      timestamp = r.int64(end);
    } else if (t === 24) {
      startTimestamp = r.int64(end);
    } else {
      skipField(r, t, end, SAMPLE_FIELDS, 'Sample (2.0)');
    }
  }
  return bits === undefined
    ? { value, timestamp, startTimestamp }
    : { value, timestamp, startTimestamp, valueBits: bits };
}

function readExemplar(r: ProtoReader, end: number): ExemplarV2 {
  const labelsRefs: number[] = [];
  let value = 0;
  let timestamp = 0;
  let bits: bigint | undefined;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t >>> 3 === 1) {
      readUint32s(r, t, end, labelsRefs, 'Exemplar (2.0)');
    } else if (t === 17) {
      value = r.double(end);
      bits = Number.isNaN(value) ? r.rawBits(r.pos - 8) : undefined;
    } else if (t === 24) {
      timestamp = r.int64(end);
    } else {
      skipField(r, t, end, EXEMPLAR_FIELDS, 'Exemplar (2.0)');
    }
  }
  return bits === undefined ? { labelsRefs, value, timestamp } : { labelsRefs, value, timestamp, valueBits: bits };
}

/** A singular message field seen more than once merges (protobuf semantics): later fields win. */
function mergeMetadata(prev: MetadataV2, r: ProtoReader, end: number): MetadataV2 {
  let { type, helpRef, unitRef } = prev;
  while (r.pos < end) {
    const at = r.pos;
    const t = r.tag(end);
    if (t === 8) {
      const v = r.int32(end);
      if (v < 0 || v > 7) throw wireError('invalid_enum', `Metadata type ${v} is not 0..7`, at);
      type = v as MetricType;
    } else if (t === 24) {
      helpRef = r.uint32(end);
    } else if (t === 32) {
      unitRef = r.uint32(end);
    } else {
      skipField(r, t, end, METADATA_FIELDS, 'Metadata (2.0)');
    }
  }
  return { type, helpRef, unitRef };
}
