import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, as zlib and gzip compute it). Node's native `zlib.crc32` exists from
 * 20.15 and 22.2 only; older runtimes get the table-driven version, tested to agree.
 */

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The portable CRC-32 of `bytes[start, end)`. */
export function crc32Table(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = crcTable();
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type NativeCrc = (data: Uint8Array) => number;
const native: NativeCrc | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (zlib as unknown as { crc32: NativeCrc }).crc32
    : undefined;

/** The CRC-32 of `bytes[start, end)`, native when the runtime has it. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (native) return native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) >>> 0;
  return crc32Table(bytes, start, end);
}

/** Which implementation `crc32` uses, for the bench and the logs. */
export const crc32Backend: 'native' | 'table' = native ? 'native' : 'table';
