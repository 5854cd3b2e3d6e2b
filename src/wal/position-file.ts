import { crc32 } from './crc32.js';
import type { WalPosition } from './types.js';

/**
 * A tenant's delivered position on disk, pure: 24 bytes, magic `TWPS`, u64 LE segment, u64 LE
 * offset, u32 LE CRC-32 of the first 20 bytes. Written to a temporary file and renamed over the
 * old one, so a reader sees the old or the new position, and a damaged file is detected.
 */

export const POSITION_FILE = 'position';
export const POSITION_TMP_FILE = 'position.tmp';
export const POSITION_BYTES = 24;
const MAGIC = 0x53505754; // "TWPS" read as u32 LE

export function encodePosition(p: WalPosition): Uint8Array {
  const out = new Uint8Array(POSITION_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setBigUint64(4, BigInt(p.segment), true);
  view.setBigUint64(12, BigInt(p.offset), true);
  view.setUint32(20, crc32(out, 0, 20), true);
  return out;
}

/** The position, or why the bytes are not one. */
export function decodePosition(bytes: Uint8Array): WalPosition | { readonly error: string } {
  if (bytes.length !== POSITION_BYTES) return { error: `${bytes.length} bytes, expected ${POSITION_BYTES}` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return { error: 'no TWPS magic' };
  if (view.getUint32(20, true) !== crc32(bytes, 0, 20)) return { error: 'checksum mismatch' };
  const segment = view.getBigUint64(4, true);
  const offset = view.getBigUint64(12, true);
  if (segment > BigInt(Number.MAX_SAFE_INTEGER) || offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { error: 'position out of range' };
  }
  return { segment: Number(segment), offset: Number(offset) };
}

export const isPositionError = (p: WalPosition | { readonly error: string }): p is { readonly error: string } =>
  'error' in p;

/** -1, 0 or 1 as `a` is before, at or after `b`. */
export function comparePositions(a: WalPosition, b: WalPosition): number {
  if (a.segment !== b.segment) return a.segment < b.segment ? -1 : 1;
  return a.offset === b.offset ? 0 : a.offset < b.offset ? -1 : 1;
}
