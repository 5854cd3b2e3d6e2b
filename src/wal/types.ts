import type { Logger } from '../logger.js';

/**
 * The write-ahead log under the durable per-tenant queues: one log per tenant, each a run of
 * segment files of framed records (length + CRC32 + payload). A record is on disk (fsync) when
 * `append` resolves; the delivered position of each tenant is persisted by `ack`; a segment is
 * removed once every record in it is delivered. Payloads are opaque here: the queue above
 * (src/queue/) decides what a record holds. Per-tenant segments mean one stuck tenant pins only
 * its own files, never another tenant's.
 */

/** A place in one tenant's log: a segment number and the byte offset just past a record. */
export interface WalPosition {
  readonly segment: number;
  readonly offset: number;
}

export interface WalRecord {
  readonly payload: Uint8Array;
  /** Just past this record: `ack(end)` once it is delivered. */
  readonly end: WalPosition;
  /** Bytes it takes on disk, framing included. */
  readonly size: number;
}

export interface WalAppend {
  readonly tenant: string;
  readonly payload: Uint8Array;
}

/** The file operations the log uses, a seam so tests can make a disk fill up (ENOSPC) or fail. */
export interface WalFileSystem {
  open(path: string, flags: string): Promise<WalFile>;
  readFile(path: string): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
  stat(path: string): Promise<{ readonly size: number; readonly isDirectory: boolean }>;
  /** fsync of a directory, so that created, renamed and removed names are durable too. */
  syncDir(path: string): Promise<void>;
}

export interface WalFile {
  /** Writes all of `chunks` at the end of the file (segments are opened with flag `a`). */
  writev(chunks: readonly Uint8Array[]): Promise<void>;
  /** Reads up to `target.length` bytes from `position`; resolves how many were read (0 at the end). */
  read(target: Uint8Array, position: number): Promise<number>;
  /** Writes all of `data` at byte `position` (the position file, opened without `a`). */
  writeAt(data: Uint8Array, position: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface WalOptions {
  readonly dir: string;
  /** Bound on all tenants' segment bytes together; an append past it throws WalFullError. */
  readonly maxDiskBytes: number;
  /** Bound on one tenant's segment bytes; an append past it throws WalFullError naming the tenant. */
  readonly maxTenantDiskBytes: number;
  /** A segment is closed and a new one started past this size. */
  readonly segmentBytes?: number;
  readonly fs?: WalFileSystem;
  readonly logger: Logger;
  readonly metrics?: WalMetrics;
  readonly now?: () => number;
  /** The Retry-After hint a WalFullError carries; default 1000. */
  readonly retryAfterMs?: number;
}

/** What the log reports; the queue above turns it into Prometheus metrics. */
export interface WalMetrics {
  fsyncSeconds(seconds: number): void;
  /** Records found undelivered at open, per tenant. */
  replayed(tenant: string, records: number, bytes: number): void;
  /** A torn or corrupt tail cut at open (bytes cut). */
  corruptCut(tenant: string, bytes: number): void;
  /** An append refused by the disk bound (`scope`: the whole log or one tenant's share). */
  refused(tenant: string, scope: 'total' | 'tenant'): void;
  /** An append failed on the disk (ENOSPC, EIO, ...). */
  ioError(code: string): void;
}

export interface Wal {
  readonly dir: string;
  /** Segment bytes of all tenants. */
  readonly diskBytes: number;
  /** Tenants that have a log (on disk at open, or appended to since). */
  tenants(): readonly string[];
  /**
   * Appends every entry (grouped per tenant, in order) and resolves once all of them are on disk
   * (fsync; concurrent calls share fsyncs: group commit). The bounds are checked for the whole
   * call before anything is written: either all entries are appended or none (WalFullError).
   * A disk error (ENOSPC, EIO) rejects with WalIoError; records already written may then still
   * be delivered later (a duplicate at worst, never a loss of acknowledged data).
   */
  append(entries: readonly WalAppend[]): Promise<void>;
  /** A tenant's log, created empty when it has none. */
  log(tenant: string): TenantLog;
  /** Flushes positions, closes files. Appends after close reject with WalClosedError. */
  close(): Promise<void>;
}

export interface TenantLog {
  readonly tenant: string;
  /** Bytes of this tenant's segments on disk. */
  readonly diskBytes: number;
  /** Records appended and not yet acknowledged as delivered, and their payload bytes. */
  readonly pendingRecords: number;
  readonly pendingBytes: number;
  /**
   * Up to `maxRecords` records (and about `maxBytes`, at least one record) after `after`, or after
   * the delivered position when `after` is undefined. Waits for an append when there is none;
   * resolves [] when `signal` aborts.
   */
  read(
    after: WalPosition | undefined,
    limits: { readonly maxRecords: number; readonly maxBytes: number },
    signal: AbortSignal,
  ): Promise<WalRecord[]>;
  /**
   * Everything up to `upTo` is delivered. Positions only move forward. The position is written
   * at once (it survives a killed process) and fsynced at least every second (it survives a
   * power loss within that window: the rest is sent again, never lost); wholly delivered
   * segments are removed.
   */
  ack(upTo: WalPosition): void;
}

export type { Logger };
