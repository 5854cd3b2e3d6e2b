/**
 * The payload of one WAL record: one tenant's part of one incoming request. A fixed 32-byte
 * little-endian header, then the body:
 *
 *   0  format version (1)          1  protocol (1 = 1.0, 2 = 2.0)
 *   2  flags (bit 0: body is snappy-compressed)        3  reserved (0)
 *   4  series  8  samples  12  histograms  16  exemplars   (uint32 each)
 *   20 append wall-clock time, ms (float64)            28 body length (uint32)
 *
 * Bodies are stored snappy-compressed (smaller on disk; a 2.0 body is then sent as it is).
 * Pure: the decoder checks every field and throws a QueueRecordError (`corrupt_record`) on
 * anything it does not expect, so a bad record is dropped and counted, never trusted.
 */
import { TenantwireError } from '../errors.js';
import { snappyCompress } from '../wire/snappy.js';
import type { ProtocolVersion } from '../wire/types.js';
import type { QueuePiece } from './types.js';

export const RECORD_FORMAT = 1;
export const RECORD_HEADER_BYTES = 32;
const FLAG_COMPRESSED = 1;
const U32_MAX = 0xffffffff;

export class QueueRecordError extends TenantwireError {
  constructor(problem: string) {
    super('corrupt_record', `corrupt queue record: ${problem}`);
  }
}

export interface QueueRecord {
  readonly version: ProtocolVersion;
  readonly compressed: boolean;
  readonly series: number;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
  /** When it was appended (ms since the epoch): the age of undelivered data is measured from it. */
  readonly appendedAtMs: number;
  /** A view into the payload: snappy-compressed when `compressed`, else the raw message. */
  readonly body: Uint8Array;
}

/** Samples, histograms and exemplars: what `maxSamplesPerSend` and `capacity` count. */
export function recordItems(r: Pick<QueueRecord, 'samples' | 'histograms' | 'exemplars'>): number {
  return r.samples + r.histograms + r.exemplars;
}

function count(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > U32_MAX) {
    throw new RangeError(`queue piece: ${name} must be an integer in 0..${U32_MAX}, got ${v}`);
  }
  return v;
}

/** The record for a piece; stores `piece.body` as it is, else compresses `piece.raw`. */
export function encodeRecord(piece: QueuePiece, appendedAtMs: number): Uint8Array {
  if (piece.version !== '1.0' && piece.version !== '2.0') {
    throw new RangeError(`queue piece: unknown protocol version ${String(piece.version)}`);
  }
  const body = piece.body ?? (piece.raw === undefined ? undefined : snappyCompress(piece.raw));
  if (body === undefined) throw new RangeError('queue piece: neither raw nor body is set');
  if (body.length > U32_MAX) throw new RangeError('queue piece: body past 4 GiB');
  const out = new Uint8Array(RECORD_HEADER_BYTES + body.length);
  const v = new DataView(out.buffer, out.byteOffset, RECORD_HEADER_BYTES);
  v.setUint8(0, RECORD_FORMAT);
  v.setUint8(1, piece.version === '1.0' ? 1 : 2);
  v.setUint8(2, FLAG_COMPRESSED);
  v.setUint32(4, count('series', piece.series), true);
  v.setUint32(8, count('samples', piece.samples), true);
  v.setUint32(12, count('histograms', piece.histograms), true);
  v.setUint32(16, count('exemplars', piece.exemplars), true);
  v.setFloat64(20, appendedAtMs, true);
  v.setUint32(28, body.length, true);
  out.set(body, RECORD_HEADER_BYTES);
  return out;
}

/** Reads a record's header and body; throws QueueRecordError when anything is off. */
export function decodeRecord(payload: Uint8Array): QueueRecord {
  if (payload.length < RECORD_HEADER_BYTES) {
    throw new QueueRecordError(`${payload.length} bytes, shorter than the ${RECORD_HEADER_BYTES}-byte header`);
  }
  const v = new DataView(payload.buffer, payload.byteOffset, RECORD_HEADER_BYTES);
  const format = v.getUint8(0);
  if (format !== RECORD_FORMAT) throw new QueueRecordError(`unknown format version ${format}`);
  const proto = v.getUint8(1);
  if (proto !== 1 && proto !== 2) throw new QueueRecordError(`unknown protocol byte ${proto}`);
  const flags = v.getUint8(2);
  if ((flags & ~FLAG_COMPRESSED) !== 0 || v.getUint8(3) !== 0) {
    throw new QueueRecordError(`unknown flags 0x${flags.toString(16)}`);
  }
  const appendedAtMs = v.getFloat64(20, true);
  if (!Number.isFinite(appendedAtMs) || appendedAtMs < 0) {
    throw new QueueRecordError(`append time ${appendedAtMs} is not a time`);
  }
  const length = v.getUint32(28, true);
  if (length !== payload.length - RECORD_HEADER_BYTES) {
    throw new QueueRecordError(`body declares ${length} bytes, ${payload.length - RECORD_HEADER_BYTES} follow`);
  }
  return {
    version: proto === 1 ? '1.0' : '2.0',
    compressed: (flags & FLAG_COMPRESSED) !== 0,
    series: v.getUint32(4, true),
    samples: v.getUint32(8, true),
    histograms: v.getUint32(12, true),
    exemplars: v.getUint32(16, true),
    appendedAtMs,
    body: payload.subarray(RECORD_HEADER_BYTES),
  };
}
