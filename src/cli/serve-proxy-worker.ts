import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import cluster from 'node:cluster';
import { redactConfig, type CortexTenantConfig } from '../config/cortex-tenant.js';
import type { Logger } from '../logger.js';
import { createProxyMetrics, type ProxyMetrics } from '../proxy/metrics.js';
import { counter } from '../proxy/metric-builders.js';
import { loadCredentialStore } from '../auth/read-secrets.js';
import type { IngressAuthConfig } from '../auth/ingress-users.js';
import type { IngressAuth } from '../server/ingress-auth.js';
import { createTenantProxy } from '../proxy/tenant-proxy.js';
import { createQueuedProxy } from '../proxy/queued-proxy.js';
import { startProxyQueue } from './proxy-queue.js';
import { createLokiMetrics } from '../proxy/loki-metrics.js';
import { createOtlpHandler } from '../proxy/otlp-handler.js';
import { createOtlpMetrics } from '../proxy/otlp-metrics.js';
import { createLokiProxy, lokiNotConfigured } from '../proxy/loki-proxy.js';
import { beginDrain, buildApp } from '../server/app.js';
import { createHealthState } from '../server/health.js';
import { listenApp } from '../server/listen.js';
import { compileTenantOptions } from '../tenant/options.js';
import { withBasicAuth } from '../transport/auth-middlewares.js';
import { createDirectoryTransport, directoryFromUrl } from '../transport/directory-transport.js';
import type { Transport } from '../transport/types.js';
import { createUndiciTransport } from '../transport/undici-transport.js';
import { clusterMetricsText, shareWorkerRegistry, workerSlot } from './cluster.js';
import { startMetricsListener } from './metrics-listener.js';
import { createInFlightLimit } from '../proxy/in-flight.js';
import { warnIfSnappyFallback } from '../build-info.js';
import { DRAIN_MARGIN_MS, shutdownDeadlineMs } from './shutdown-deadline.js';
import { createTenantLimiter, type TenantLimiter } from '../limits/tenant-limiter.js';
import { NO_TENANT_LIMITS } from '../limits/settings.js';
import { cortexTenantConfigFromDocument } from '../config/cortex-tenant.js';
import { parseYaml } from '../config/yaml-source.js';
import { registerLimiterGauges } from '../proxy/tenant-limits-gauges.js';

async function makeTransport(config: CortexTenantConfig): Promise<Transport> {
  const dir = directoryFromUrl(config.targetUrl);
  if (dir !== undefined) return createDirectoryTransport({ dir, tenantHeader: config.tenant.header });
  const ca = config.auth.egress.caBundleFile ? await readFile(config.auth.egress.caBundleFile, 'utf8') : undefined;
  let transport = createUndiciTransport({
    connections: config.maxConnsPerHost,
    timeoutMs: config.timeoutMs,
    headersTimeoutMs: config.timeoutMs,
    bodyTimeoutMs: config.timeoutMs,
    ...(config.maxConnectionDurationMs > 0 ? { maxConnectionDurationMs: config.maxConnectionDurationMs } : {}),
    ...(ca !== undefined ? { caPem: ca } : {}),
  });
  const { username, password } = config.auth.egress;
  if (username) transport = withBasicAuth(username, password ?? '')(transport);
  return transport;
}

/**
 * auth.ingress.users: the secrets read now (a bad file stops the start), refusals counted.
 * `reload` reads the secret files again (SIGHUP): the new secrets apply to the next request; a
 * file that cannot be read keeps every old secret and is logged.
 */
async function ingressAuth(
  users: IngressAuthConfig,
  config: CortexTenantConfig,
  metrics: ProxyMetrics,
  logger: Logger,
): Promise<IngressAuth & { reload(): Promise<void> }> {
  let store = await loadCredentialStore(users);
  const refused = counter(
    metrics.registry,
    'tenantwire_ingress_refused_total',
    'Requests refused by ingress authentication, by reason: missing_credentials, malformed_credentials, ' +
      'wrong_credentials (401), forbidden_tenant_header, forbidden_tenant (403).',
    ['reason'],
  );
  return {
    authenticate: (header) => store.authenticate(header),
    checkSourceTenant: config.tenant.prefixPreferSource,
    onRefused: (reason) => refused.inc({ reason }),
    async reload() {
      try {
        store = await loadCredentialStore(users);
        logger.info({ credentials: store.size }, 'SIGHUP: ingress secret files read again');
      } catch (e) {
        logger.error(
          { err: e instanceof Error ? e.message : String(e) },
          'SIGHUP: ingress secret files not read again; the previous secrets stay in force',
        );
      }
    },
  };
}

