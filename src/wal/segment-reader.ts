import { MAX_RECORD_BYTES, READ_CHUNK_BYTES } from './defaults.js';
import { type ScannedRecord, type ScanLimits, type ScanStop, scanFrames } from './record-codec.js';
import type { WalFile } from './types.js';

/**
 * Reads frames from a segment file in bounded chunks (READ_CHUNK_BYTES, or one frame when a
 * frame is larger), so replaying a backlog of any size takes memory for one chunk at a time.
 */

export interface ChunkRecords {
  /** Records with offsets in the file (`start`, `end`), payloads as views into `chunk`. */
  readonly records: ScannedRecord[];
  /** `more`: the chunk ended inside a frame that the file holds whole; read on from `goodEnd`. */
  readonly stop: ScanStop | 'more';
  /** File offset where the good frames end. */
  readonly goodEnd: number;
}

/**
 * Reads one chunk from `from` (not past `end`) and scans it. `torn` is only reported when the
 * frame really runs past `end`; a frame cut by the chunk boundary makes the chunk grow to hold it.
 */
export async function readChunk(
  file: WalFile,
  from: number,
  end: number,
  limits: ScanLimits = {},
  chunkBytes = READ_CHUNK_BYTES,
): Promise<ChunkRecords> {
  let want = Math.min(chunkBytes, end - from);
  for (;;) {
    const chunk = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const n = await file.read(chunk.subarray(got), from + got);
      if (n === 0) break;
      got += n;
    }
    const scan = scanFrames(chunk, 0, got, limits);
    const fileEnd = from + got >= end || got < want;
    const records = scan.records.map((r) => ({ payload: r.payload, start: from + r.start, end: from + r.end }));
    const goodEnd = from + scan.goodEnd;
    if (scan.stop !== 'torn' || fileEnd) return { records, stop: scan.stop, goodEnd };
    if (records.length > 0) return { records, stop: 'more', goodEnd };
    // a frame larger than the chunk: read it whole (its length is checked against the maximum and the file)
    const needed = scan.needed ?? 0;
    if (needed <= want || from + needed > end || needed > MAX_RECORD_BYTES + 8) {
      return { records, stop: 'torn', goodEnd };
    }
    want = needed;
  }
}

export interface SegmentScan {
  readonly records: number;
  readonly payloadBytes: number;
  /** Of those, the ones ending at or before `ackedOffset`. */
  readonly ackedRecords: number;
  readonly ackedBytes: number;
  /** The last record end at or before `ackedOffset` (the position snapped to a frame boundary). */
  readonly ackedEnd: number;
  readonly goodEnd: number;
  readonly stop: ScanStop;
}

/** Checks every frame of `[from, end)` and counts them; stops at the first torn or corrupt one. */
export async function scanSegment(file: WalFile, from: number, end: number, ackedOffset: number): Promise<SegmentScan> {
  let pos = from;
  let records = 0;
  let payloadBytes = 0;
  let ackedRecords = 0;
  let ackedBytes = 0;
  let ackedEnd = from;
  for (;;) {
    if (pos >= end) return { records, payloadBytes, ackedRecords, ackedBytes, ackedEnd, goodEnd: pos, stop: 'end' };
    const chunk = await readChunk(file, pos, end);
    for (const r of chunk.records) {
      records++;
      payloadBytes += r.payload.length;
      if (r.end <= ackedOffset) {
        ackedRecords++;
        ackedBytes += r.payload.length;
        ackedEnd = r.end;
      }
    }
    pos = chunk.goodEnd;
    if (chunk.stop === 'torn' || chunk.stop === 'corrupt') {
      return { records, payloadBytes, ackedRecords, ackedBytes, ackedEnd, goodEnd: pos, stop: chunk.stop };
    }
  }
}
