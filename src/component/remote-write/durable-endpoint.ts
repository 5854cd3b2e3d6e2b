import type { Registry } from 'prom-client';
import { TenantError } from '../../errors.js';
import { ReceiverClosedError } from '../receiver.js';
import type { Logger } from '../../logger.js';
import { countItems, DEFAULT_TENANT_HEADER, remoteWriteHeaders } from '../../protocol/headers.js';
import { createDurableQueue, walMetricsFor } from '../../queue/index.js';
import type { DurableQueue, QueuePiece } from '../../queue/types.js';
import { normalizeTenantOptions } from '../../tenant/options.js';
import type { Transport } from '../../transport/types.js';
import { openWal, type Wal } from '../../wal/index.js';
import { v1ToV2 } from '../../wire/convert.js';
import { encodeWriteRequest } from '../../wire/encode-v1.js';
import { encodeRequestV2 } from '../../wire/encode-v2.js';
import { snappyCompress } from '../../wire/snappy.js';
import type { EndpointArgs, QueueConfig, WalArgs } from './arguments.js';
import type { Endpoint } from './endpoint.js';
import { claimDurableDir, durableEndpointDir } from './durable-dir.js';
import { endpointName, redactUrl } from './endpoint-name.js';
import { endpointTransport } from './endpoint-transport.js';
import { groupByTenant, type TenantGroups } from './group-by-tenant.js';
import { remoteWriteMetrics } from './metrics.js';
import type { QueuedSeries } from './queue/index.js';

export interface DurableEndpointDeps {
  readonly key: string;
  readonly args: EndpointArgs;
  readonly queue: QueueConfig;
  readonly wal: WalArgs;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly transport?: Transport;
}

/**
 * An endpoint whose per-tenant queues are durable (`wal`): each tenant's series are encoded
 * once and appended to the endpoint's write-ahead log (`<wal.dir>/<endpoint name>`), and the
 * push is acknowledged only once they are on disk; the durable queue (src/queue/) delivers each
 * tenant on its own and, after a restart, delivers what was left.
 */
