import { join } from 'node:path';
import { POSITION_SYNC_INTERVAL_MS } from './defaults.js';
import { encodePosition, POSITION_FILE, POSITION_TMP_FILE } from './position-file.js';
import { errnoOf } from './wal-errors.js';
import type { Logger, WalFile, WalFileSystem, WalMetrics, WalPosition } from './types.js';

/**
 * Writes one tenant's delivered position: at most one write in flight, the latest position wins.
 * The position file is created once (temporary file, fsync, rename, directory fsync) and then
 * kept open and overwritten in place: one 24-byte pwrite per ack instead of an open, a write, a
 * close and a rename (which cost a delivering worker several percent of its CPU). A killed
 * process leaves the old or the new bytes (a single small write into the page cache); a torn
 * write after a power loss fails the checksum and the log is replayed from its oldest segment
 * (duplicates, never a loss). The write is fsynced when the last fsync is a second old, and a
 * timer makes sure the latest position is fsynced within that second. Segments wholly before a
 * written position are removed after it.
 */
export interface PositionWriter {
  /** Records `position` and the segment files it frees; returns at once. */
  request(position: WalPosition, freed: readonly string[]): void;
  /** Writes and fsyncs the latest position; for close. */
  flush(): Promise<void>;
}

export interface PositionWriterOptions {
  readonly fs: WalFileSystem;
  readonly dir: string;
  readonly tenant: string;
  readonly logger: Logger;
  readonly metrics: WalMetrics;
  readonly now: () => number;
}

export function createPositionWriter(o: PositionWriterOptions): PositionWriter {
  let latest: WalPosition | undefined;
  let written: WalPosition | undefined;
  let synced: WalPosition | undefined;
  let lastSync = Number.NEGATIVE_INFINITY;
  let freed: string[] = [];
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tmp = join(o.dir, POSITION_TMP_FILE);
  const path = join(o.dir, POSITION_FILE);

  let open: WalFile | undefined;

  async function create(position: WalPosition): Promise<void> {
    const file = await o.fs.open(tmp, 'w');
    try {
      await file.writev([encodePosition(position)]);
      await file.sync();
    } finally {
      await file.close();
    }
    await o.fs.rename(tmp, path);
    await o.fs.syncDir(o.dir);
    open = await o.fs.open(path, 'r+');
  }

  async function writeOnce(position: WalPosition, durable: boolean): Promise<void> {
    if (!open) return create(position);
    try {
      await open.writeAt(encodePosition(position), 0);
      if (durable) await open.sync();
    } catch (e) {
      // Start over with a fresh file next time (the handle may be unusable).
      const f = open;
      open = undefined;
      await f.close().catch(() => undefined);
      throw e;
    }
  }

  async function loop(force: boolean): Promise<void> {
    for (;;) {
      const position = latest;
      const files = freed;
      const durable = force || o.now() - lastSync >= POSITION_SYNC_INTERVAL_MS;
      if (position === written && (!durable || position === synced) && files.length === 0) return;
      freed = [];
      try {
        if (position && (position !== written || (durable && position !== synced))) {
          await writeOnce(position, durable);
          written = position;
          if (durable) {
            synced = position;
            lastSync = o.now();
          }
        }
        for (const f of files) await o.fs.unlink(f).catch((e: unknown) => ignoreMissing(e, f));
      } catch (e) {
        o.metrics.ioError(errnoOf(e));
        o.logger.error({ tenant: o.tenant, file: path, err: e }, 'wal: could not write the delivered position');
        freed.push(...files);
        return; // the next ack or the timer tries again
      } finally {
        schedule();
      }
      force = false;
    }
  }

  function ignoreMissing(e: unknown, file: string): void {
    if (errnoOf(e) === 'ENOENT') return;
    o.metrics.ioError(errnoOf(e));
    o.logger.warn({ tenant: o.tenant, file, err: e }, 'wal: could not remove a delivered segment');
  }

  function schedule(): void {
    if (timer || written === synced) return;
    const wait = Math.max(0, lastSync + POSITION_SYNC_INTERVAL_MS - o.now());
    timer = setTimeout(() => {
      timer = undefined;
      start(false);
    }, wait);
    timer.unref();
  }

  function start(force: boolean): Promise<void> {
    if (!running) {
      running = loop(force).finally(() => {
        running = undefined;
      });
    }
    return running;
  }

  return {
    request(position, files) {
      latest = position;
      freed.push(...files);
      void start(false);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (running) await running;
      await start(true);
      if (timer) clearTimeout(timer);
      timer = undefined;
      const f = open;
      open = undefined;
      await f?.close();
    },
  };
}
