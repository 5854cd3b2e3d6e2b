/**
 * The configuration a proxy runs with, written back in the file's own terms for the startup
 * log: snake_case keys nested as in cortex-tenant's YAML, durations in Go's syntax, secrets
 * replaced. What a reader sees can be pasted into a config file.
 */
import { redactConfig, type CortexTenantConfig } from '../config/cortex-tenant.js';
import { formatGoDuration } from '../config/duration.js';
import { tenantLimitsDocument } from '../config/tenant-limits.js';
import { REDACTED } from '../logger.js';

/** Drops undefined values, so that unset keys are absent rather than `null`. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function effectiveConfigDocument(config: CortexTenantConfig): Record<string, unknown> {
  const c = redactConfig(config);
  const { egress, ingress } = c.auth;
  const t = c.tenant;
  return defined({
    listen: c.listen,
    listen_pprof: c.listenPprof,
    // null: no second listener (the embedded default); /metrics is on `listen`.
    listen_metrics_address: c.listenMetricsAddress ?? null,
    metrics_include_tenant: c.metricsIncludeTenant,
    target: c.targetUrl,
    target_loki: c.targetLoki,
    enable_ipv6: c.enableIpv6,
    log_level: c.logLevel,
    timeout: formatGoDuration(c.timeoutMs),
    idle_timeout: formatGoDuration(c.idleTimeoutMs),
    timeout_shutdown: formatGoDuration(c.timeoutShutdownMs),
    concurrency: c.concurrency,
    metadata: c.metadata,
    log_response_errors: c.logResponseErrors,
    max_connection_duration: formatGoDuration(c.maxConnectionDurationMs),
    max_conns_per_host: c.maxConnsPerHost,
    auth: {
      egress: defined({
        username: egress.username,
        password: egress.password === undefined ? undefined : REDACTED,
        tls_config: egress.caBundleFile === undefined ? undefined : { ca_bundle_file: egress.caBundleFile },
      }),
      ingress: defined({
        tls_config:
          ingress.certFile === undefined ? undefined : { cert_file: ingress.certFile, key_file: ingress.keyFile },
        // File names only: the secrets are read at start and never logged.
        users: ingress.users?.users.map((u) =>
          defined({
            username: u.username,
            password_file: u.passwordFile,
            bearer_token_file: u.bearerTokenFile,
            tenants: u.tenants,
          }),
        ),
        on_forbidden: ingress.users?.onForbidden,
      }),
    },
    tenant: defined({
      ...(t.labels.length === 1 ? { label: t.labels[0] } : { label_list: [...t.labels] }),
      prefix: t.prefix,
      prefix_prefer_source: t.prefixPreferSource,
      label_remove: t.labelRemove,
      header: t.header,
      default: t.default,
      accept_all: t.acceptAll,
      mapping: t.mapping?.rules.map((r) =>
        r.kind === 'match' ? { match: r.source, tenant: r.tenant } : { values: Object.fromEntries(r.table) },
      ),
      on_missing: t.onMissing,
    }),
    workers: c.workers,
    max_request_bytes: c.maxRequestBytes,
    max_decoded_bytes: c.maxDecodedBytes,
    max_decoded_elements: c.maxDecodedElements,
    max_tenants_per_request: c.maxTenantsPerRequest,
    max_decoded_bytes_in_flight: c.maxDecodedBytesInFlight,
    forward_protocol: c.forwardProtocol,
    split_mode: c.splitMode,
    coalesce: c.coalesceMaxBytes > 0,
    coalesce_max_bytes: c.coalesceMaxBytes > 0 ? c.coalesceMaxBytes : undefined,
    data_dir: c.dataDir,
    max_connections: c.maxConnections,
    queue: c.queue === undefined ? undefined : queueDocument(c.queue),
    // null: no per-tenant limits.
    limits: tenantLimitsDocument(c.limits),
    otlp: otlpDocument(c.otlp),
  });
}

/** The `otlp:` block in the file's own keys, every default shown (the translation always applies). */
function otlpDocument(o: CortexTenantConfig['otlp']): Record<string, unknown> {
  return {
    translation_strategy: o.translationStrategy,
    promote_resource_attributes: [...o.promoteResourceAttributes],
    promote_all_resource_attributes: o.promoteAllResourceAttributes,
    ignore_resource_attributes: [...o.ignoreResourceAttributes],
    keep_identifying_resource_attributes: o.keepIdentifyingResourceAttributes,
    promote_scope_metadata: o.promoteScopeMetadata,
    label_name_underscore_sanitization: o.labelNameUnderscoreSanitization,
    label_name_preserve_multiple_underscores: o.labelNamePreserveMultipleUnderscores,
  };
}

/** The `queue:` block in the file's own keys (dir absolute, durations in Go's syntax). */
function queueDocument(q: NonNullable<CortexTenantConfig['queue']>): Record<string, unknown> {
  return {
    dir: q.dir,
    max_disk_bytes: q.maxDiskBytes,
    max_tenant_disk_bytes: q.maxTenantDiskBytes,
    max_samples_per_send: q.config.maxSamplesPerSend,
    batch_send_deadline: formatGoDuration(q.config.batchSendDeadlineMs),
    min_backoff: formatGoDuration(q.config.minBackoffMs),
    max_backoff: formatGoDuration(q.config.maxBackoffMs),
    min_shards: q.config.minShards,
    max_shards: q.config.maxShards,
    retry_on_http_429: q.config.retryOnHttp429,
    capacity: q.config.capacity,
  };
}
