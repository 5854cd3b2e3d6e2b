/**
 * A minimal protobuf walker that counts what a remote-write body carries (series, float
 * samples, native histograms, exemplars) without decoding labels or values. It is the sink's
 * fast count; it checks wire types and lengths, so a malformed body throws instead of being
 * counted.
 */
export interface WireCounts {
  series: number;
  samples: number;
  histograms: number;
  exemplars: number;
}

export type BodyVersion = '1.0' | '2.0';

/** Field numbers of the repeated message fields, by protocol version. */
const FIELDS = {
  '1.0': { timeseries: 1, samples: 2, exemplars: 3, histograms: 4 },
  '2.0': { timeseries: 5, samples: 2, histograms: 3, exemplars: 4 },
} as const;

/** Where the last readVarint stopped (module state, so that the walk allocates nothing). */
let next = 0;

function readVarint(buf: Uint8Array, pos: number): number {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos + i];
    if (b === undefined) throw new Error('truncated varint');
    if (shift < 49) result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) {
      next = pos + i + 1;
      return result;
    }
  }
  throw new Error('varint longer than 10 bytes');
}

/** Skips one field's value starting at `pos`; returns its end (`next` is the payload start). */
function skipValue(buf: Uint8Array, pos: number, wireType: number): number {
  switch (wireType) {
    case 0:
      readVarint(buf, pos);
      return next;
    case 1:
      return pos + 8;
    case 2: {
      const len = readVarint(buf, pos);
      return next + len;
    }
    case 5:
      return pos + 4;
    default:
      throw new Error(`unsupported wire type ${wireType}`);
  }
}

/** Counts the series, samples, histograms and exemplars of a decompressed request body. */
export function countWire(body: Uint8Array, version: BodyVersion): WireCounts {
  const f = FIELDS[version];
  const counts: WireCounts = { series: 0, samples: 0, histograms: 0, exemplars: 0 };
  const to = body.length;
  let pos = 0;
  while (pos < to) {
    const key = readVarint(body, pos);
    const end = skipValue(body, next, key & 7);
    if (end > to) throw new Error('field runs past the end of its message');
    if ((key & 7) === 2 && key >>> 3 === f.timeseries) {
      counts.series++;
      let inner = next;
      while (inner < end) {
        const k = readVarint(body, inner);
        const stop = skipValue(body, next, k & 7);
        if (stop > end) throw new Error('field runs past the end of its message');
        if ((k & 7) === 2) {
          const field = k >>> 3;
          if (field === f.samples) counts.samples++;
          else if (field === f.histograms) counts.histograms++;
          else if (field === f.exemplars) counts.exemplars++;
        }
        inner = stop;
      }
    }
    pos = end;
  }
  return counts;
}

/** The protocol version a Content-Type names (2.0 only for the io.prometheus.write.v2 proto). */
export function versionOf(contentType: string | undefined): BodyVersion {
  return contentType !== undefined && /proto\s*=\s*io\.prometheus\.write\.v2\.Request/.test(contentType)
    ? '2.0'
    : '1.0';
}
