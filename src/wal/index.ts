/** The write-ahead log under the durable per-tenant queues: the public surface of src/wal/. */
export { openWal } from './open-wal.js';
export { claimDirectory, DirectoryLockedError, type DirectoryClaim } from './dir-lock.js';
export { nodeFileSystem } from './node-file-system.js';
export { WalClosedError, WalFullError, WalIoError, WalRecordTooLargeError } from './wal-errors.js';
export { DEFAULT_RETRY_AFTER_MS, DEFAULT_SEGMENT_BYTES, MAX_RECORD_BYTES } from './defaults.js';
export type {
  TenantLog,
  Wal,
  WalAppend,
  WalFile,
  WalFileSystem,
  WalMetrics,
  WalOptions,
  WalPosition,
  WalRecord,
} from './types.js';
