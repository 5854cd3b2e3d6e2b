import { TenantError } from '../../errors.js';
import { ReceiverClosedError } from '../receiver.js';
import type { Logger } from '../../logger.js';
import { DEFAULT_TENANT_HEADER, remoteWriteHeaders } from '../../protocol/headers.js';
import { createRetryPolicy } from '../../transport/retry-policy.js';
import type { Transport } from '../../transport/types.js';
import { normalizeTenantOptions, type TenantOptions } from '../../tenant/options.js';
import { encodeWriteRequest } from '../../wire/encode-v1.js';
import { snappyCompress } from '../../wire/snappy.js';
import type { MetricMetadata, TimeSeries } from '../../wire/types.js';
import type { EndpointArgs, QueueConfig } from './arguments.js';
import type { Clock } from './clock.js';
import { endpointTransport } from './endpoint-transport.js';
import { forgetQueue, type RemoteWriteMetrics } from './metrics.js';
import { groupByTenant, type TenantGroups } from './group-by-tenant.js';
import { endpointName, redactUrl } from './endpoint-name.js';
import { createTenantQueue, type QueuedSeries, type TenantQueue } from './queue/index.js';

/**
 * One `endpoint` block at run time: its transport, its tenant rule, and one queue per tenant,
 * created on first sight, at most `max_tenants` of them, retired after `tenant_idle_timeout`
 * without data (a tenant that comes back gets a new queue). The tenant of each series is
 * resolved BEFORE serialisation (the native split), so each tenant's batches are encoded once,
 * for that tenant alone.
 */
export interface Endpoint {
  readonly key: string;
  readonly url: string;
  readonly remoteName: string;
  readonly tenantOptions: TenantOptions | undefined;
  /** Series grouped by tenant, tenants resolved and labels final. Throws TenantError. */
  prepare(series: readonly TimeSeries[], sourceTenant: string | undefined): Map<string, QueuedSeries[]>;
  fits(prepared: Map<string, QueuedSeries[]>): boolean;
  /** Queues the prepared series; a durable endpoint resolves once they are on disk. */
  commit(prepared: Map<string, QueuedSeries[]>): void | Promise<void>;
  /** In-memory tenant queues (none for a durable endpoint: its queues live in src/queue/). */
  queues(): readonly TenantQueue[];
  /** True when the endpoint writes to a write-ahead log (`wal`). */
  readonly durable?: boolean;
  /** Resolves when the endpoint can take data; rejects when it never will (a WAL directory that cannot be used). */
  ready?(): Promise<void>;
  /** Metadata-only requests to every tenant seen (1.0 only; 2.0 carries metadata per series). */
  sendMetadata(
    entries: readonly MetricMetadata[],
    max: number,
    signal: AbortSignal,
  ): Promise<{ sent: number; failed: number }>;
  start(): void;
  /**
   * Stops accepting, flushes for at most `flushDeadlineMs`, drops (and counts) the rest.
   * `forget` removes this endpoint's metric series (an endpoint replaced by a reload).
   */
  stop(flushDeadlineMs: number, forget?: boolean): Promise<void>;
}

export interface EndpointDeps {
  readonly key: string;
  readonly args: EndpointArgs;
  readonly queue: QueueConfig;
  readonly clock: Clock;
  readonly metrics: RemoteWriteMetrics;
  readonly logger: Logger;
  readonly transport?: Transport;
  /** How often each tenant queue re-evaluates its shard count (default 10 s). */
  readonly reshardIntervalMs?: number;
}

