import { join } from 'node:path';
import { io } from './wal-errors.js';
import { decodePosition, isPositionError, POSITION_FILE, POSITION_TMP_FILE } from './position-file.js';
import { checkSegmentHeader, SEGMENT_HEADER_BYTES } from './record-codec.js';
import { scanSegment } from './segment-reader.js';
import { newSegment, type Segment, type TenantState } from './tenant-state.js';
import { parseSegmentFileName } from './tenant-dir.js';
import type { Logger, WalFileSystem, WalMetrics, WalPosition } from './types.js';

/**
 * Brings one tenant's directory back at open: reads the delivered position, removes segments
 * wholly before it, checks every frame of the rest, cuts a torn or corrupt tail back to the last
 * good record, and counts what is left to deliver. Bad data is cut and logged, never fatal.
 */

interface RecoveryContext {
  readonly fs: WalFileSystem;
  readonly logger: Logger;
  readonly metrics: WalMetrics;
  readonly segmentBytes: number;
}

async function readPosition(
  ctx: RecoveryContext,
  state: TenantState,
  names: Set<string>,
): Promise<WalPosition | undefined> {
  if (!names.has(POSITION_FILE)) return undefined;
  const path = join(state.dir, POSITION_FILE);
  try {
    const decoded = decodePosition(await ctx.fs.readFile(path));
    if (!isPositionError(decoded)) return decoded;
    ctx.logger.warn(
      { tenant: state.tenant, file: path, reason: decoded.error },
      'wal: position file unusable, replaying from the oldest segment',
    );
  } catch (e) {
    ctx.logger.warn(
      { tenant: state.tenant, file: path, err: e },
      'wal: position file unreadable, replaying from the oldest segment',
    );
  }
  return undefined;
}

async function recoverSegment(
  ctx: RecoveryContext,
  state: TenantState,
  number: number,
  isLast: boolean,
  position: WalPosition | undefined,
): Promise<Segment | undefined> {
  const seg = newSegment(state, number, 0);
  const { size } = await io('stat', seg.path, () => ctx.fs.stat(seg.path));
  const file = await io('open', seg.path, () => ctx.fs.open(seg.path, 'r'));
  try {
    const head = new Uint8Array(Math.min(size, SEGMENT_HEADER_BYTES));
    if (head.length > 0) await io('read', seg.path, () => file.read(head, 0));
    const check = checkSegmentHeader(head);
    if (check.kind === 'torn') {
      // created, then killed before its first write was complete: nothing in it was acknowledged
      await io('unlink', seg.path, () => ctx.fs.unlink(seg.path));
      return undefined;
    }
    if (check.kind === 'foreign') {
      ctx.logger.error(
        { tenant: state.tenant, file: seg.path, reason: check.reason },
        'wal: not a segment of this log, left alone and not replayed',
      );
      return undefined;
    }
    const ackedOffset = position && position.segment === number ? position.offset : 0;
    const scan = await io('read', seg.path, () => scanSegment(file, SEGMENT_HEADER_BYTES, size, ackedOffset));
    seg.size = scan.goodEnd;
    seg.records = scan.records;
    seg.payloadBytes = scan.payloadBytes;
    seg.ackedRecords = scan.ackedRecords;
    seg.ackedBytes = scan.ackedBytes;
    if (position && position.segment === number) state.acked = { segment: number, offset: scan.ackedEnd };
    if (scan.stop !== 'end') {
      const cut = size - scan.goodEnd;
      ctx.logger.warn(
        {
          tenant: state.tenant,
          file: seg.path,
          bytesCut: cut,
          reason: scan.stop,
          goodEnd: scan.goodEnd,
          lastSegment: isLast,
        },
        isLast ? 'wal: cut a torn or corrupt tail' : 'wal: corrupt record inside a segment, skipped the rest of it',
      );
      ctx.metrics.corruptCut(state.tenant, cut);
      try {
        await ctx.fs.truncate(seg.path, scan.goodEnd);
      } catch (e) {
        // still safe: readers stop at the good end and the segment takes no more appends
        ctx.logger.error({ tenant: state.tenant, file: seg.path, err: e }, 'wal: could not truncate a damaged segment');
        seg.sealed = true;
      }
    }
    seg.sealed ||= !isLast || seg.size >= ctx.segmentBytes;
    return seg;
  } finally {
    await file.close().catch(() => undefined);
  }
}

/** Fills `state` from its directory. Throws WalIoError only when the disk itself fails. */
export async function recoverTenant(ctx: RecoveryContext, state: TenantState): Promise<void> {
  const names = new Set(await io('readdir', state.dir, () => ctx.fs.readdir(state.dir)));
  state.dirReady = true;
  if (names.has(POSITION_TMP_FILE)) await ctx.fs.unlink(join(state.dir, POSITION_TMP_FILE)).catch(() => undefined);
  const position = await readPosition(ctx, state, names);
  const numbers = [...names].map(parseSegmentFileName).filter((n): n is number => n !== undefined);
  numbers.sort((a, b) => a - b);
  // new segments must number past the position even when every segment was removed
  for (const n of [...numbers, position?.segment ?? 0]) if (n > state.lastNumber) state.lastNumber = n;
  const live = position ? numbers.filter((n) => n >= position.segment) : numbers;
  for (const n of numbers) {
    if (live.includes(n)) continue;
    const path = join(state.dir, `${String(n).padStart(20, '0')}.seg`);
    // wholly delivered: removed after the position was written, and the process stopped first
    await io('unlink', path, () => ctx.fs.unlink(path));
  }
  for (let i = 0; i < live.length; i++) {
    const seg = await recoverSegment(ctx, state, live[i] as number, i === live.length - 1, position);
    if (seg) state.segments.push(seg);
  }
  const first = state.segments[0];
  if (position && !first) state.acked = position;
  else if (!position || !first || first.number !== position.segment) {
    if (!position && first) {
      ctx.logger.info({ tenant: state.tenant }, 'wal: no delivered position, replaying from the oldest segment');
    }
    state.acked = { segment: first ? first.number : 0, offset: 0 };
  }
  const records = state.segments.reduce((n, s) => n + s.records - s.ackedRecords, 0);
  const bytes = state.segments.reduce((n, s) => n + s.payloadBytes - s.ackedBytes, 0);
  if (records > 0) ctx.metrics.replayed(state.tenant, records, bytes);
}
