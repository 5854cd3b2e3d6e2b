/**
 * One tenant's delivery: a reader that takes the tenant's records from the log in order (at
 * most `capacity` items per shard read ahead), cuts each into shard pieces, and acknowledges
 * the log up to the last record whose pieces are all settled (delivered, or dropped and
 * counted). Its loops, sleeps and retries are its own: a tenant that is down or answers 429
 * forever holds back only itself.
 *
 * Duplicates: a crash loses nothing acknowledged by `enqueue`; records after the acked position
 * (at most the read-ahead window: `capacity * shards` items, plus one read of the log) may be
 * sent again on the next start.
 */
import type { Logger } from '../logger.js';
import type { TenantLog, WalPosition, WalRecord } from '../wal/types.js';
import type { WireLimits } from '../wire/types.js';
import type { BatchSender, SendOutcome } from './batch-sender.js';
import type { QueueMetrics, TenantLabels } from './metrics.js';
import { decodeRecord, recordItems, type QueueRecord } from './record.js';
import { createResharder } from './reshard.js';
import { timedRead } from './timed-read.js';
import { createShard } from './shard.js';
import { createShardSet } from './shard-set.js';
import { recordPieces } from './record-pieces.js';
import type { DurableQueueConfig } from './types.js';
import { createWaker } from './waker.js';

/** One read of the log takes at most this much (the window bound is checked before each read). */
export const READ_LIMITS = { maxRecords: 256, maxBytes: 8 * 1024 * 1024 } as const;
/**
 * Record bytes (as stored, compressed) one tenant holds read ahead and not yet settled, whatever
 * its shard count: `capacity` x 50 shards x 10 tenants let a backlog pull over a GiB into memory.
 * 4 MiB (about 20 MiB decoded) still keeps dozens of full batches in flight.
 */
export const MAX_WINDOW_BYTES = 4 * 1024 * 1024;
/** Pause after a failed read of the log before trying again. */
const READ_ERROR_PAUSE_MS = 1_000;

interface Entry {
  readonly end: WalPosition;
  remaining: number;
  readonly items: number;
  readonly bytes: number;
  readonly appendedAtMs: number;
}

export interface TenantDeliveryOptions {
  readonly log: TenantLog;
  readonly config: DurableQueueConfig;
  /** Shards at start; resharded between the config's min_shards and max_shards by the backlog. */
  readonly shards: number;
  readonly sender: BatchSender;
  readonly metrics: QueueMetrics;
  readonly labels: TenantLabels;
  readonly limits: Partial<WireLimits>;
  readonly now: () => number;
  readonly logger: Logger;
}

export interface TenantDelivery {
  readonly tenant: string;
  /** Items this process enqueued that are not yet delivered (the pending gauge). */
  addPending(items: number): void;
  start(): void;
  /** Sends partial batches at once from now on (a stop is draining the queue). */
  flush(): void;
  /** Resolves once the log holds nothing undelivered, or when `signal` aborts. */
  whenDrained(signal: AbortSignal): Promise<void>;
  /** Refreshes the live gauges. */
  refresh(): void;
  /** Aborts the loops (in-flight sends included) and waits for them to end. */
  stop(): Promise<void>;
}

