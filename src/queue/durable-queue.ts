/**
 * The durable per-tenant queue (see types.ts): `enqueue` appends one WAL record per piece in
 * one all-or-none call and resolves once they are on disk; every tenant with a log gets its
 * own delivery (tenant-delivery.ts), started for the tenants found on disk and for each tenant
 * the first time it is seen.
 */
import { remoteWriteHeaders } from '../protocol/headers.js';
import { createRetryPolicy } from '../transport/retry-policy.js';
import type { ProtocolVersion } from '../wire/types.js';
import { createBatchSender } from './batch-sender.js';
import { queueMetrics } from './metrics.js';
import { QueueClosedError, toQueueError } from './queue-errors.js';
import { encodeRecord, recordItems } from './record.js';
import { createTenantDelivery, type TenantDelivery } from './tenant-delivery.js';
import type { DurableQueue, DurableQueueOptions, QueuePiece } from './types.js';

/** The longest Retry-After honoured, unless max_backoff is longer still. */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;

function headersFor(o: DurableQueueOptions, tenant: string, version: ProtocolVersion): Record<string, string> {
  const tenantKey = o.tenantHeader?.toLowerCase();
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) if (k.toLowerCase() !== tenantKey) extra[k] = v;
  if (o.tenantHeader !== undefined) extra[o.tenantHeader] = tenant;
  return remoteWriteHeaders(version, extra);
}

export function createDurableQueue(o: DurableQueueOptions): DurableQueue {
  const c = o.config;
  if (!(c.minShards >= 1 && c.maxShards >= c.minShards)) {
    throw new RangeError('durable queue: need 1 <= minShards <= maxShards');
  }
  if (!(c.maxSamplesPerSend >= 1) || !(c.capacity >= 1)) {
    throw new RangeError('durable queue: maxSamplesPerSend and capacity must be at least 1');
  }
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const metrics = queueMetrics(o.metrics.registry);
  const remoteName = o.metrics.remoteName ?? '';
  const policy = createRetryPolicy({
    minBackoffMs: c.minBackoffMs,
    maxBackoffMs: c.maxBackoffMs,
    retryOnHttp429: c.retryOnHttp429,
  });
  const retryAfterCapMs = Math.max(c.maxBackoffMs, RETRY_AFTER_CAP_MS);
  const deliveries = new Map<string, TenantDelivery>();
  const appends = new Set<Promise<unknown>>();
  let started = false;
  let closed = false;
  let stopping: Promise<void> | undefined;

  function delivery(tenant: string): TenantDelivery {
    let d = deliveries.get(tenant);
    if (d !== undefined) return d;
    const labels = { remote_name: remoteName, url: o.urlLabel ?? o.url, tenant };
    const sender = createBatchSender({
      transport: o.transport,
      url: o.url,
      headers: { '1.0': headersFor(o, tenant, '1.0'), '2.0': headersFor(o, tenant, '2.0') },
      timeoutMs: o.timeoutMs,
      policy,
      retryAfterCapMs,
      now,
      random,
      logger: o.logger,
      metrics,
      labels,
    });
    d = createTenantDelivery({
      log: o.wal.log(tenant),
      config: c,
      // Starts at minShards; resharded up to maxShards by the tenant's backlog (reshard.ts).
      shards: c.minShards,
      sender,
      metrics,
      labels,
      limits: {},
      now,
      logger: o.logger,
    });
    deliveries.set(tenant, d);
    if (started) d.start();
    return d;
  }

  const untrack = metrics.track(() => {
    for (const d of deliveries.values()) d.refresh();
  });

  async function append(pieces: readonly QueuePiece[]): Promise<void> {
    const at = now();
    const entries = pieces.map((p) => ({ tenant: p.tenant, payload: encodeRecord(p, at) }));
    const touched = pieces.map((p) => ({ d: delivery(p.tenant), items: recordItems(p) }));
    for (const t of touched) t.d.addPending(t.items);
    try {
      await o.wal.append(entries);
    } catch (e) {
      for (const t of touched) t.d.addPending(-t.items);
      throw toQueueError(e);
    }
  }

  return {
    async enqueue(pieces) {
      if (closed) throw new QueueClosedError();
      if (pieces.length === 0) return;
      const p = append(pieces);
      appends.add(p);
      try {
        await p;
      } finally {
        appends.delete(p);
      }
    },
    pending() {
      let n = 0;
      for (const t of o.wal.tenants()) n += o.wal.log(t).pendingRecords;
      return n;
    },
    start() {
      if (started || closed) return;
      started = true;
      for (const tenant of o.wal.tenants()) delivery(tenant);
      for (const d of deliveries.values()) d.start();
    },
    stop(deadlineMs) {
      stopping ??= (async () => {
        closed = true;
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(), Math.max(0, deadlineMs));
        try {
          await Promise.allSettled([...appends]);
          if (started) {
            for (const d of deliveries.values()) d.flush();
            await Promise.all([...deliveries.values()].map((d) => d.whenDrained(deadline.signal)));
          }
        } finally {
          clearTimeout(timer);
        }
        await Promise.all([...deliveries.values()].map((d) => d.stop()));
        untrack();
        await o.wal.close();
      })();
      return stopping;
    },
  };
}
