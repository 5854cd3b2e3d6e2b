/** Every default of the write-ahead log, defined once. */

/** A tenant's segment is closed and a new one started once it is past this size. */
export const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;

/**
 * The largest record the log writes or believes on read. A frame header declaring more is
 * corruption, not an allocation request.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** What a WalFullError suggests to wait before trying again. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** A tenant's delivered position is fsynced at least this often while it moves. */
export const POSITION_SYNC_INTERVAL_MS = 1_000;

/** How much of a segment is read from disk at a time (replay at open, `read`). */
export const READ_CHUNK_BYTES = 1024 * 1024;
