import { crc32 } from './crc32.js';
import { MAX_RECORD_BYTES } from './defaults.js';

/**
 * The on-disk format, pure (no I/O). A segment file starts with an 8-byte header (magic
 * `TWAL` + u32 LE format version) so that a foreign file is refused, not replayed; then frames:
 * u32 LE payload length, u32 LE CRC-32 of the payload, the payload.
 */

export const SEGMENT_MAGIC = Uint8Array.of(0x54, 0x57, 0x41, 0x4c); // "TWAL"
export const SEGMENT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 8;
export const FRAME_HEADER_BYTES = 8;

export function segmentHeader(): Uint8Array {
  const h = new Uint8Array(SEGMENT_HEADER_BYTES);
  h.set(SEGMENT_MAGIC, 0);
  new DataView(h.buffer).setUint32(4, SEGMENT_VERSION, true);
  return h;
}

export type HeaderCheck =
  | { readonly kind: 'ok' }
  /** Shorter than a header and a prefix of ours: a segment torn while it was being created. */
  | { readonly kind: 'torn' }
  | { readonly kind: 'foreign'; readonly reason: string };

/** Checks the first bytes of a segment file (pass at least SEGMENT_HEADER_BYTES when the file has them). */
export function checkSegmentHeader(bytes: Uint8Array): HeaderCheck {
  const ours = segmentHeader();
  if (bytes.length < SEGMENT_HEADER_BYTES) {
    for (let i = 0; i < bytes.length; i++)
      if (bytes[i] !== ours[i]) return { kind: 'foreign', reason: 'no TWAL magic' };
    return { kind: 'torn' };
  }
  for (let i = 0; i < 4; i++) if (bytes[i] !== ours[i]) return { kind: 'foreign', reason: 'no TWAL magic' };
  const version = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  if (version !== SEGMENT_VERSION)
    return { kind: 'foreign', reason: `format version ${version}, expected ${SEGMENT_VERSION}` };
  return { kind: 'ok' };
}

/** Size of the frame holding `payloadBytes`. */
export const frameSize = (payloadBytes: number): number => FRAME_HEADER_BYTES + payloadBytes;

/** Header and payload as two chunks, ready for `writev` (the payload is not copied). */
export function encodeFrame(payload: Uint8Array): [Uint8Array, Uint8Array] {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc32(payload), true);
  return [header, payload];
}

export interface ScannedRecord {
  /** The payload, a view into the scanned bytes. */
  readonly payload: Uint8Array;
  /** Offset of the frame in the scanned bytes. */
  readonly start: number;
  /** Offset just past the frame in the scanned bytes. */
  readonly end: number;
}

export type ScanStop =
  /** Every byte was a good frame. */
  | 'end'
  /** A frame header or payload runs past the end of the bytes (torn write, or a read chunk boundary). */
  | 'torn'
  /** A checksum mismatch, or a declared length over the maximum record size. */
  | 'corrupt'
  /** The caller's record or byte limit was reached. */
  | 'limit';

export interface ScanResult {
  readonly records: ScannedRecord[];
  /** Where the good prefix ends (offset in the scanned bytes). */
  readonly goodEnd: number;
  readonly stop: ScanStop;
  /** When torn with a whole frame header: the size of the frame that did not fit. */
  readonly needed?: number;
}

export interface ScanLimits {
  readonly maxRecords?: number;
  /** Stop once this many payload bytes are collected (at least one record is returned). */
  readonly maxBytes?: number;
  readonly maxRecordBytes?: number;
}

/**
 * Scans frames in `bytes[start, end)`. Never throws on any input and never allocates from a
 * declared length: payloads are views, and a length is believed only once checked against the
 * bytes present and the maximum record size.
 */
export function scanFrames(bytes: Uint8Array, start = 0, end = bytes.length, limits: ScanLimits = {}): ScanResult {
  const maxRecords = limits.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const maxRecordBytes = limits.maxRecordBytes ?? MAX_RECORD_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: ScannedRecord[] = [];
  const stopAt = Math.max(0, Math.min(end, bytes.length));
  let pos = Math.min(Math.max(0, start), stopAt);
  let payloadBytes = 0;
  while (pos < stopAt) {
    if (records.length >= maxRecords || (records.length > 0 && payloadBytes >= maxBytes)) {
      return { records, goodEnd: pos, stop: 'limit' };
    }
    if (stopAt - pos < FRAME_HEADER_BYTES) return { records, goodEnd: pos, stop: 'torn' };
    const length = view.getUint32(pos, true);
    if (length > maxRecordBytes) return { records, goodEnd: pos, stop: 'corrupt' };
    const frameEnd = pos + FRAME_HEADER_BYTES + length;
    if (frameEnd > stopAt) return { records, goodEnd: pos, stop: 'torn', needed: FRAME_HEADER_BYTES + length };
    if (crc32(bytes, pos + FRAME_HEADER_BYTES, frameEnd) !== view.getUint32(pos + 4, true)) {
      return { records, goodEnd: pos, stop: 'corrupt' };
    }
    records.push({ payload: bytes.subarray(pos + FRAME_HEADER_BYTES, frameEnd), start: pos, end: frameEnd });
    payloadBytes += length;
    pos = frameEnd;
  }
  return { records, goodEnd: pos, stop: 'end' };
}
