/**
 * A protobuf reader over one Uint8Array: varints (32 and 64 bit), zigzag, fixed64 doubles with
 * their raw bits, lengths and unknown-field skipping. Every read takes the end of the enclosing
 * message and never passes it, so nested lengths are checked against their parent, not only
 * against the buffer. All failures are WireErrors naming the byte offset.
 */
import { createStringSlicer, type StringSlicer } from './utf8.js';
import { truncatedError, wireError, badWireTypeError, limitError } from './wire-errors.js';

const TWO_32 = 4294967296;

class ProtoReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  /** Low and high halves of the last 64-bit varint read by `varint64`. */
  lo = 0;
  hi = 0;
  private readonly strings: StringSlicer;
  /** Elements this request may still decode to (see WireLimits.maxElements). */
  private budget: number;
  private readonly maxElements: number;

  constructor(buf: Uint8Array, maxElements: number) {
    this.budget = maxElements;
    this.maxElements = maxElements;
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.strings = createStringSlicer(buf);
  }

  /** Counts one decoded element against the request's budget. */
  spend(): void {
    if (--this.budget < 0) {
      throw limitError(
        'too_many_elements',
        `request decodes to more than ${this.maxElements} series, labels, samples, exemplars, histogram ` +
          `buckets and symbols (limit at byte ${this.pos})`,
      );
    }
  }

  /** A length-delimited string: reads its length and decodes strict UTF-8. */
  string(end: number, what: string): string {
    const stop = this.lengthEnd(end);
    const s = this.strings.slice(this.pos, stop, what);
    this.pos = stop;
    return s;
  }

  /** Reads a varint of up to 10 bytes into `lo`/`hi`. */
  varint64(end: number): void {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw truncatedError('varint', start, end);
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = 0;
        return;
      }
    }
    if (pos >= end) throw truncatedError('varint', start, end);
    b = buf[pos++]!;
    lo |= (b & 0x7f) << 28;
    let hi = (b & 0x7f) >>> 4;
    if (b >= 0x80) {
      let shift = 3;
      for (;;) {
        if (shift > 31) throw wireError('varint_too_long', 'varint longer than 10 bytes', start);
        if (pos >= end) throw truncatedError('varint', start, end);
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
        shift += 7;
      }
    }
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A varint truncated to its low 32 bits, unsigned (uint32, enum, tag). */
  uint32(end: number): number {
    const pos = this.pos;
    if (pos < end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64(end);
    return this.lo;
  }

  /** A varint truncated to 32 bits, signed (int32 semantics). */
  int32(end: number): number {
    return this.uint32(end) | 0;
  }

  sint32(end: number): number {
    const n = this.uint32(end);
    return (n >>> 1) ^ -(n & 1);
  }

  /** int64 as a number; values outside ±(2^53-1) are refused rather than rounded. */
  int64(end: number): number {
    const start = this.pos;
    this.varint64(end);
    const hi = this.hi | 0;
    if (hi === 0) return this.lo;
    const v = hi * TWO_32 + this.lo;
    if (hi > 0x1fffff || hi < -0x200000 || !Number.isSafeInteger(v)) {
      throw wireError('int64_out_of_range', 'int64 value outside ±(2^53-1)', start);
    }
    return v;
  }

  /** uint64 as a bigint (fast path when it fits in 53 bits). */
  uint64Big(end: number): bigint {
    this.varint64(end);
    const hi = this.hi;
    if (hi < 0x200000) return BigInt(hi * TWO_32 + this.lo);
    return (BigInt(hi) << 32n) | BigInt(this.lo);
  }

  /** sint64 (zigzag) as a bigint. */
  sint64Big(end: number): bigint {
    this.varint64(end);
    const lo = this.lo;
    const hi = this.hi;
    const neg = lo & 1;
    let mlo = ((lo >>> 1) | (hi << 31)) >>> 0;
    let mhi = hi >>> 1;
    if (mhi < 0x200000) {
      const m = mhi * TWO_32 + mlo;
      return BigInt(neg ? -m - 1 : m);
    }
    if (neg) {
      mlo = ~mlo >>> 0;
      mhi = ~mhi >>> 0;
      return BigInt.asIntN(64, (BigInt(mhi) << 32n) | BigInt(mlo));
    }
    return (BigInt(mhi) << 32n) | BigInt(mlo);
  }

  /** A little-endian double. When it is NaN, `rawBits(this.pos - 8)` gives its exact bits. */
  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw truncatedError('fixed64', pos, end);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** The 8 bytes at `at` as an unsigned 64-bit bigint. */
  rawBits(at: number): bigint {
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Reads a length prefix and returns the end offset of the bytes it announces. */
  lengthEnd(end: number): number {
    const start = this.pos;
    let len: number;
    const b = start < end ? this.buf[start]! : 0x80;
    if (b < 0x80) {
      this.pos = start + 1;
      len = b;
    } else {
      this.varint64(end);
      if (this.hi !== 0) throw truncatedError(`length-delimited field of ${this.hi}*2^32+${this.lo} bytes`, start, end);
      len = this.lo;
    }
    const stop = this.pos + len;
    if (stop > end) throw truncatedError(`length-delimited field of ${len} bytes`, start, end);
    return stop;
  }

  /** Reads a tag; returns `field << 3 | wireType` after rejecting field 0 and wire types 3, 4, 6, 7. */
  tag(end: number): number {
    const start = this.pos;
    const t = this.uint32(end);
    const wt = t & 7;
    if (t < 8 || wt === 3 || wt === 4 || wt > 5) throw badWireTypeError(t >>> 3, wt, start);
    return t;
  }

  /** Skips the value of an unknown field. */
  skip(wireType: number, end: number): void {
    const start = this.pos;
    switch (wireType) {
      case 0:
        this.varint64(end);
        return;
      case 1:
        if (start + 8 > end) throw truncatedError('fixed64', start, end);
        this.pos = start + 8;
        return;
      case 2:
        this.pos = this.lengthEnd(end);
        return;
      case 5:
        if (start + 4 > end) throw truncatedError('fixed32', start, end);
        this.pos = start + 4;
        return;
      default:
        throw badWireTypeError(1, wireType, start);
    }
  }
}

export type { ProtoReader };

export function createReader(buf: Uint8Array, maxElements = Number.POSITIVE_INFINITY): ProtoReader {
  return new ProtoReader(buf, maxElements);
}
