/**
 * Length-delimited field headers (tag + varint length), for building bodies out of byte
 * ranges: the splitter splices `seriesMsgStart..seriesEnd` ranges under new headers, or copies
 * whole `seriesFieldStart..seriesEnd` fields as they are.
 */

/** Bytes a varint of `v` (an integer, 0 <= v <= 2^53) takes. */
export function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  // Past 32 bits (64-bit lengths and timestamps): no bit operators, they would truncate.
  let n = 5;
  for (let rest = Math.floor(v / 0x800000000); rest > 0; rest = Math.floor(rest / 128)) n++;
  return n;
}

/** Bytes a length-delimited field header for `field` and `length` takes. */
export function fieldHeaderSize(field: number, length: number): number {
  return varintSize(field * 8 + 2) + varintSize(length);
}

/**
 * Writes the header of a length-delimited field (tag `field << 3 | 2`, then `length` as a
 * varint) into `out` at `pos`; returns the position after it. `out` must have room for
 * `fieldHeaderSize(field, length)` bytes.
 */
export function writeFieldHeader(out: Uint8Array, pos: number, field: number, length: number): number {
  let v = (field * 8 + 2) >>> 0;
  while (v > 127) {
    out[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[pos++] = v;
  v = length >>> 0;
  while (v > 127) {
    out[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[pos++] = v;
  return pos;
}

/** A new body made of `ranges` ([start, end) pairs into `src`) copied one after another. */
export function concatRanges(src: Uint8Array, ranges: ArrayLike<number>): Uint8Array {
  let total = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) total += ranges[i + 1]! - ranges[i]!;
  const out = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const s = ranges[i]!;
    const e = ranges[i + 1]!;
    out.set(src.subarray(s, e), pos);
    pos += e - s;
  }
  return out;
}
