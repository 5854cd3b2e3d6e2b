/**
 * A strict snappy block decompressor in plain TypeScript, the portable fallback when the napi
 * `snappy` package does not load. Unlike snappyjs it refuses output that overruns or falls short
 * of the declared length, so a truncated body is an error rather than zero padding.
 */
import { WireError } from '../errors.js';

function corrupt(problem: string, at: number): WireError {
  return new WireError('snappy_corrupt', `snappy block: ${problem} at byte ${at}`);
}

/** Decodes the elements of `src` from `start` into a new array of exactly `length` bytes. */
export function decompressBlock(src: Uint8Array, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const n = src.length;
  let ip = start;
  let op = 0;
  while (ip < n) {
    const at = ip;
    const tag = src[ip++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (ip + extra > n) throw truncated(at);
        len = 0;
        for (let k = 0; k < extra; k++) len += src[ip + k]! * 2 ** (8 * k);
        len += 1;
        ip += extra;
      }
      if (ip + len > n) throw truncated(at);
      if (op + len > length) throw corrupt(`literal of ${len} bytes overruns the declared length ${length}`, at);
      if (len < 16) {
        for (let k = 0; k < len; k++) out[op + k] = src[ip + k]!;
      } else {
        out.set(src.subarray(ip, ip + len), op);
      }
      ip += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (ip >= n) throw truncated(at);
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[ip++]!;
    } else if (kind === 2) {
      if (ip + 2 > n) throw truncated(at);
      len = (tag >>> 2) + 1;
      offset = src[ip]! | (src[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > n) throw truncated(at);
      len = (tag >>> 2) + 1;
      offset = (src[ip]! | (src[ip + 1]! << 8) | (src[ip + 2]! << 16) | (src[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (offset === 0 || offset > op) throw corrupt(`copy offset ${offset} points before the output start`, at);
    if (op + len > length) throw corrupt(`copy of ${len} bytes overruns the declared length ${length}`, at);
    let from = op - offset;
    if (offset >= len && len > 16) {
      out.copyWithin(op, from, from + len);
      op += len;
    } else {
      for (let k = 0; k < len; k++) out[op++] = out[from++]!;
    }
  }
  if (op !== length) {
    throw new WireError(
      'snappy_truncated',
      `snappy block decodes to ${op} bytes but declares ${length} (truncated at byte ${n})`,
    );
  }
  return out;
}

function truncated(at: number): WireError {
  return new WireError('snappy_truncated', `snappy block element at byte ${at} runs past the end of the body`);
}
