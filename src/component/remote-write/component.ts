import { Registry } from 'prom-client';
import { ConfigError } from '../../errors.js';
import { createSilentLogger, type Logger } from '../../logger.js';
import type { Transport } from '../../transport/types.js';
import type { Label, MetricMetadata, TimeSeries } from '../../wire/types.js';
import { configErrorFromZod } from '../../zod-errors.js';
import { BackPressureError, ReceiverClosedError, type PushContext, type Receiver } from '../receiver.js';
import { stableKey } from '../stable-key.js';
import type { Component, ComponentHealth } from '../types.js';
import { remoteWriteArgsSchema, type RemoteWriteArgs, type RemoteWriteArgsInput } from './arguments.js';
import { realClock, type Clock } from './clock.js';
import { createEndpoint, type Endpoint } from './endpoint.js';
import { checkDurableDir, durableEndpointDir } from './durable-dir.js';
import { createDurableEndpoint } from './durable-endpoint.js';
import { remoteWriteMetrics } from './metrics.js';
import { createMetadataSender, type MetadataSender } from './metadata-sender.js';
import { endpointLimits, settleGuards } from './endpoint-limits.js';
import { guardTenants } from './tenant-guard.js';

/** `prometheus.remote_write` for embedding: a typed factory, the same object the host builds. */
export interface RemoteWriteExports {
  readonly receiver: Receiver;
}

export interface RemoteWriteComponent extends Component<RemoteWriteArgsInput, RemoteWriteExports> {
  health(): ComponentHealth;
  /** Items buffered or in flight, all endpoints and tenants. */
  pending(): number;
}

export interface RemoteWriteOptions {
  /** One transport for every endpoint (tests, embedding); default: undici (or dir:// files). */
  readonly transport?: Transport;
  readonly logger?: Logger;
  /** Where the self-metrics go; default a new prom-client Registry. */
  readonly registry?: Registry;
  readonly clock?: Clock;
  /** How long stopping may spend flushing queued data. Default 60 s (Prometheus' flush deadline). */
  readonly flushDeadlineMs?: number;
  /** How often each tenant queue re-evaluates its shard count. Default 10 s (Prometheus' shard update). */
  readonly reshardIntervalMs?: number;
}

function parseArgs(args: RemoteWriteArgsInput | RemoteWriteArgs, base: string): RemoteWriteArgs {
  const parsed = remoteWriteArgsSchema.safeParse(args);
  if (!parsed.success) throw configErrorFromZod(parsed.error, base);
  return parsed.data;
}

