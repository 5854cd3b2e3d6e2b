import { encodeFrame, segmentHeader, SEGMENT_HEADER_BYTES } from './record-codec.js';
import { activeSegment, newSegment, type Segment, type TenantState, wake } from './tenant-state.js';
import { io, WalIoError } from './wal-errors.js';
import type { Logger, WalFileSystem, WalMetrics } from './types.js';

/**
 * Group commit: appends that arrive while a commit is running wait and go together in the next
 * one: one `writev` per touched tenant file, the files fsynced in parallel (and their directory
 * when a file was created). Each caller resolves once its own records are synced. A failed write
 * or fsync is cut back (truncated to the last good end) and the segment sealed, so later appends
 * never follow garbage.
 */

export interface CommitRequest {
  /** Payloads per tenant, in order. */
  readonly byTenant: ReadonlyMap<TenantState, readonly Uint8Array[]>;
  resolve(): void;
  reject(e: unknown): void;
}

export interface CommitterOptions {
  readonly fs: WalFileSystem;
  readonly logger: Logger;
  readonly metrics: WalMetrics;
  readonly segmentBytes: number;
  readonly now: () => number;
  /** Makes the tenant's directory exist (durably) before its first segment. */
  readonly ensureDir: (state: TenantState) => Promise<void>;
  /** Bytes written (positive) once they are durable. */
  readonly written: (bytes: number) => void;
}

export interface Committer {
  submit(request: CommitRequest): void;
  /** Resolves once every submitted request is settled. */
  idle(): Promise<void>;
}

interface TenantWrite {
  readonly state: TenantState;
  readonly payloads: Uint8Array[];
  bytes: number;
}

export function createCommitter(o: CommitterOptions): Committer {
  let queue: CommitRequest[] = [];
  let running: Promise<void> | undefined;

  async function openSegment(state: TenantState): Promise<{ seg: Segment; created: boolean }> {
    const current = activeSegment(state);
    if (current && current.size < o.segmentBytes) {
      current.file ??= await io('open', current.path, () => o.fs.open(current.path, 'a'));
      return { seg: current, created: false };
    }
    if (current) await sealSegment(current);
    await o.ensureDir(state);
    const seg = newSegment(state, state.lastNumber + 1, 0);
    seg.file = await io('create', seg.path, () => o.fs.open(seg.path, 'a'));
    state.segments.push(seg);
    return { seg, created: true };
  }

  async function sealSegment(seg: Segment): Promise<void> {
    seg.sealed = true;
    const file = seg.file;
    seg.file = undefined;
    await file?.close().catch(() => undefined);
  }

  /** Cuts a failed write back so that the next append does not follow garbage. */
  async function cutBack(state: TenantState, seg: Segment): Promise<void> {
    await sealSegment(seg);
    try {
      if (seg.size === 0) {
        await o.fs.unlink(seg.path);
        state.segments.splice(state.segments.indexOf(seg), 1);
      } else await o.fs.truncate(seg.path, seg.size);
    } catch (e) {
      // sealed anyway: readers stop at seg.size, a reopen checks the frames past it
      o.logger.error({ tenant: state.tenant, file: seg.path, err: e }, 'wal: could not cut back a failed write');
    }
  }

  async function writeTenant(w: TenantWrite): Promise<void> {
    const { state } = w;
    state.writing = true;
    let seg: Segment | undefined;
    try {
      const opened = await openSegment(state);
      seg = opened.seg;
      const chunks: Uint8Array[] = opened.created ? [segmentHeader()] : [];
      for (const p of w.payloads) chunks.push(...encodeFrame(p));
      const file = seg.file as NonNullable<Segment['file']>;
      const path = seg.path;
      await io('write', path, () => file.writev(chunks));
      const started = o.now();
      await io('fsync', path, () => file.sync());
      if (opened.created) await io('fsync directory', state.dir, () => o.fs.syncDir(state.dir));
      o.metrics.fsyncSeconds((o.now() - started) / 1000);
      const added = w.bytes + (opened.created ? SEGMENT_HEADER_BYTES : 0);
      seg.size += added;
      seg.records += w.payloads.length;
      seg.payloadBytes += w.payloads.reduce((n, p) => n + p.length, 0);
      o.written(added);
      if (seg.size >= o.segmentBytes) await sealSegment(seg);
    } catch (e) {
      const err = e instanceof WalIoError ? e : new WalIoError('write', seg?.path ?? state.dir, e);
      o.metrics.ioError(err.errno);
      o.logger.error({ tenant: state.tenant, file: err.path, code: err.errno, err }, 'wal: append failed on the disk');
      if (seg) await cutBack(state, seg);
      throw err;
    } finally {
      state.writing = false;
      state.reserved -= w.bytes;
      wake(state);
    }
  }

  async function commit(batch: CommitRequest[]): Promise<void> {
    const writes = new Map<TenantState, TenantWrite>();
    for (const req of batch) {
      for (const [state, payloads] of req.byTenant) {
        let w = writes.get(state);
        if (!w) writes.set(state, (w = { state, payloads: [], bytes: 0 }));
        w.payloads.push(...payloads);
        w.bytes += payloads.reduce((n, p) => n + 8 + p.length, 0);
      }
    }
    const failures = new Map<TenantState, unknown>();
    await Promise.all(
      [...writes.values()].map((w) => writeTenant(w).catch((e: unknown) => void failures.set(w.state, e))),
    );
    for (const req of batch) {
      const failed = [...req.byTenant.keys()].find((s) => failures.has(s));
      if (failed) req.reject(failures.get(failed));
      else req.resolve();
    }
  }

  async function run(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await commit(batch);
    }
  }

  function kick(): void {
    if (running || queue.length === 0) return;
    running = run().finally(() => {
      running = undefined;
      kick(); // a request that came while the last batch was settling
    });
  }

  return {
    submit(request) {
      queue.push(request);
      kick();
    },
    async idle() {
      while (running) await running;
    },
  };
}