export function createTenantDelivery(o: TenantDeliveryOptions): TenantDelivery {
  const { log, metrics: m, labels } = o;
  const abort = new AbortController();
  const signal = abort.signal;
  const windowWaker = createWaker();
  const drainWaker = createWaker();
  // Records already in the log when this delivery was made (replayed): not yet in `pending`.
  let replayedLeft = log.pendingRecords;
  let pending = 0;
  let flushing = false;
  let entries: Entry[] = [];
  let head = 0;
  let windowItems = 0;
  let windowBytes = 0;
  let loops: Promise<void> | undefined;
  const shards = createShardSet(
    () =>
      createShard({
        maxItems: o.config.maxSamplesPerSend,
        deadlineMs: o.config.batchSendDeadlineMs,
        now: o.now,
        sender: o.sender,
        flushing: () => flushing,
      }),
    o.shards,
  );
  const maxWindow = () => Math.max(1, o.config.capacity * shards.count);
  const resharder = createResharder({ ...o.config, now: o.now });
  // Payload bytes and items taken from the log: how many bytes the window's room is.
  let takenBytes = 0;
  let takenItems = 0;
  m.shards.set(labels, o.shards);

  function setPendingGauge(): void {
    m.samplesPending.set(labels, Math.max(0, pending));
  }

  function ackSettled(): void {
    let last: Entry | undefined;
    while (head < entries.length && entries[head]!.remaining === 0) {
      last = entries[head]!;
      windowItems -= last.items;
      windowBytes -= last.bytes;
      pending -= last.items;
      head++;
    }
    if (last === undefined) return;
    if (head > 1024 && head * 2 > entries.length) {
      entries = entries.slice(head);
      head = 0;
    }
    log.ack(last.end);
    setPendingGauge();
    windowWaker.wake();
    drainWaker.wake();
  }

  function settle(entry: Entry): (outcome: Exclude<SendOutcome, 'aborted'>) => void {
    return (outcome) => {
      if (outcome === 'delivered') resharder.delivered();
      entry.remaining--;
      if (entry.remaining === 0) ackSettled();
    };
  }

  function corrupt(rec: WalRecord, why: unknown, header?: QueueRecord): Entry {
    m.recordsDropped.inc({ ...labels, reason: 'corrupt_record' });
    if (header !== undefined) m.samplesDropped.inc({ ...labels, reason: 'corrupt_record' }, recordItems(header));
    o.logger.warn(
      { tenant: labels.tenant, position: rec.end, err: why instanceof Error ? why.message : String(why) },
      'dropped a corrupt queue record',
    );
    const items = header === undefined ? 0 : recordItems(header);
    return { end: rec.end, remaining: 0, items, bytes: rec.payload.length, appendedAtMs: 0 };
  }

  /** Turns one record into shard pieces; returns its entry (remaining = pieces not settled). */
  function take(rec: WalRecord): Entry {
    let r: QueueRecord;
    try {
      r = decodeRecord(rec.payload);
    } catch (e) {
      return corrupt(rec, e);
    }
    const queuedAt = o.now();
    try {
      const pieces = recordPieces(r, shards.count, o.config.maxSamplesPerSend, o.limits);
      const entry: Entry = {
        end: rec.end,
        remaining: pieces.length,
        items: recordItems(r),
        bytes: rec.payload.length,
        appendedAtMs: r.appendedAtMs,
      };
      for (const p of pieces) {
        shards.at(p.shard).push({ version: p.version, bytes: p.bytes, ...counts(p), queuedAt, settled: settle(entry) });
      }
      return entry;
    } catch (e) {
      return corrupt(rec, e, r);
    }
  }

  /** Up to about what the window still holds (by the bytes per item seen so far), waking to reshard. */
  async function readSome(after: WalPosition | undefined): Promise<WalRecord[]> {
    // Until a record has been seen, one: the bytes an item takes are not known yet.
    const room = Math.max(1, maxWindow() - windowItems) * (takenItems > 0 ? takenBytes / takenItems : 0);
    const limits = {
      maxRecords: takenItems > 0 ? READ_LIMITS.maxRecords : 1,
      maxBytes: Math.max(1, Math.min(READ_LIMITS.maxBytes, Math.ceil(room))),
    };
    return timedRead(log, after, limits, signal, resharder.recheckMs);
  }

  async function readLoop(): Promise<void> {
    let after: WalPosition | undefined;
    while (!signal.aborted) {
      const want = resharder.wanted(shards.count, Math.max(pending, windowItems));
      if (want !== shards.count) {
        // A series must not have samples in two shard sets: wait until everything taken is settled.
        if (head < entries.length) {
          await windowWaker.wait(signal);
          continue;
        }
        await shards.resize(want);
        m.shards.set(labels, want);
        resharder.applied(want);
        o.logger.debug({ tenant: labels.tenant, shards: want }, 'resharded');
        continue;
      }
      if ((windowItems >= maxWindow() || windowBytes >= MAX_WINDOW_BYTES) && head < entries.length) {
        await windowWaker.wait(signal);
        continue;
      }
      let records: WalRecord[];
      try {
        records = await readSome(after);
      } catch (e) {
        o.logger.error(
          { tenant: labels.tenant, err: e instanceof Error ? e.message : String(e) },
          'queue log read failed',
        );
        await windowWaker.wait(signal, READ_ERROR_PAUSE_MS);
        continue;
      }
      for (const rec of records) {
        after = rec.end;
        takenBytes += rec.payload.length;
        const entry = take(rec);
        if (replayedLeft > 0) {
          replayedLeft--;
          pending += entry.items;
        }
        entries.push(entry);
        windowItems += entry.items;
        windowBytes += entry.bytes;
        takenItems += entry.items;
      }
      if (records.length > 0) {
        setPendingGauge();
        ackSettled();
      }
    }
  }

  return {
    tenant: labels.tenant,
    addPending(items) {
      pending += items;
      setPendingGauge();
    },
    start() {
      if (loops !== undefined) return;
      loops = Promise.all([readLoop(), shards.run(signal)]).then(
        () => undefined,
        (e: unknown) => {
          // A bug, not an upstream failure: say so, and leave the rest to the next start.
          o.logger.error(
            { tenant: labels.tenant, err: e instanceof Error ? e.stack : String(e) },
            'queue delivery failed',
          );
          abort.abort();
        },
      );
    },
    flush() {
      flushing = true;
      shards.pokeAll();
    },
    async whenDrained(until) {
      while (!until.aborted && (log.pendingRecords > 0 || head < entries.length)) await drainWaker.wait(until);
    },
    refresh() {
      m.pendingRecords.set(labels, log.pendingRecords);
      m.pendingBytes.set(labels, log.pendingBytes);
      const oldest = head < entries.length ? entries[head]!.appendedAtMs : undefined;
      m.oldestAge.set(labels, oldest === undefined || oldest === 0 ? 0 : Math.max(0, o.now() - oldest) / 1000);
    },
    async stop() {
      abort.abort();
      await loops;
    },
  };
}

function counts(c: { samples: number; histograms: number; exemplars: number }) {
  return { samples: c.samples, histograms: c.histograms, exemplars: c.exemplars };
}