function withExternalLabels(labels: readonly Label[], external: Readonly<Record<string, string>>): readonly Label[] {
  const names = Object.keys(external);
  if (names.length === 0) return labels;
  const merged = [...labels];
  for (const name of names)
    if (!labels.some((l) => l.name === name)) merged.push({ name, value: external[name] ?? '' });
  return merged.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What identifies an endpoint across reloads: everything but its tenant.limits (updated in place). */
function endpointKey(args: RemoteWriteArgs, i: number): string {
  const e = args.endpoint[i]!;
  const { limits: _limits, ...tenant } = e.tenant ?? {};
  const keyed = e.tenant ? { ...e, tenant } : e;
  return stableKey({ e: keyed, q: args.queue_config, w: args.wal ?? null, i });
}

export function createRemoteWrite(
  args: RemoteWriteArgsInput | RemoteWriteArgs,
  options: RemoteWriteOptions = {},
): RemoteWriteComponent {
  const logger = options.logger ?? createSilentLogger();
  const registry = options.registry ?? new Registry();
  const metrics = remoteWriteMetrics(registry);
  const clock = options.clock ?? realClock;
  const flushDeadlineMs = options.flushDeadlineMs ?? 60_000;
  let current = parseArgs(args, 'prometheus.remote_write');
  let endpoints: Endpoint[] = [];
  /** Endpoints replaced by update(), flushing their queues to their old configuration. */
  const retiring = new Set<Promise<void>>();
  let running = false;
  let stopped = false;
  let metadata: MetadataSender | undefined;
  /** Set while a durable endpoint's directory changes hands; pushes wait for it to end. */
  let handingOver: Promise<void> | undefined;
  /** Each endpoint's tenant.limits state, by endpoint key: a reload that only changes limits keeps the queues. */
  const limits = endpointLimits(clock);

  function apply(next: RemoteWriteArgs): void {
    const keep = new Map(endpoints.map((e) => [e.key, e]));
    const built = next.endpoint.map((e, i) => {
      const key = endpointKey(next, i);
      limits.set(key, e.tenant?.limits);
      const reuse = keep.get(key);
      if (reuse) {
        keep.delete(key);
        return reuse;
      }
      const ep = next.wal
        ? createDurableEndpoint({
            key,
            args: e,
            queue: next.queue_config,
            wal: next.wal,
            registry,
            logger,
            ...(options.transport ? { transport: options.transport } : {}),
          })
        : createEndpoint({
            key,
            args: e,
            queue: next.queue_config,
            clock,
            metrics,
            logger,
            ...(options.transport ? { transport: options.transport } : {}),
            ...(options.reshardIntervalMs === undefined ? {} : { reshardIntervalMs: options.reshardIntervalMs }),
          });
      if (running) ep.start();
      return ep;
    });
    for (const old of keep.values()) {
      limits.forget(old.key);
      const p: Promise<void> = old.stop(flushDeadlineMs, true).finally(() => retiring.delete(p));
      retiring.add(p);
    }
    endpoints = built;
    current = next;
    metadata?.setConfig(next.metadata_config);
  }
  apply(current);

  async function accept(series: readonly TimeSeries[], context: PushContext | undefined): Promise<void> {
    // Meanwhile the endpoint is in neither list: a push must not be acknowledged into nothing.
    while (handingOver) await handingOver;
    if (stopped) throw new ReceiverClosedError('prometheus.remote_write has stopped');
    const external = current.external_labels;
    const input =
      Object.keys(external).length === 0
        ? series
        : series.map((s) => ({ ...s, labels: withExternalLabels(s.labels, external) }));
    // The endpoints of this push: a reload may replace the list while its commit is on disk.
    const targets = endpoints;
    // Rights and limits decide on the final tenants; nothing is taken until the push is accepted.
    const guards = targets.map((e) =>
      guardTenants(e.prepare(input, context?.sourceTenant), context?.rights, limits.get(e.key)),
    );
    if (guards.some((g) => g.nothingLeft)) {
      // Refused whole: nothing is queued, the sender hears why (429 when a rate, else 400).
      settleGuards(targets, guards, metrics, false);
    }
    if (!targets.every((e, i) => e.fits(guards[i]!.groups))) {
      throw new BackPressureError('remote_write queue is full, retry later', current.queue_config.min_backoff);
    }
    // A durable endpoint resolves once its write-ahead log has the data on disk.
    await Promise.all(targets.map((e, i) => e.commit(guards[i]!.groups)));
    // Throws TenantLimitError (429) when a tenant was held back by its rate: the rest is queued.
    settleGuards(targets, guards, metrics);
  }

  const receiver: Receiver = {
    async pushRequest(request, context) {
      await accept(request.timeseries, context);
      if (request.metadata.length > 0) metadata?.remember(request.metadata as MetricMetadata[]);
    },
    async append(series, context) {
      await accept(series, context);
    },
  };
  metadata = createMetadataSender({
    config: current.metadata_config,
    endpoints: () => endpoints,
    clock,
    metrics,
    logger,
  });

  return {
    exports: Object.freeze({ receiver }),
    async update(next) {
      if (stopped) throw new ConfigError('stopped', 'prometheus.remote_write has stopped');
      const parsed = parseArgs(next, 'prometheus.remote_write');
      // A durable endpoint that changes keeps its log directory: the old one lets go of it
      // first (what it had not delivered stays on disk), then the new one opens it.
      const kept = new Set(parsed.endpoint.map((_, i) => endpointKey(parsed, i)));
      // Only where the new configuration uses the same directory; a durable endpoint that goes
      // away (renamed, another URL or wal.dir) is retired by apply(): it flushes for the flush
      // deadline and what is left stays in its directory.
      const nextDirs = new Set(parsed.wal ? parsed.endpoint.map((e) => durableEndpointDir(parsed.wal!, e)) : []);
      const oldWal = current.wal;
      // A new log directory that cannot be used refuses the update before anything changes.
      const oldDirs = new Set(oldWal ? current.endpoint.map((e) => durableEndpointDir(oldWal, e)) : []);
      if (running) for (const dir of nextDirs) if (!oldDirs.has(dir)) await checkDurableDir(dir);
      const handover = endpoints.filter(
        (e, i) =>
          e.durable === true &&
          !kept.has(e.key) &&
          oldWal !== undefined &&
          nextDirs.has(durableEndpointDir(oldWal, current.endpoint[i]!)),
      );
      if (handover.length > 0) {
        const switching = (async () => {
          endpoints = endpoints.filter((e) => !handover.includes(e));
          await Promise.all(handover.map((e) => e.stop(0, true)));
          apply(parsed);
        })();
        handingOver = switching;
        try {
          await switching;
        } finally {
          if (handingOver === switching) handingOver = undefined;
        }
      } else apply(parsed);
      if (running) await Promise.all(endpoints.map((e) => e.ready?.()));
    },
    async run(signal) {
      if (running || stopped) throw new ConfigError('already_running', 'prometheus.remote_write runs once');
      running = true;
      // A write-ahead log that cannot be opened (an unusable directory) fails the component.
      await Promise.all(endpoints.map((e) => e.ready?.()));
      for (const e of endpoints) e.start();
      const metadataLoop = metadata?.run(signal) ?? Promise.resolve();
      if (!signal.aborted) await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      stopped = true;
      await Promise.all([metadataLoop, ...endpoints.map((e) => e.stop(flushDeadlineMs)), ...retiring]);
      running = false;
    },
    health() {
      if (stopped) return { state: 'unhealthy', message: 'stopped' };
      return {
        state: running ? 'healthy' : 'unknown',
        message: `${endpoints.length} endpoint(s), ${this.pending()} pending`,
      };
    },
    pending() {
      let n = 0;
      for (const e of endpoints) for (const q of e.queues()) n += q.pending;
      return n;
    },
  };
}
