/**
 * Label access on scanned series without allocating strings: walk a series' Label fields as
 * byte ranges, find a tenant label by priority, compare names as bytes.
 */
import { createScanCursor } from './scan-cursor.js';
import type { ScannedWriteRequest } from './scan-types.js';

/** Return false to stop early. Ranges are [start, end) into the body; an absent name or value is empty. */
export type LabelVisitor = (
  nameStart: number,
  nameEnd: number,
  valueStart: number,
  valueEnd: number,
  fieldStart: number,
  fieldEnd: number,
  // biome-ignore lint/suspicious/noConfusingVoidType: visitors that never stop return nothing
) => boolean | void;

const cur = createScanCursor();

/** Visits each Label (field 1) of the TimeSeries message [msgStart, end), in wire order. */
export function forEachLabel(body: Uint8Array, msgStart: number, end: number, visit: LabelVisitor): void {
  const c = createScanCursor();
  c.body = body;
  c.pos = msgStart;
  while (c.pos < end) {
    const fieldStart = c.pos;
    const t = c.tag(end);
    if (t === 10) {
      const stop = c.lengthEnd(end);
      c.label(stop);
      if (visit(c.nameStart, c.nameEnd, c.valueStart, c.valueEnd, fieldStart, stop) === false) return;
    } else {
      c.skip(t & 7, end);
    }
  }
}

/** True when body[start, end) equals `bytes`. */
export function bytesEqual(body: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  const n = end - start;
  if (n !== bytes.length) return false;
  for (let i = 0; i < n; i++) if (body[start + i] !== bytes[i]) return false;
  return true;
}

export interface FoundLabel {
  /** Index into `names` of the label that matched. */
  nameIndex: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * The first name of `names` (priority order, UTF-8 bytes) whose value is non-empty in series i,
 * or null. With duplicate labels the first non-empty occurrence of the best name wins.
 */
export function findLabelValue(scan: ScannedWriteRequest, i: number, names: readonly Uint8Array[]): FoundLabel | null {
  const end = scan.seriesEnd[i];
  const msgStart = scan.seriesMsgStart[i];
  if (end === undefined || msgStart === undefined) return null;
  const body = scan.body;
  const c = cur;
  c.body = body;
  c.pos = msgStart;
  let best = names.length;
  let bestStart = 0;
  let bestEnd = 0;
  while (c.pos < end && best > 0) {
    const t = c.tag(end);
    if (t !== 10) {
      c.skip(t & 7, end);
      continue;
    }
    c.label(c.lengthEnd(end));
    if (c.valueEnd === c.valueStart) continue;
    const ns = c.nameStart;
    const ne = c.nameEnd;
    for (let k = 0; k < best; k++) {
      if (bytesEqual(body, ns, ne, names[k]!)) {
        best = k;
        bestStart = c.valueStart;
        bestEnd = c.valueEnd;
        break;
      }
    }
  }
  return best < names.length ? { nameIndex: best, valueStart: bestStart, valueEnd: bestEnd } : null;
}