export function createEndpoint(d: EndpointDeps): Endpoint {
  const tenantOptions = d.args.tenant ? normalizeTenantOptions(d.args.tenant, { path: 'tenant' }) : undefined;
  const tenantHeader = tenantOptions?.header ?? DEFAULT_TENANT_HEADER;
  const { transport, owned } = endpointTransport(d.args, tenantHeader, d.transport);
  const url = d.args.url;
  const urlLabel = redactUrl(url);
  const remoteName = endpointName(d.args);
  const policy = createRetryPolicy({
    minBackoffMs: d.queue.min_backoff,
    maxBackoffMs: d.queue.max_backoff,
    retryOnHttp429: d.queue.retry_on_http_429,
  });
  const max = d.queue.max_samples_per_send;
  const queues = new Map<string, TenantQueue>();
  /** Per tenant queue: when data last came, and its own stop (an idle queue is retired alone). */
  const lanes = new Map<string, { usedAt: number; readonly stop: AbortController }>();
  const idleMs = d.args.tenant_idle_timeout;
  const maxTenants = d.args.max_tenants;
  const stopCtl = new AbortController();
  const hardCtl = new AbortController();
  /** What stop() waits for; a retired queue's run leaves it when it ends. */
  const runs = new Set<Promise<void>>();
  const track = (run: Promise<void>): void => {
    runs.add(run);
    // A run that ended well leaves; one that failed stays, so that stop() reports it.
    void run.then(
      () => runs.delete(run),
      () => undefined,
    );
  };
  let started = false;

  function queueFor(tenant: string): TenantQueue {
    let q = queues.get(tenant);
    if (!q) {
      const labels = { remote_name: remoteName, url: urlLabel, tenant };
      q = createTenantQueue(
        tenant,
        d.queue,
        {
          transport,
          url,
          protocol: d.args.protocol,
          ...(tenantOptions ? { tenantHeader: [tenantOptions.header, tenant] as const } : {}),
          timeoutMs: d.args.remote_timeout,
          policy,
          clock: d.clock,
          metrics: d.metrics,
          labels,
          logger: d.logger,
          sent: { highestMs: 0 },
        },
        d.reshardIntervalMs,
      );
      queues.set(tenant, q);
      lanes.set(tenant, { usedAt: d.clock.now(), stop: new AbortController() });
      if (started) runQueue(q);
    }
    return q;
  }

  /** Each queue runs until its own stop: retirement aborts one, the endpoint's stop all of them. */
  function runQueue(q: TenantQueue): void {
    track(q.run(lanes.get(q.tenant)?.stop.signal ?? stopCtl.signal, hardCtl.signal));
  }

  /** Retires the queues that hold nothing and got nothing for `tenant_idle_timeout`. */
  function retireIdle(): void {
    const now = d.clock.now();
    for (const [tenant, q] of queues) {
      const lane = lanes.get(tenant);
      if (!lane || q.pending > 0 || now - lane.usedAt < idleMs) continue;
      queues.delete(tenant);
      lanes.delete(tenant);
      lane.stop.abort();
      forgetQueue(d.metrics, { remote_name: remoteName, url: urlLabel, tenant });
    }
  }

  /** Throws TenantError when `prepared` would take the endpoint past `max_tenants` queues. */
  function admit(prepared: Map<string, QueuedSeries[]>): void {
    if (maxTenants === 0) return;
    const fresh = (): number => [...prepared.keys()].filter((t) => !queues.has(t)).length;
    if (fresh() === 0 || queues.size + fresh() <= maxTenants) return;
    retireIdle();
    const total = queues.size + fresh();
    if (total <= maxTenants) return;
    throw new TenantError(
      'too_many_tenants',
      `remote_write endpoint ${remoteName} would hold ${total} tenant queues, more than max_tenants ` +
        `(${maxTenants}); raise it or shorten tenant_idle_timeout`,
    );
  }

  function start(): void {
    if (started) return;
    started = true;
    for (const q of queues.values()) runQueue(q);
    track(
      (async () => {
        while (await d.clock.sleep(Math.max(1_000, Math.min(idleMs, 60_000)), stopCtl.signal)) retireIdle();
      })(),
    );
  }

  return {
    key: d.key,
    url,
    remoteName,
    tenantOptions,
    prepare(series, sourceTenant) {
      if (stopCtl.signal.aborted) throw new ReceiverClosedError(`remote_write endpoint ${remoteName} is stopping`);
      const out = groupByTenant(series, tenantOptions, sourceTenant, max);
      admit(out);
      return out;
    },
    fits(prepared) {
      for (const [tenant, entries] of prepared) {
        const q = queues.get(tenant);
        if (q && !q.fits(entries)) return false;
      }
      return true;
    },
    commit(prepared) {
      const now = d.clock.now();
      // Counted once the push is taken (a push refused for a full queue comes again).
      const dropped = (prepared as TenantGroups).droppedSamples ?? 0;
      if (dropped > 0) {
        d.metrics.samplesDropped.inc(
          { remote_name: remoteName, url: urlLabel, tenant: '', reason: 'missing_tenant' },
          dropped,
        );
      }
      for (const [tenant, entries] of prepared) {
        queueFor(tenant).enqueue(entries);
        const lane = lanes.get(tenant);
        if (lane) lane.usedAt = now;
      }
    },
    queues: () => [...queues.values()],
    async sendMetadata(entries, maxPerSend, signal) {
      let sent = 0;
      let failed = 0;
      if (d.args.protocol !== '1.0') return { sent, failed };
      for (const q of queues.values()) {
        const labels = { remote_name: remoteName, url: urlLabel, tenant: q.tenant };
        for (let i = 0; i < entries.length; i += maxPerSend) {
          const chunk = entries.slice(i, i + maxPerSend);
          const headers: Record<string, string> = remoteWriteHeaders('1.0');
          if (tenantOptions) headers[tenantOptions.header] = q.tenant;
          const body = snappyCompress(encodeWriteRequest({ timeseries: [], metadata: chunk }));
          const r = await transport.send({ url, headers, body, timeoutMs: d.args.remote_timeout, signal });
          const ok = r.kind === 'response' && r.status >= 200 && r.status < 300;
          (ok ? d.metrics.metadataTotal : d.metrics.metadataFailed).inc(labels, chunk.length);
          if (ok) sent += chunk.length;
          else failed += chunk.length;
        }
      }
      return { sent, failed };
    },
    start,
    async stop(flushDeadlineMs, forget = false) {
      start();
      stopCtl.abort();
      for (const lane of lanes.values()) lane.stop.abort();
      const cancel = new AbortController();
      const deadline = d.clock.sleep(flushDeadlineMs, cancel.signal).then((expired) => {
        if (expired) hardCtl.abort();
      });
      await Promise.all([...runs]);
      cancel.abort();
      await deadline;
      if (owned) await transport.close();
      if (forget)
        for (const q of queues.values())
          forgetQueue(d.metrics, { remote_name: remoteName, url: urlLabel, tenant: q.tenant });
    },
  };
}
