/**
 * The splitter's own single pass over one TimeSeries message that the wire scanner already
 * validated: it finds the tenant label by priority (with the byte range of its whole field,
 * for removal), optionally the `__name__` value (for metadata routing), and counts samples
 * (field 2), exemplars (3) and histograms (4). Results go into one reused `walk` object, so
 * nothing is allocated per series. Bounds are still respected: a malformed message ends the
 * walk early instead of reading past `end`. Used when the scan carries no picks (picksFor).
 */
import {
  PICK_EXEMPLARS,
  PICK_FIELD_END,
  PICK_FIELD_START,
  PICK_HISTOGRAMS,
  PICK_NAME_END,
  PICK_NAME_START,
  PICK_RANK,
  PICK_SAMPLES,
  PICK_STRIDE,
  PICK_VALUE_END,
  PICK_VALUE_START,
  type ScannedWriteRequest,
} from '../wire/scan.js';

export const walk = {
  /** Rank in the label list of the best tenant label found, -1 when none. */
  rank: -1,
  valueStart: 0,
  valueEnd: 0,
  /** The best label's field range [fieldStart, fieldEnd) in the body (tag included). */
  fieldStart: 0,
  fieldEnd: 0,
  nameValueStart: 0,
  nameValueEnd: 0,
  samples: 0,
  exemplars: 0,
  histograms: 0,
};

let pos = 0;

function varint(body: Uint8Array, end: number): number {
  let b = body[pos++]!;
  if (b < 0x80) return b;
  let v = b & 0x7f;
  let scale = 128;
  while (pos < end) {
    b = body[pos++]!;
    v += (b & 0x7f) * scale;
    if (b < 0x80) return v;
    scale *= 128;
  }
  return v;
}

function skip(body: Uint8Array, wireType: number, end: number): void {
  if (wireType === 0) varint(body, end);
  else if (wireType === 1) pos += 8;
  else if (wireType === 2) {
    const len = varint(body, end); // read first: `pos += varint()` would add to the old pos
    pos += len;
  } else if (wireType === 5) pos += 4;
  else pos = end;
}

const NAME = [0x5f, 0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x5f, 0x5f]; // "__name__"

function nameIs(body: Uint8Array, start: number, end: number, bytes: ArrayLike<number>): boolean {
  const n = end - start;
  if (n !== bytes.length) return false;
  for (let i = 0; i < n; i++) if (body[start + i] !== bytes[i]) return false;
  return true;
}

/** A varint at `at` whose first byte is >= 0x80 (the rare case); the position after it goes to `pos`. */
function longVarint(body: Uint8Array, at: number, end: number): number {
  pos = at;
  return varint(body, end);
}

/** Walks the TimeSeries message [msgStart, end) of `body`; results in `walk`. */
export function walkSeries(
  body: Uint8Array,
  msgStart: number,
  end: number,
  names: readonly Uint8Array[],
  wantName: boolean,
): void {
  const w = walk;
  w.nameValueStart = w.nameValueEnd = 0;
  let samples = 0;
  let exemplars = 0;
  let histograms = 0;
  let best = names.length;
  // Locals and single-byte fast paths: tags and most lengths here are one byte.
  let p = msgStart;
  while (p < end) {
    const fieldStart = p;
    let tag = body[p++]!;
    if (tag >= 0x80) {
      tag = longVarint(body, p - 1, end);
      p = pos;
    }
    if ((tag & 7) === 2) {
      let len = body[p++]!;
      if (len >= 0x80) {
        len = longVarint(body, p - 1, end);
        p = pos;
      }
      const stop = p + len;
      if (stop > end) break;
      if (tag === 10) {
        if (best > 0 || wantName) {
          // Label: name 1, value 2 (others skipped)
          let ns = p,
            ne = p,
            vs = p,
            ve = p;
          while (p < stop) {
            let t = body[p++]!;
            if (t >= 0x80) {
              t = longVarint(body, p - 1, stop);
              p = pos;
            }
            if (t === 10 || t === 18) {
              let l = body[p++]!;
              if (l >= 0x80) {
                l = longVarint(body, p - 1, stop);
                p = pos;
              }
              if (t === 10) {
                ns = p;
                ne = p + l;
              } else {
                vs = p;
                ve = p + l;
              }
              p += l;
            } else {
              pos = p;
              skip(body, t & 7, stop);
              p = pos;
            }
          }
          if (ve > vs) {
            for (let k = 0; k < best; k++) {
              if (nameIs(body, ns, ne, names[k]!)) {
                best = k;
                w.valueStart = vs;
                w.valueEnd = ve;
                w.fieldStart = fieldStart;
                w.fieldEnd = stop;
                break;
              }
            }
            if (wantName && nameIs(body, ns, ne, NAME)) {
              w.nameValueStart = vs;
              w.nameValueEnd = ve;
            }
          }
        }
      } else if (tag === 18) samples++;
      else if (tag === 26) exemplars++;
      else if (tag === 34) histograms++;
      p = stop;
    } else {
      pos = p;
      skip(body, tag & 7, end);
      p = pos;
    }
  }
  w.rank = best < names.length ? best : -1;
  w.samples = samples;
  w.exemplars = exemplars;
  w.histograms = histograms;
}

/**
 * The picks rows (see ScannedLabelPicks) for `names`: the scanner's when it was asked for the
 * same names (and the `__name__` value if `wantName`), else filled here by walking each series.
 */
export function picksFor(scan: ScannedWriteRequest, names: readonly Uint8Array[], wantName: boolean): Uint32Array {
  const picks = scan.picks;
  if (picks !== undefined && picks.request.names === names && (picks.request.wantName || !wantName)) return picks.rows;
  const n = scan.seriesCount;
  const rows = new Uint32Array(n * PICK_STRIDE);
  const w = walk;
  for (let i = 0; i < n; i++) {
    walkSeries(scan.body, scan.seriesMsgStart[i]!, scan.seriesEnd[i]!, names, wantName);
    const o = i * PICK_STRIDE;
    rows[o + PICK_RANK] = w.rank + 1;
    rows[o + PICK_VALUE_START] = w.valueStart;
    rows[o + PICK_VALUE_END] = w.valueEnd;
    rows[o + PICK_FIELD_START] = w.fieldStart;
    rows[o + PICK_FIELD_END] = w.fieldEnd;
    rows[o + PICK_NAME_START] = w.nameValueStart;
    rows[o + PICK_NAME_END] = w.nameValueEnd;
    rows[o + PICK_SAMPLES] = w.samples;
    rows[o + PICK_EXEMPLARS] = w.exemplars;
    rows[o + PICK_HISTOGRAMS] = w.histograms;
  }
  return rows;
}

/** Writes `v` as a varint at `at`; returns the position after it. */
export function writeVarint(out: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}

/** The metric_family_name (field 2) range of a MetricMetadata field [fieldStart, end). */
export function metadataFamilyRange(body: Uint8Array, fieldStart: number, end: number): [number, number] {
  pos = fieldStart;
  varint(body, end); // tag 26
  const len = varint(body, end);
  const stop = Math.min(pos + len, end);
  while (pos < stop) {
    const t = varint(body, stop);
    if (t === 18) {
      const l = varint(body, stop);
      return [pos, Math.min(pos + l, stop)];
    }
    skip(body, t & 7, stop);
  }
  return [0, 0];
}
