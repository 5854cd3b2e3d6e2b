import { join } from 'node:path';
import { segmentFileName } from './tenant-dir.js';
import type { WalFile, WalPosition } from './types.js';

/**
 * What the log knows of one tenant, shared by the committer, the reader and the acknowledger.
 * Only sizes and counts are kept per segment, never payloads: memory does not grow with the
 * backlog.
 */

export interface Segment {
  readonly number: number;
  readonly path: string;
  /** End of the durable, checked bytes (what readers may see); the header included. */
  size: number;
  records: number;
  payloadBytes: number;
  /** Records (and payload bytes) of it acknowledged so far. */
  ackedRecords: number;
  ackedBytes: number;
  /** No more appends go here (closed for size, after a disk error, or recovered as not the last). */
  sealed: boolean;
  /** The append handle while it is the active segment. */
  file?: WalFile;
}

/** A record handed out by `read` and not yet acknowledged: how acks are counted exactly. */
export interface Delivered {
  readonly segment: number;
  readonly offset: number;
  readonly payloadBytes: number;
}

export interface TenantState {
  readonly tenant: string;
  /** The tenant's directory (absolute). */
  readonly dir: string;
  /** The directory exists on disk (and its name is durable). */
  dirReady: boolean;
  /** Ascending by number. */
  readonly segments: Segment[];
  /** The highest segment number ever seen for this tenant, foreign files included. */
  lastNumber: number;
  acked: WalPosition;
  /** Bytes of appends accepted by the bound check and not yet written. */
  reserved: number;
  /** A commit is writing to the active segment now. */
  writing: boolean;
  readonly delivered: Delivered[];
  /** Woken after every commit and on close. */
  readonly waiters: Set<() => void>;
}

export function newTenantState(tenant: string, dir: string): TenantState {
  return {
    tenant,
    dir,
    dirReady: false,
    segments: [],
    lastNumber: 0,
    acked: { segment: 0, offset: 0 },
    reserved: 0,
    writing: false,
    delivered: [],
    waiters: new Set(),
  };
}

export function newSegment(state: TenantState, number: number, size: number): Segment {
  if (number > state.lastNumber) state.lastNumber = number;
  return {
    number,
    path: join(state.dir, segmentFileName(number)),
    size,
    records: 0,
    payloadBytes: 0,
    ackedRecords: 0,
    ackedBytes: 0,
    sealed: false,
  };
}

export const tenantDiskBytes = (s: TenantState): number => s.segments.reduce((n, g) => n + g.size, 0);
export const tenantPendingRecords = (s: TenantState): number =>
  s.segments.reduce((n, g) => n + g.records - g.ackedRecords, 0);
export const tenantPendingBytes = (s: TenantState): number =>
  s.segments.reduce((n, g) => n + g.payloadBytes - g.ackedBytes, 0);

/** The segment appends go to now, if any. */
export function activeSegment(s: TenantState): Segment | undefined {
  const last = s.segments[s.segments.length - 1];
  return last && !last.sealed ? last : undefined;
}

export function wake(s: TenantState): void {
  const waiters = [...s.waiters];
  s.waiters.clear();
  for (const w of waiters) w();
}
