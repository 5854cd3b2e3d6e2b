/**
 * The scanner's check of one series: labels fully (framing and UTF-8), samples, exemplars,
 * histograms and unknown fields by framing only. While each label is parsed anyway, it notes
 * into one picks row what a tenant splitter needs, so it never walks the labels again:
 * - the best-priority name of `names` with a non-empty value (the first such occurrence of it),
 *   its value range and its whole field range;
 * - with `wantName`, the last non-empty `__name__` value;
 * - the counts of samples, exemplars and histograms.
 */
import type { ScanCursor } from './scan-cursor.js';
import { isValidUtf8 } from './utf8.js';
import { wireError, wrongWireTypeError } from './wire-errors.js';
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
  type LabelPickRequest,
} from './scan-types.js';

/** Fields 1-4 of TimeSeries, which must be length-delimited. */
const SERIES_KNOWN = 0b11110;
const NAME = new Uint8Array([0x5f, 0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x5f, 0x5f]); // "__name__"

/** Validates the TimeSeries message [c.pos, end) and fills row `row` of `rows`. */
export function checkSeriesPicking(
  c: ScanCursor,
  end: number,
  pick: LabelPickRequest,
  rows: Uint32Array,
  row: number,
): void {
  const body = c.body;
  const names = pick.names;
  const wantName = pick.wantName;
  let best = names.length;
  let samples = 0;
  let exemplars = 0;
  let histograms = 0;
  const o = row * PICK_STRIDE;
  rows[o + PICK_NAME_START] = 0;
  rows[o + PICK_NAME_END] = 0;
  while (c.pos < end) {
    const at = c.pos;
    // The usual label inline (what tag, lengthEnd and label would read): 0a len 0a nlen name
    // 12 vlen value, every length one byte. Anything else takes the cursor, which also throws.
    let stop = 0;
    let vAt = 0;
    if (body[at] === 0x0a && at + 3 < end) {
      stop = at + 2 + body[at + 1]!;
      vAt = at + 4 + body[at + 3]!;
      if (body[at + 1]! >= 0x80 || stop > end || body[at + 2] !== 0x0a || body[at + 3]! >= 0x80) stop = 0;
      else if (vAt + 1 >= stop || body[vAt] !== 0x12 || body[vAt + 1]! >= 0x80 || vAt + 2 + body[vAt + 1]! !== stop)
        stop = 0;
    }
    let t = 10;
    if (stop === 0) t = c.tag(end);
    if (t === 10) {
      let ns = at + 4;
      let ne = vAt;
      let vs = vAt + 2;
      let ve = stop;
      if (stop === 0) {
        stop = c.lengthEnd(end);
        c.label(stop);
        ns = c.nameStart;
        ne = c.nameEnd;
        vs = c.valueStart;
        ve = c.valueEnd;
      }
      c.pos = stop;
      // Tags and short lengths are ASCII too: one pass over the whole field usually settles it
      // (a long length is not, and sends the label to the exact check, which decides).
      if (!c.isAscii(at, stop)) checkUtf8(body, ns, ne, vs, ve);
      if (ve === vs) continue;
      const len = ne - ns;
      for (let k = 0; k < best; k++) {
        const name = names[k]!;
        if (name.length === len && equalAt(body, ns, name)) {
          best = k;
          rows[o + PICK_VALUE_START] = vs;
          rows[o + PICK_VALUE_END] = ve;
          rows[o + PICK_FIELD_START] = at;
          rows[o + PICK_FIELD_END] = stop;
          break;
        }
      }
      if (wantName && len === 8 && equalAt(body, ns, NAME)) {
        rows[o + PICK_NAME_START] = vs;
        rows[o + PICK_NAME_END] = ve;
      }
    } else if (t === 18 || t === 26 || t === 34) {
      c.pos = c.lengthEnd(end);
      if (t === 18) samples++;
      else if (t === 26) exemplars++;
      else histograms++;
    } else {
      const field = t >>> 3;
      if (field < 32 && ((SERIES_KNOWN >>> field) & 1) === 1) throw wrongWireTypeError('TimeSeries', field, t & 7, at);
      c.skip(t & 7, end);
    }
  }
  rows[o + PICK_RANK] = best < names.length ? best + 1 : 0;
  rows[o + PICK_SAMPLES] = samples;
  rows[o + PICK_EXEMPLARS] = exemplars;
  rows[o + PICK_HISTOGRAMS] = histograms;
}

function checkUtf8(body: Uint8Array, ns: number, ne: number, vs: number, ve: number): void {
  if (!isAscii(body, ns, ne) && !isValidUtf8(body, ns, ne)) {
    throw wireError('invalid_utf8', 'label name is not valid UTF-8', ns);
  }
  if (!isAscii(body, vs, ve) && !isValidUtf8(body, vs, ve)) {
    throw wireError('invalid_utf8', 'label value is not valid UTF-8', vs);
  }
}

/** True when body[start, start + bytes.length) equals `bytes` (the caller checked the length). */
function equalAt(body: Uint8Array, start: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (body[start + i] !== bytes[i]) return false;
  return true;
}

function isAscii(body: Uint8Array, start: number, end: number): boolean {
  let acc = 0;
  for (let i = start; i < end; i++) acc |= body[i]!;
  return acc < 0x80;
}
