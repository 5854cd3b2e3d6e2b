/**
 * A protobuf writer into one growable Uint8Array. Nested messages reserve one length byte and
 * shift their bytes when the length needs more, so output matches a two-pass encoder (minimal
 * varints) byte for byte. Writers are reused between calls: `finish()` copies the bytes out.
 */
import { WireError } from '../errors.js';
import { utf8Length } from './utf8.js';

const TWO_32 = 4294967296;
const encoder = new TextEncoder();
/** Scratch buffers above this size are dropped after use instead of kept for the next call. */
const KEEP_BYTES = 8 * 1024 * 1024;

class ProtoWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initial: number) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  uint32(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    v >>>= 0;
    while (v > 127) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  varint64(lo: number, hi: number): void {
    if (hi === 0) {
      this.uint32(lo);
      return;
    }
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi !== 0) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** int64 from a safe integer (negative values take 10 bytes, two's complement). */
  int64(v: number): void {
    if (!Number.isSafeInteger(v)) {
      throw new WireError('int64_out_of_range', `cannot encode ${v} as int64: not an integer within ±(2^53-1)`);
    }
    if (v >= 0) {
      if (v < TWO_32) this.uint32(v);
      else this.varint64(v >>> 0, Math.floor(v / TWO_32) >>> 0);
      return;
    }
    const m = -v;
    let lo = m >>> 0;
    let hi = Math.floor(m / TWO_32) >>> 0;
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    this.varint64(lo, hi);
  }

  sint32(v: number): void {
    this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  uint64Big(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    if (u < 0x100000000n) this.uint32(Number(u));
    else this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  sint64Big(v: bigint): void {
    const s = BigInt.asIntN(64, v);
    const z = BigInt.asUintN(64, (s << 1n) ^ (s >> 63n));
    if (z < 0x100000000n) this.uint32(Number(z));
    else this.varint64(Number(z & 0xffffffffn), Number(z >> 32n));
  }

  /** A double; a NaN with known bits is written with exactly those bits. */
  double(v: number, bits?: bigint): void {
    this.ensure(8);
    if (Number.isNaN(v) && bits !== undefined) {
      const u = BigInt.asUintN(64, bits);
      this.view.setUint32(this.pos, Number(u & 0xffffffffn), true);
      this.view.setUint32(this.pos + 4, Number(u >> 32n), true);
    } else {
      this.view.setFloat64(this.pos, v, true);
    }
    this.pos += 8;
  }

  /** Raw bytes of a Float64Array (little-endian hosts keep NaN payloads exactly). */
  doubles(values: Float64Array): void {
    const n = values.length * 8;
    this.ensure(n);
    this.buf.set(new Uint8Array(values.buffer, values.byteOffset, n), this.pos);
    this.pos += n;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** A string field: tag, length, UTF-8 bytes. */
  string(field: number, s: string): void {
    const n = s.length;
    this.ensure(n * 3 + 15);
    const buf = this.buf;
    let pos = this.pos;
    const head = pos;
    buf[pos++] = (field << 3) | 2;
    if (n < 128 && field < 16) {
      const lenAt = pos++;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i === n) {
        buf[lenAt] = n;
        this.pos = pos;
        return;
      }
    }
    this.pos = head;
    this.tag(field, 2);
    const len = utf8Length(s);
    this.uint32(len);
    this.ensure(len);
    encoder.encodeInto(s, this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
  }

  /** Starts a length-delimited field: writes the tag, reserves one length byte, returns a mark. */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the field started at `mark`, widening its length prefix when needed. */
  end(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 128) {
      this.buf[mark] = len;
      return;
    }
    let extra = 1;
    for (let v = len >>> 14; v > 0; v >>>= 7) extra++;
    this.ensure(extra);
    const buf = this.buf;
    buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    let pos = mark;
    let v = len;
    while (v > 127) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos] = v;
    this.pos += extra;
  }

  /** Copies the written bytes out and resets the writer for reuse. */
  finish(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    if (this.buf.length > KEEP_BYTES) {
      this.buf = new Uint8Array(64 * 1024);
      this.view = new DataView(this.buf.buffer);
    }
    return out;
  }
}

export type { ProtoWriter };

export function createWriter(initialBytes = 64 * 1024): ProtoWriter {
  return new ProtoWriter(initialBytes);
}
