/**
 * A durable queue wired for tests: the in-memory WAL (or a given one), a real undici transport
 * to a recording upstream on 127.0.0.1 (or a given transport), a fresh metrics registry, a
 * logger that keeps its lines. `close()` stops everything it started.
 */
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/logger.js';
import { createDurableQueue } from '../../src/queue/durable-queue.js';
import type { DurableQueue, DurableQueueConfig, QueuePiece } from '../../src/queue/types.js';
import type { Transport } from '../../src/transport/types.js';
import { createUndiciTransport } from '../../src/transport/undici-transport.js';
import type { Wal } from '../../src/wal/types.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import type { TimeSeries, WriteRequest } from '../../src/wire/types.js';
import { createMemoryWalStore, openMemoryWal, type MemoryWalStore } from '../helpers/memory-wal.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';

export const TEST_CONFIG: DurableQueueConfig = {
  maxSamplesPerSend: 2_000,
  batchSendDeadlineMs: 20,
  minBackoffMs: 5,
  maxBackoffMs: 50,
  minShards: 1,
  maxShards: 1,
  retryOnHttp429: true,
  capacity: 10_000,
};

export interface HarnessOptions {
  readonly config?: Partial<DurableQueueConfig>;
  readonly store?: MemoryWalStore;
  readonly wal?: Wal;
  readonly upstream?: RecordingUpstream;
  readonly transport?: Transport;
  readonly url?: string;
  readonly timeoutMs?: number;
  readonly headers?: Record<string, string>;
}

export interface Harness {
  readonly queue: DurableQueue;
  readonly store: MemoryWalStore;
  readonly wal: Wal;
  readonly upstream: RecordingUpstream | undefined;
  readonly registry: Registry;
  readonly logLines: string[];
  /** A metric value (summed over matching series) from the registry. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const store = o.store ?? createMemoryWalStore();
  const wal = o.wal ?? openMemoryWal(store);
  const ownUpstream = o.upstream === undefined && o.transport === undefined;
  const upstream = o.upstream ?? (ownUpstream ? await startRecordingUpstream() : undefined);
  const transport = o.transport ?? createUndiciTransport();
  const registry = new Registry();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const queue = createDurableQueue({
    wal,
    transport,
    url: o.url ?? upstream?.url ?? 'http://127.0.0.1:9/push',
    tenantHeader: 'X-Scope-OrgID',
    headers: o.headers,
    config: { ...TEST_CONFIG, ...o.config },
    timeoutMs: o.timeoutMs ?? 5_000,
    logger: createLogger('debug', sink),
    metrics: { registry },
  });
  return {
    queue,
    store,
    wal,
    upstream,
    registry,
    logLines,
    async metric(name, labels = {}) {
      const got = await registry.getSingleMetric(name)?.get();
      if (got === undefined) return 0;
      return got.values
        .filter((v) =>
          Object.entries(labels).every(([k, val]) => String((v.labels as Record<string, unknown>)[k]) === val),
        )
        .filter((v) => {
          // Histograms: their count.
          const series = (v as { metricName?: string }).metricName;
          return series === undefined || series.endsWith('_count');
        })
        .reduce((n, v) => n + v.value, 0);
    },
    async close() {
      await queue.stop(0);
      if (o.transport === undefined) await transport.close();
      if (ownUpstream) await upstream?.close();
    },
  };
}

/** A 1.0 piece for `tenant` holding `req`. */
export function pieceOf(tenant: string, req: readonly TimeSeries[] | WriteRequest): QueuePiece {
  const full: WriteRequest = Array.isArray(req) ? { timeseries: req, metadata: [] } : (req as WriteRequest);
  let samples = 0;
  let histograms = 0;
  let exemplars = 0;
  for (const s of full.timeseries) {
    samples += s.samples.length;
    histograms += s.histograms.length;
    exemplars += s.exemplars.length;
  }
  return {
    tenant,
    version: '1.0',
    raw: encodeWriteRequest(full),
    series: full.timeseries.length,
    samples,
    histograms,
    exemplars,
  };
}
