import { comparePositions } from './position-file.js';
import type { PositionWriter } from './position-writer.js';
import { SEGMENT_HEADER_BYTES } from './record-codec.js';
import { readChunk } from './segment-reader.js';
import {
  type Segment,
  type TenantState,
  tenantDiskBytes,
  tenantPendingBytes,
  tenantPendingRecords,
} from './tenant-state.js';
import { io } from './wal-errors.js';
import type { Logger, TenantLog, WalFileSystem, WalMetrics, WalPosition, WalRecord } from './types.js';

/**
 * One tenant's log as the queue sees it: `read` from disk in bounded chunks (the page cache
 * serves what was just written), waiting for the next commit when caught up; `ack` moves the
 * delivered position forward and frees wholly delivered segments at once.
 */

export interface TenantLogContext {
  readonly fs: WalFileSystem;
  readonly logger: Logger;
  readonly metrics: WalMetrics;
  readonly positions: PositionWriter;
  readonly isClosed: () => boolean;
  /** Bytes freed by an ack, so the log's total shrinks at once. */
  readonly freed: (bytes: number) => void;
}

type Limits = { readonly maxRecords: number; readonly maxBytes: number };

/** The segment and offset a read after `after` starts at, or undefined when there is nothing yet. */
function startOf(state: TenantState, after: WalPosition): { seg: Segment; offset: number } | undefined {
  for (const seg of state.segments) {
    if (seg.number < after.segment) continue;
    const offset = seg.number === after.segment ? Math.max(after.offset, SEGMENT_HEADER_BYTES) : SEGMENT_HEADER_BYTES;
    if (offset < seg.size) return { seg, offset };
    if (!seg.sealed) return undefined;
  }
  return undefined;
}

export function createTenantLog(state: TenantState, ctx: TenantLogContext): TenantLog {
  /** Records after `after` up to the limits, across segments; undefined when there is none yet. */
  async function readSome(after: WalPosition, limits: Limits): Promise<WalRecord[] | undefined> {
    const out: WalRecord[] = [];
    let bytes = 0;
    let from = after;
    while (out.length < limits.maxRecords && bytes < limits.maxBytes) {
      const left = { maxRecords: limits.maxRecords - out.length, maxBytes: limits.maxBytes - bytes };
      const got = await readOnce(from, left);
      if (!got) break;
      out.push(...got);
      bytes += got.reduce((n, r) => n + r.payload.length, 0);
      from = (got[got.length - 1] as WalRecord).end;
    }
    return out.length > 0 ? out : undefined;
  }

  async function readOnce(after: WalPosition, limits: Limits): Promise<WalRecord[] | undefined> {
    const at = startOf(state, after);
    if (!at) return undefined;
    const { seg, offset } = at;
    const file = await io('open', seg.path, () => ctx.fs.open(seg.path, 'r'));
    let chunk: Awaited<ReturnType<typeof readChunk>>;
    try {
      chunk = await io('read', seg.path, () => readChunk(file, offset, seg.size, limits));
    } finally {
      await file.close().catch(() => undefined);
    }
    if (chunk.stop === 'torn' || chunk.stop === 'corrupt') {
      // checked at open or written by us: damaged since; skip the rest of the segment
      ctx.logger.error(
        { tenant: state.tenant, file: seg.path, offset: chunk.goodEnd, reason: chunk.stop },
        'wal: damaged record on read, skipping the rest of the segment',
      );
      ctx.metrics.corruptCut(state.tenant, seg.size - chunk.goodEnd);
      seg.size = chunk.goodEnd;
      seg.sealed = true;
    }
    const records = chunk.records.map((r) => ({
      payload: r.payload,
      end: { segment: seg.number, offset: r.end },
      size: r.end - r.start,
    }));
    for (const r of records) {
      const last = state.delivered[state.delivered.length - 1];
      const pos = { segment: seg.number, offset: r.end.offset };
      if (!last || comparePositions(pos, last) > 0) {
        state.delivered.push({ ...pos, payloadBytes: r.payload.length });
      }
    }
    if (records.length > 0) return records;
    // nothing readable here (damaged): go on after it
    return readOnce({ segment: seg.number, offset: Number.MAX_SAFE_INTEGER }, limits);
  }

  function countAcked(upTo: WalPosition): void {
    let n = 0;
    for (const d of state.delivered) {
      if (comparePositions(d, upTo) > 0) break;
      const seg = state.segments.find((s) => s.number === d.segment);
      if (seg) {
        seg.ackedRecords++;
        seg.ackedBytes += d.payloadBytes;
      }
      n++;
    }
    state.delivered.splice(0, n);
  }

  return {
    tenant: state.tenant,
    get diskBytes() {
      return tenantDiskBytes(state);
    },
    get pendingRecords() {
      return tenantPendingRecords(state);
    },
    get pendingBytes() {
      return tenantPendingBytes(state);
    },
    async read(after, limits, signal) {
      const bounded = { maxRecords: Math.max(1, limits.maxRecords), maxBytes: Math.max(1, limits.maxBytes) };
      for (;;) {
        if (signal.aborted || ctx.isClosed()) return [];
        const records = await readSome(after ?? state.acked, bounded);
        if (records) return records;
        await new Promise<void>((resolve) => {
          const done = (): void => {
            state.waiters.delete(done);
            signal.removeEventListener('abort', done);
            resolve();
          };
          state.waiters.add(done);
          signal.addEventListener('abort', done, { once: true });
          // aborted or closed while the disk was read: nobody would wake this waiter
          if (signal.aborted || ctx.isClosed()) done();
        });
      }
    },
    ack(upTo) {
      if (ctx.isClosed() || comparePositions(upTo, state.acked) <= 0) return;
      const last = state.segments[state.segments.length - 1];
      if (!last || comparePositions(upTo, { segment: last.number, offset: last.size }) > 0) {
        ctx.logger.warn({ tenant: state.tenant, position: upTo }, 'wal: ack past the end of the log ignored');
        return;
      }
      state.acked = { segment: upTo.segment, offset: upTo.offset };
      countAcked(upTo);
      const freed: string[] = [];
      while (state.segments.length > 0) {
        const seg = state.segments[0] as Segment;
        const whole = seg.number < upTo.segment || (seg.number === upTo.segment && upTo.offset >= seg.size);
        // the active segment goes too once delivered, unless a commit is writing to it now
        if (!whole || (!seg.sealed && state.writing)) break;
        state.segments.shift();
        seg.sealed = true;
        const handle = seg.file;
        seg.file = undefined;
        if (handle) void handle.close().catch(() => undefined);
        ctx.freed(seg.size);
        freed.push(seg.path);
      }
      ctx.positions.request(state.acked, freed);
    },
  };
}