/**
 * SIGHUP with `limits` configured: the file's `limits` block applies from the next request (the
 * rest of the file still needs a restart). A file that does not parse keeps the limits in force.
 */
async function reloadLimits(path: string, limiter: TenantLimiter, logger: Logger): Promise<void> {
  try {
    const text = await readFile(path, 'utf8');
    const next = cortexTenantConfigFromDocument(parseYaml({ text, name: path }), { text, name: path });
    limiter.update(next.limits ?? { perTenant: NO_TENANT_LIMITS, overrides: new Map() });
    logger.info({ overrides: next.limits?.overrides.size ?? 0 }, 'SIGHUP: limits read again from the config file');
  } catch (e) {
    logger.error(
      { err: e instanceof Error ? e.message : String(e) },
      'SIGHUP: limits not read again; the previous limits stay in force',
    );
  }
}

/**
 * One process of the cortex-tenant proxy (the only one with `workers: 1`, else a cluster
 * worker): transport, tenant proxy, Loki proxy, HTTP server. SIGTERM: /alive answers 503 and
 * every answer closes its connection (idle ones are closed at once) for `timeout_shutdown`,
 * then it stops accepting, finishes in-flight requests within `timeout` and resolves 0.
 */
export async function serveProxyWorker(config: CortexTenantConfig, logger: Logger): Promise<number> {
  const metrics = createProxyMetrics({ includeTenant: config.metricsIncludeTenant });
  const clustered = cluster.isWorker;
  if (clustered) shareWorkerRegistry(metrics.registry);
  warnIfSnappyFallback(logger);
  const transport = await makeTransport(config);
  const inFlight = createInFlightLimit(config.concurrency, config.maxDecodedBytesInFlight);
  const health = createHealthState();
  const tls =
    config.auth.ingress.certFile && config.auth.ingress.keyFile
      ? { cert: await readFile(config.auth.ingress.certFile), key: await readFile(config.auth.ingress.keyFile) }
      : undefined;
  const tenant = compileTenantOptions(config.tenant);
  const auth = config.auth.ingress.users
    ? await ingressAuth(config.auth.ingress.users, config, metrics, logger)
    : undefined;
  // Secret rotation without a restart: `systemctl reload` (or the primary, forwarding) sends SIGHUP.
  if (auth) process.on('SIGHUP', () => void auth.reload());
  const fanOut = { maxTenants: config.maxTenantsPerRequest, parallel: config.maxConnsPerHost };
  // Per-tenant limits: each worker enforces its share (limits divided by the workers).
  const tenantLimiter = config.limits
    ? createTenantLimiter(config.limits, { shares: clustered ? config.workers : 1 })
    : undefined;
  if (tenantLimiter) registerLimiterGauges(metrics.registry, tenantLimiter);
  // The limits (and overrides) are read again from the config file on SIGHUP.
  if (tenantLimiter && existsSync(config.source)) {
    process.on('SIGHUP', () => void reloadLimits(config.source, tenantLimiter, logger));
  }
  const proxyQueue = config.queue
    ? await startProxyQueue({
        settings: config.queue,
        slot: workerSlot(),
        workers: clustered ? config.workers : 1,
        transport,
        url: config.targetUrl,
        tenantHeader: config.tenant.header,
        timeoutMs: config.timeoutMs,
        registry: metrics.registry,
        logger,
      })
    : undefined;
  const writeHandler = (forwardProtocol: CortexTenantConfig['forwardProtocol']) =>
    proxyQueue
      ? createQueuedProxy({
          queue: proxyQueue.queue,
          tenant,
          metrics,
          logger,
          limits: { maxDecodedBytes: config.maxDecodedBytes, maxElements: config.maxDecodedElements },
          concurrency: config.concurrency,
          inFlight,
          splitMode: config.splitMode,
          forwardProtocol,
          fanOut,
          ...(tenantLimiter ? { tenantLimiter } : {}),
        })
      : createTenantProxy({
          transport,
          targetUrl: config.targetUrl,
          tenant,
          metrics,
          logger,
          limits: { maxDecodedBytes: config.maxDecodedBytes, maxElements: config.maxDecodedElements },
          timeoutMs: config.timeoutMs,
          concurrency: config.concurrency,
          inFlight,
          splitMode: config.splitMode,
          forwardProtocol,
          logResponseErrors: config.logResponseErrors,
          ...(config.coalesceMaxBytes > 0 ? { coalesce: { maxBytes: config.coalesceMaxBytes } } : {}),
          fanOut,
          ...(tenantLimiter ? { tenantLimiter } : {}),
        });
  const handler = writeHandler(config.forwardProtocol);
  // POST /v1/metrics: OTLP is translated to remote-write 2.0 and handed to the same kind of
  // handler; `same` has no meaning for it, so it goes out as 1.0 unless forward_protocol is 2.0.
  const otlpMetrics = createOtlpMetrics(metrics.registry);
  const otlpHandler = createOtlpHandler({
    write: config.forwardProtocol === 'same' ? writeHandler('1.0') : handler,
    translation: config.otlp,
    limits: { maxDecodedBytes: config.maxDecodedBytes, maxElements: config.maxDecodedElements },
    metrics: otlpMetrics,
    logger,
    budget: inFlight,
  });
  // POST /loki/push: forwarded to target_loki over the same transport, else 404 saying why.
  const lokiHandler = config.targetLoki
    ? createLokiProxy({
        transport,
        targetUrl: config.targetLoki,
        tenant,
        metrics: createLokiMetrics({ registry: metrics.registry, includeTenant: config.metricsIncludeTenant }),
        logger,
        limits: { maxDecodedBytes: config.maxDecodedBytes, maxElements: config.maxDecodedElements },
        timeoutMs: config.timeoutMs,
        concurrency: config.concurrency,
        inFlight,
        logResponseErrors: config.logResponseErrors,
        fanOut,
      })
    : lokiNotConfigured;
  const app = buildApp({
    handler,
    lokiHandler,
    otlpHandler,
    onOtlpAnswer: (status) => otlpMetrics.requests.inc({ code: String(status) }),
    health,
    logger,
    maxRequestBytes: config.maxRequestBytes,
    tenantHeader: config.tenant.header,
    keepAliveTimeoutMs: config.idleTimeoutMs,
    // cortex-tenant's server read timeout: a sender gets `timeout` to deliver its whole request.
    requestTimeoutMs: config.timeoutMs,
    maxConnections: config.maxConnections,
    // Bodies being received count against max_decoded_bytes_in_flight with the requests handled.
    receiveBudget: inFlight,
    metrics: {
      contentType: metrics.registry.contentType,
      render: clustered ? () => clusterMetricsText() : () => metrics.registry.metrics(),
    },
    ...(tls ? { tls } : {}),
    ...(auth ? { auth } : {}),
  });
  // In-flight requests get `timeout` (plus a second) after listening stops: see shutdownDeadlineMs.
  const server = await listenApp(app, config.listen, { drainMs: config.timeoutMs + DRAIN_MARGIN_MS, logger });
  logger.info(
    {
      listen: config.listen,
      target: config.targetUrl,
      ...(config.targetLoki ? { target_loki: redactConfig(config).targetLoki } : {}),
    },
    'listening',
  );
  const metricsServer =
    clustered || config.listenMetricsAddress === undefined
      ? undefined
      : await startMetricsListener(
          config.listenMetricsAddress,
          async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }),
          logger,
        );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      beginDrain(app, health);
      logger.info(
        { signal, wait_ms: config.timeoutShutdownMs, deadline_ms: shutdownDeadlineMs(config) },
        'shutting down: /alive answers 503',
      );
      await new Promise((r) => setTimeout(r, config.timeoutShutdownMs));
      metricsServer?.close();
      await server.close();
      // Everything acknowledged is on disk: deliver what `timeout` allows, leave the rest there.
      await proxyQueue?.stop(config.timeoutMs);
      // Every request has been answered or cut; what the pool still holds is aborted already.
      await Promise.race([transport.close(), new Promise((r) => setTimeout(r, DRAIN_MARGIN_MS).unref())]);
      logger.info('stopped');
      resolve(0);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      stop(signal).catch((e: unknown) => {
        logger.error({ err: e }, 'error while shutting down');
        resolve(1);
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
