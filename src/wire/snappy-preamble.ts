/**
 * The snappy block preamble: a varint (at most 5 bytes, uint32) holding the decoded length.
 * Read it, refuse the framing format, and check the length against the limit BEFORE any
 * decompressor allocates its output (a 5-byte body can otherwise ask for 4 GiB).
 */
import type { WireLimits } from './types.js';
import { DEFAULT_WIRE_LIMITS } from './types.js';
import { WireError } from '../errors.js';
import { limitError } from './wire-errors.js';

/** `ff 06 00 00 73 4e 61 50 70 59`: the stream identifier chunk of the snappy framing format. */
const FRAMED_MAGIC = [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59];

export function isSnappyFramed(buf: Uint8Array): boolean {
  if (buf.length < FRAMED_MAGIC.length) return false;
  for (let i = 0; i < FRAMED_MAGIC.length; i++) if (buf[i] !== FRAMED_MAGIC[i]) return false;
  return true;
}

export interface SnappyPreamble {
  /** Declared decoded length in bytes. */
  readonly length: number;
  /** Bytes the preamble occupies (1..5). */
  readonly headerBytes: number;
}

/** Parses the preamble; throws WireError on a framed body, an empty body or a bad varint. */
export function readSnappyPreamble(buf: Uint8Array): SnappyPreamble {
  if (isSnappyFramed(buf)) {
    throw new WireError(
      'snappy_framed',
      'body uses the snappy framing format (starts ff 06 00 00 sNaPpY) at byte 0; remote-write needs the ' +
        'snappy block format',
    );
  }
  let length = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= buf.length) {
      throw new WireError('snappy_truncated', `snappy length preamble is truncated at byte ${i}`);
    }
    const b = buf[i]!;
    if (i === 4 && b > 0x0f) {
      throw new WireError('snappy_corrupt', 'snappy length preamble does not fit in 32 bits at byte 4');
    }
    length += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return { length, headerBytes: i + 1 };
  }
  throw new WireError('snappy_corrupt', 'snappy length preamble is longer than 5 bytes at byte 5');
}

/** The decoded length a snappy block body declares (no limit check). */
export function peekDecodedLength(buf: Uint8Array): number {
  return readSnappyPreamble(buf).length;
}

/** The decoded length a snappy block declares, or 0 when the preamble is unreadable (left to the decoder to refuse). */
export function declaredLength(buf: Uint8Array): number {
  try {
    return readSnappyPreamble(buf).length;
  } catch {
    return 0;
  }
}

/** Parses the preamble and throws LimitError('decoded_too_large') when it is over the limit. */
export function checkSnappyPreamble(buf: Uint8Array, limits: Partial<WireLimits> = {}): SnappyPreamble {
  const p = readSnappyPreamble(buf);
  const max = limits.maxDecodedBytes ?? DEFAULT_WIRE_LIMITS.maxDecodedBytes;
  if (p.length > max) {
    throw limitError(
      'decoded_too_large',
      `snappy body declares ${p.length} decoded bytes, over the limit of ${max} bytes`,
    );
  }
  return p;
}
