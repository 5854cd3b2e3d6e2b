/**
 * The wire-level scanner for 1.0 bodies (decompressed `prometheus.WriteRequest` bytes): locates
 * every series and metadata entry as byte ranges without decoding samples, so a splitter can
 * group series by tenant and splice their bytes into new bodies. It validates the top-level
 * framing and every label (framing and UTF-8); samples, exemplars and histograms are only
 * checked to be well-framed by length. Per-series offsets live in typed arrays grown by
 * doubling: nothing is allocated per label.
 */
import { createScanCursor } from './scan-cursor.js';
import { limitError, wrongWireTypeError } from './wire-errors.js';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from './types.js';
import { checkSeriesPicking } from './scan-picks.js';
import { PICK_STRIDE, type LabelPickRequest, type ScannedWriteRequest } from './scan-types.js';

export type { ScannedWriteRequest, LabelPickRequest, ScannedLabelPicks } from './scan-types.js';
export {
  PICK_STRIDE,
  PICK_RANK,
  PICK_VALUE_START,
  PICK_VALUE_END,
  PICK_FIELD_START,
  PICK_FIELD_END,
  PICK_NAME_START,
  PICK_NAME_END,
  PICK_SAMPLES,
  PICK_EXEMPLARS,
  PICK_HISTOGRAMS,
} from './scan-types.js';
export { forEachLabel, findLabelValue, bytesEqual } from './scan-labels.js';
export type { LabelVisitor, FoundLabel } from './scan-labels.js';
export { decodeUtf8 } from './utf8.js';
export { writeFieldHeader, fieldHeaderSize, varintSize, concatRanges } from './field-header.js';

/** Without picks the series are validated by the same code, noting nothing into a scratch row. */
const NO_PICK: LabelPickRequest = { names: [], wantName: false };
const scratchRow = new Uint32Array(PICK_STRIDE);

const cur = createScanCursor();

/**
 * Scans a decompressed 1.0 body; throws WireError on bad framing or invalid label UTF-8, and
 * LimitError when it holds more series and metadata entries than `limits.maxElements`. With
 * `pick`, it also notes per series what a tenant splitter needs (scan-picks.ts), in `picks`.
 */
export function scanWriteRequest(
  body: Uint8Array,
  limits: Partial<WireLimits> = {},
  pick?: LabelPickRequest,
): ScannedWriteRequest {
  const end = body.length;
  const maxEntries = limits.maxElements ?? DEFAULT_WIRE_LIMITS.maxElements;
  const c = cur;
  c.reset(body);
  let cap = 64;
  let fieldStart: Uint32Array = new Uint32Array(cap);
  let msgStart: Uint32Array = new Uint32Array(cap);
  let seriesEnd: Uint32Array = new Uint32Array(cap);
  let rows: Uint32Array = new Uint32Array(pick === undefined ? 0 : cap * PICK_STRIDE);
  let count = 0;
  let mdCap = 0;
  let mdStart: Uint32Array = new Uint32Array(0);
  let mdEnd: Uint32Array = new Uint32Array(0);
  let mdCount = 0;
  let other = 0;
  try {
    while (c.pos < end) {
      const at = c.pos;
      const t = c.tag(end);
      if (t === 10) {
        const stop = c.lengthEnd(end);
        const start = c.pos;
        if (count === cap) {
          cap *= 2;
          fieldStart = grow(fieldStart, cap);
          msgStart = grow(msgStart, cap);
          seriesEnd = grow(seriesEnd, cap);
          if (pick !== undefined) rows = grow(rows, cap * PICK_STRIDE);
        }
        if (pick === undefined) checkSeriesPicking(c, stop, NO_PICK, scratchRow, 0);
        else checkSeriesPicking(c, stop, pick, rows, count);
        if (count + mdCount >= maxEntries) throw tooManyEntries(maxEntries, at);
        fieldStart[count] = at;
        msgStart[count] = start;
        seriesEnd[count] = stop;
        count++;
      } else if (t === 26) {
        const stop = c.lengthEnd(end);
        if (count + mdCount >= maxEntries) throw tooManyEntries(maxEntries, at);
        if (mdCount === mdCap) {
          mdCap = mdCap === 0 ? 16 : mdCap * 2;
          mdStart = grow(mdStart, mdCap);
          mdEnd = grow(mdEnd, mdCap);
        }
        mdStart[mdCount] = at;
        mdEnd[mdCount] = stop;
        mdCount++;
        c.pos = stop;
      } else {
        const field = t >>> 3;
        if (field === 1 || field === 3) throw wrongWireTypeError('WriteRequest', field, t & 7, at);
        c.skip(t & 7, end);
        other++;
      }
    }
  } finally {
    c.release();
  }
  return {
    body,
    seriesCount: count,
    seriesFieldStart: fieldStart.subarray(0, count),
    seriesMsgStart: msgStart.subarray(0, count),
    seriesEnd: seriesEnd.subarray(0, count),
    metadataCount: mdCount,
    metadataFieldStart: mdStart.subarray(0, mdCount),
    metadataEnd: mdEnd.subarray(0, mdCount),
    otherFieldCount: other,
    ...(pick === undefined ? {} : { picks: { request: pick, rows: rows.subarray(0, count * PICK_STRIDE) } }),
  };
}

function tooManyEntries(max: number, at: number) {
  return limitError(
    'too_many_elements',
    `request holds more than ${max} series and metadata entries (limit at byte ${at})`,
  );
}

function grow(a: Uint32Array, cap: number): Uint32Array {
  const next = new Uint32Array(cap);
  next.set(a);
  return next;
}
