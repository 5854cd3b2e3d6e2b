/**
 * Remote-write 1.0 decoder: `prometheus.WriteRequest` bytes (decompressed) to the model in
 * types.ts. Hand-written over one reader: packed and unpacked repeated scalars, unknown fields
 * skipped by wire type, wire types 3, 4, 6, 7 refused, NaN bits kept, every length checked
 * against its enclosing message.
 */
import type {
  Exemplar,
  Histogram,
  Label,
  MetricMetadata,
  MetricType,
  Sample,
  TimeSeries,
  WireLimits,
  WriteRequest,
} from './types.js';
import { DEFAULT_WIRE_LIMITS } from './types.js';
import { createReader, type ProtoReader } from './reader.js';
import { skipField } from './decode-fields.js';
import { readHistogram } from './decode-histogram.js';
import { limitError, wireError, wrongWireTypeError } from './wire-errors.js';

const REQUEST_FIELDS = (1 << 1) | (1 << 3);
const SERIES_FIELDS = 0b11110;
const LABEL_FIELDS = 0b110;
const SAMPLE_FIELDS = 0b110;
const EXEMPLAR_FIELDS = 0b1110;
const METADATA_FIELDS = (1 << 1) | (1 << 2) | (1 << 4) | (1 << 5);

/** Decodes a decompressed 1.0 body. Throws WireError (bad bytes) or LimitError (too large). */
export function decodeWriteRequest(bytes: Uint8Array, limits: Partial<WireLimits> = {}): WriteRequest {
  const max = limits.maxDecodedBytes ?? DEFAULT_WIRE_LIMITS.maxDecodedBytes;
  if (bytes.length > max) {
    throw limitError('decoded_too_large', `WriteRequest of ${bytes.length} bytes is over the limit of ${max} bytes`);
  }
  const r = createReader(bytes, limits.maxElements ?? DEFAULT_WIRE_LIMITS.maxElements);
  const end = bytes.length;
  const timeseries: TimeSeries[] = [];
  const metadata: MetricMetadata[] = [];
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) {
      const stop = r.lengthEnd(end);
      r.spend();
      timeseries.push(readSeries(r, stop));
    } else if (t === 26) {
      const stop = r.lengthEnd(end);
      r.spend();
      metadata.push(readMetadata(r, stop));
    } else {
      skipField(r, t, end, REQUEST_FIELDS, 'WriteRequest');
    }
  }
  return { timeseries, metadata };
}

function readSeries(r: ProtoReader, end: number): TimeSeries {
  const labels: Label[] = [];
  const samples: Sample[] = [];
  const exemplars: Exemplar[] = [];
  const histograms: Histogram[] = [];
  while (r.pos < end) {
    const t = r.tag(end);
    switch (t) {
      case 10:
        r.spend();
        labels.push(readLabel(r, r.lengthEnd(end)));
        break;
      case 18:
        r.spend();
        samples.push(readSample(r, r.lengthEnd(end)));
        break;
      case 26:
        r.spend();
        exemplars.push(readExemplar(r, r.lengthEnd(end)));
        break;
      case 34:
        r.spend();
        histograms.push(readHistogram(r, r.lengthEnd(end)));
        break;
      default:
        skipField(r, t, end, SERIES_FIELDS, 'TimeSeries');
    }
  }
  return { labels, samples, exemplars, histograms };
}

export function readLabel(r: ProtoReader, end: number): Label {
  let name = '';
  let value = '';
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) {
      name = r.string(end, 'label name');
    } else if (t === 18) {
      value = r.string(end, 'label value');
    } else {
      skipField(r, t, end, LABEL_FIELDS, 'Label');
    }
  }
  return { name, value };
}

function readSample(r: ProtoReader, end: number): Sample {
  let value = 0;
  let timestamp = 0;
  let bits: bigint | undefined;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 9) {
      value = r.double(end);
      bits = Number.isNaN(value) ? r.rawBits(r.pos - 8) : undefined;
    } else if (t === 16) {
      timestamp = r.int64(end);
    } else {
      skipField(r, t, end, SAMPLE_FIELDS, 'Sample');
    }
  }
  return bits === undefined ? { value, timestamp } : { value, timestamp, valueBits: bits };
}

function readExemplar(r: ProtoReader, end: number): Exemplar {
  const labels: Label[] = [];
  let value = 0;
  let timestamp = 0;
  let bits: bigint | undefined;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) {
      r.spend();
      labels.push(readLabel(r, r.lengthEnd(end)));
    } else if (t === 17) {
      value = r.double(end);
      bits = Number.isNaN(value) ? r.rawBits(r.pos - 8) : undefined;
    } else if (t === 24) {
      timestamp = r.int64(end);
    } else {
      skipField(r, t, end, EXEMPLAR_FIELDS, 'Exemplar');
    }
  }
  return bits === undefined ? { labels, value, timestamp } : { labels, value, timestamp, valueBits: bits };
}

function readMetadata(r: ProtoReader, end: number): MetricMetadata {
  let type = 0;
  let metricFamilyName = '';
  let help = '';
  let unit = '';
  while (r.pos < end) {
    const at = r.pos;
    const t = r.tag(end);
    switch (t) {
      case 8:
        type = r.int32(end);
        if (type < 0 || type > 7) throw wireError('invalid_enum', `MetricMetadata type ${type} is not 0..7`, at);
        break;
      case 18:
        metricFamilyName = r.string(end, 'metric_family_name');
        break;
      case 34:
        help = r.string(end, 'help');
        break;
      case 42:
        unit = r.string(end, 'unit');
        break;
      default:
        if (t >>> 3 === 1) throw wrongWireTypeError('MetricMetadata', 1, t & 7, at);
        skipField(r, t, end, METADATA_FIELDS, 'MetricMetadata');
    }
  }
  return { type: type as MetricType, metricFamilyName, help, unit };
}