export function createDurableEndpoint(d: DurableEndpointDeps): Endpoint {
  const tenantOptions = d.args.tenant ? normalizeTenantOptions(d.args.tenant, { path: 'tenant' }) : undefined;
  const tenantHeader = tenantOptions?.header ?? DEFAULT_TENANT_HEADER;
  const { transport, owned } = endpointTransport(d.args, tenantHeader, d.transport);
  const url = d.args.url;
  const remoteName = endpointName(d.args);
  const dir = durableEndpointDir(d.wal, d.args);
  const protocol = d.args.protocol;
  let stopping = false;
  let wal: Wal | undefined;
  const claimed = claimDurableDir(dir);

  const ready: Promise<DurableQueue> = claimed.then(async (claim) => {
    try {
      wal = await openWal({
        dir,
        maxDiskBytes: d.wal.max_disk_bytes,
        maxTenantDiskBytes: d.wal.max_tenant_disk_bytes,
        logger: d.logger,
        metrics: walMetricsFor(d.registry),
      });
    } catch (e) {
      await claim.release();
      throw e;
    }
    return createDurableQueue({
      wal,
      transport,
      url,
      urlLabel: redactUrl(url),
      ...(tenantOptions ? { tenantHeader: tenantOptions.header } : {}),
      config: {
        capacity: d.queue.capacity,
        minShards: d.queue.min_shards,
        maxShards: d.queue.max_shards,
        maxSamplesPerSend: d.queue.max_samples_per_send,
        batchSendDeadlineMs: d.queue.batch_send_deadline,
        minBackoffMs: d.queue.min_backoff,
        maxBackoffMs: d.queue.max_backoff,
        retryOnHttp429: d.queue.retry_on_http_429,
      },
      timeoutMs: d.args.remote_timeout,
      logger: d.logger.child({ remote_name: remoteName }),
      metrics: { registry: d.registry, remoteName },
    });
  });
  // Seen by run() through ready(); never an unhandled rejection meanwhile.
  ready.catch(() => undefined);

  /**
   * max_tenants bounds the tenants whose log holds undelivered records (a tenant's queue, here),
   * so a flood of tenant names cannot fan out without limit. Throws TenantError (400).
   */
  function admit(grouped: Map<string, QueuedSeries[]>): void {
    const max = d.args.max_tenants;
    if (max === 0 || wal === undefined) return;
    const w = wal;
    const busy = new Set(w.tenants().filter((t) => w.log(t).pendingRecords > 0));
    const fresh = [...grouped.keys()].filter((t) => !busy.has(t));
    if (fresh.length === 0) return;
    const total = busy.size + fresh.length;
    if (total <= max) return;
    throw new TenantError(
      'too_many_tenants',
      `remote_write endpoint ${remoteName} would hold undelivered data of ${total} tenants, more than ` +
        `max_tenants (${max}); raise it`,
    );
  }

  function pieceFor(tenant: string, entries: readonly QueuedSeries[]): QueuePiece {
    const request = { timeseries: entries, metadata: [] };
    const counts = { tenant, series: entries.length, ...countItems(entries) };
    return protocol === '2.0'
      ? { ...counts, version: '2.0', body: snappyCompress(encodeRequestV2(v1ToV2(request))) }
      : { ...counts, version: '1.0', raw: encodeWriteRequest(request) };
  }

  return {
    key: d.key,
    url,
    remoteName,
    tenantOptions,
    durable: true,
    prepare(series, sourceTenant) {
      if (stopping) throw new ReceiverClosedError(`remote_write endpoint ${remoteName} is stopping`);
      const grouped = groupByTenant(series, tenantOptions, sourceTenant, Number.POSITIVE_INFINITY);
      admit(grouped);
      return grouped;
    },
    fits: () => true,
    async commit(prepared) {
      const queue = await ready;
      await queue.enqueue([...prepared].map(([tenant, entries]) => pieceFor(tenant, entries)));
      const dropped = (prepared as TenantGroups).droppedSamples ?? 0;
      if (dropped > 0) {
        remoteWriteMetrics(d.registry).samplesDropped.inc(
          { remote_name: remoteName, url: redactUrl(url), tenant: '', reason: 'missing_tenant' },
          dropped,
        );
      }
    },
    queues: () => [],
    async ready() {
      await ready;
    },
    async sendMetadata(entries, maxPerSend, signal) {
      let sent = 0;
      let failed = 0;
      if (protocol !== '1.0') return { sent, failed };
      for (const tenant of wal?.tenants() ?? []) {
        for (let i = 0; i < entries.length; i += maxPerSend) {
          const chunk = entries.slice(i, i + maxPerSend);
          const headers: Record<string, string> = remoteWriteHeaders('1.0');
          if (tenantOptions) headers[tenantOptions.header] = tenant;
          const body = snappyCompress(encodeWriteRequest({ timeseries: [], metadata: chunk }));
          const r = await transport.send({ url, headers, body, timeoutMs: d.args.remote_timeout, signal });
          if (r.kind === 'response' && r.status >= 200 && r.status < 300) sent += chunk.length;
          else failed += chunk.length;
        }
      }
      return { sent, failed };
    },
    start() {
      ready.then((q) => q.start()).catch(() => undefined);
    },
    async stop(flushDeadlineMs) {
      stopping = true;
      const claim = await claimed.catch(() => undefined);
      claim?.stopping();
      let left = 0;
      try {
        const queue = await ready;
        await queue.stop(flushDeadlineMs);
        left = queue.pending();
      } catch {
        // Never opened: nothing to flush.
      }
      if (owned) await transport.close();
      await claim?.release();
      const where = { remote_name: remoteName, url: redactUrl(url), dir };
      if (left > 0)
        d.logger.info({ ...where, records: left }, 'undelivered records kept in the wal for the next start');
      else d.logger.debug(where, 'durable remote_write endpoint stopped');
    },
  };
}
