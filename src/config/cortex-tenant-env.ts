import { ConfigError } from '../errors.js';

/**
 * cortex-tenant's environment variables (caarlos0/env, prefix CT_): each overrides the file's
 * value for its key. Names follow cortex-tenant's struct tags, including its irregular ones
 * (CT_MAX_CONN_DURATION for max_connection_duration, CT_CA_BUNDLE_FILE and CT_TLS_CERT_FILE /
 * CT_TLS_KEY_FILE for the TLS keys). The tenantwire-only keys use TENANTWIRE_*.
 * An empty variable counts as unset.
 */

export type EnvKind = 'string' | 'bool' | 'int' | 'number' | 'list' | 'duration' | 'bytes';

export interface EnvBinding {
  readonly env: string;
  readonly path: readonly string[];
  readonly kind: EnvKind;
}

const b = (env: string, path: string, kind: EnvKind = 'string'): EnvBinding => ({ env, path: path.split('.'), kind });

export const CORTEX_TENANT_ENV: readonly EnvBinding[] = [
  b('CT_LISTEN', 'listen'),
  b('CT_LISTEN_PPROF', 'listen_pprof'),
  b('CT_LISTEN_METRICS_ADDRESS', 'listen_metrics_address'),
  b('CT_METRICS_INCLUDE_TENANT', 'metrics_include_tenant', 'bool'),
  b('CT_TARGET', 'target'),
  b('CT_TARGET_LOKI', 'target_loki'),
  b('CT_ENABLE_IPV6', 'enable_ipv6', 'bool'),
  b('CT_LOG_LEVEL', 'log_level'),
  b('CT_TIMEOUT', 'timeout', 'duration'),
  b('CT_IDLE_TIMEOUT', 'idle_timeout', 'duration'),
  b('CT_TIMEOUT_SHUTDOWN', 'timeout_shutdown', 'duration'),
  b('CT_CONCURRENCY', 'concurrency', 'int'),
  b('CT_METADATA', 'metadata', 'bool'),
  b('CT_LOG_RESPONSE_ERRORS', 'log_response_errors', 'bool'),
  b('CT_MAX_CONN_DURATION', 'max_connection_duration', 'duration'),
  b('CT_MAX_CONNS_PER_HOST', 'max_conns_per_host', 'int'),
  b('CT_AUTH_EGRESS_USERNAME', 'auth.egress.username'),
  b('CT_AUTH_EGRESS_PASSWORD', 'auth.egress.password'),
  b('CT_CA_BUNDLE_FILE', 'auth.egress.tls_config.ca_bundle_file'),
  b('CT_TLS_CERT_FILE', 'auth.ingress.tls_config.cert_file'),
  b('CT_TLS_KEY_FILE', 'auth.ingress.tls_config.key_file'),
  b('CT_TENANT_LABEL', 'tenant.label'),
  b('CT_TENANT_LABEL_LIST', 'tenant.label_list', 'list'),
  b('CT_TENANT_PREFIX', 'tenant.prefix'),
  b('CT_TENANT_PREFIX_PREFER_SOURCE', 'tenant.prefix_prefer_source', 'bool'),
  b('CT_TENANT_LABEL_REMOVE', 'tenant.label_remove', 'bool'),
  b('CT_TENANT_HEADER', 'tenant.header'),
  b('CT_TENANT_DEFAULT', 'tenant.default'),
  b('CT_TENANT_ACCEPT_ALL', 'tenant.accept_all', 'bool'),
  b('TENANTWIRE_WORKERS', 'workers', 'int'),
  b('TENANTWIRE_MAX_REQUEST_BYTES', 'max_request_bytes', 'bytes'),
  b('TENANTWIRE_MAX_DECODED_BYTES', 'max_decoded_bytes', 'bytes'),
  b('TENANTWIRE_MAX_DECODED_ELEMENTS', 'max_decoded_elements', 'int'),
  b('TENANTWIRE_MAX_TENANTS_PER_REQUEST', 'max_tenants_per_request', 'int'),
  b('TENANTWIRE_MAX_DECODED_BYTES_IN_FLIGHT', 'max_decoded_bytes_in_flight', 'bytes'),
  b('TENANTWIRE_FORWARD_PROTOCOL', 'forward_protocol'),
  b('TENANTWIRE_SPLIT_MODE', 'split_mode'),
  b('TENANTWIRE_COALESCE', 'coalesce', 'bool'),
  b('TENANTWIRE_COALESCE_MAX_BYTES', 'coalesce_max_bytes', 'bytes'),
  b('TENANTWIRE_DATA_DIR', 'data_dir'),
  b('TENANTWIRE_MAX_CONNECTIONS', 'max_connections', 'int'),
  b('TENANTWIRE_QUEUE_DIR', 'queue.dir'),
  b('TENANTWIRE_QUEUE_MAX_DISK_BYTES', 'queue.max_disk_bytes', 'bytes'),
  b('TENANTWIRE_QUEUE_MAX_TENANT_DISK_BYTES', 'queue.max_tenant_disk_bytes', 'bytes'),
  b('TENANTWIRE_QUEUE_MAX_SAMPLES_PER_SEND', 'queue.max_samples_per_send', 'int'),
  b('TENANTWIRE_QUEUE_BATCH_SEND_DEADLINE', 'queue.batch_send_deadline', 'duration'),
  b('TENANTWIRE_QUEUE_MIN_BACKOFF', 'queue.min_backoff', 'duration'),
  b('TENANTWIRE_QUEUE_MAX_BACKOFF', 'queue.max_backoff', 'duration'),
  b('TENANTWIRE_QUEUE_MIN_SHARDS', 'queue.min_shards', 'int'),
  b('TENANTWIRE_QUEUE_MAX_SHARDS', 'queue.max_shards', 'int'),
  b('TENANTWIRE_QUEUE_RETRY_ON_HTTP_429', 'queue.retry_on_http_429', 'bool'),
  b('TENANTWIRE_QUEUE_CAPACITY', 'queue.capacity', 'int'),
  b('TENANTWIRE_TENANT_ON_MISSING', 'tenant.on_missing'),
  b('TENANTWIRE_AUTH_INGRESS_ON_FORBIDDEN', 'auth.ingress.on_forbidden'),
  b('TENANTWIRE_LIMITS_INGESTION_RATE', 'limits.per_tenant.ingestion_rate', 'number'),
  b('TENANTWIRE_LIMITS_INGESTION_BURST', 'limits.per_tenant.ingestion_burst', 'int'),
  b('TENANTWIRE_LIMITS_MAX_SERIES_PER_REQUEST', 'limits.per_tenant.max_series_per_request', 'int'),
  b('TENANTWIRE_LIMITS_MAX_ACTIVE_SERIES', 'limits.per_tenant.max_active_series', 'int'),
  b('TENANTWIRE_LIMITS_ACTIVE_SERIES_WINDOW', 'limits.per_tenant.active_series_window', 'duration'),
  b('TENANTWIRE_OTLP_TRANSLATION_STRATEGY', 'otlp.translation_strategy'),
  b('TENANTWIRE_OTLP_PROMOTE_RESOURCE_ATTRIBUTES', 'otlp.promote_resource_attributes', 'list'),
  b('TENANTWIRE_OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES', 'otlp.promote_all_resource_attributes', 'bool'),
  b('TENANTWIRE_OTLP_IGNORE_RESOURCE_ATTRIBUTES', 'otlp.ignore_resource_attributes', 'list'),
  b('TENANTWIRE_OTLP_KEEP_IDENTIFYING_RESOURCE_ATTRIBUTES', 'otlp.keep_identifying_resource_attributes', 'bool'),
  b('TENANTWIRE_OTLP_PROMOTE_SCOPE_METADATA', 'otlp.promote_scope_metadata', 'bool'),
  b('TENANTWIRE_OTLP_LABEL_NAME_UNDERSCORE_SANITIZATION', 'otlp.label_name_underscore_sanitization', 'bool'),
  b(
    'TENANTWIRE_OTLP_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES',
    'otlp.label_name_preserve_multiple_underscores',
    'bool',
  ),
];

/** Go's strconv.ParseBool. */
function parseGoBool(env: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new ConfigError('invalid_env', `${env}=${JSON.stringify(v)}: expected a boolean (true or false)`);
}

function convert(binding: EnvBinding, v: string): unknown {
  switch (binding.kind) {
    case 'bool':
      return parseGoBool(binding.env, v);
    case 'int': {
      if (!/^[+-]?\d+$/.test(v.trim())) {
        throw new ConfigError('invalid_env', `${binding.env}=${JSON.stringify(v)}: expected an integer`);
      }
      return Number(v.trim());
    }
    case 'number': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) {
        throw new ConfigError('invalid_env', `${binding.env}=${JSON.stringify(v)}: expected a number`);
      }
      return Number(v.trim());
    }
    case 'list':
      return v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'bytes':
      return /^\d+$/.test(v.trim()) ? Number(v.trim()) : v;
    default:
      // durations stay strings: the schema parses them like the file's
      return v;
  }
}

export interface EnvOverride {
  readonly binding: EnvBinding;
  readonly raw: string;
}

/**
 * Writes every set variable into `doc` (a fresh copy is returned; `doc` is not changed) and
 * reports which paths came from the environment, for error messages.
 */
export function applyEnvOverrides(
  doc: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): { doc: Record<string, unknown>; overrides: Map<string, EnvOverride> } {
  const out = structuredClone(doc);
  const overrides = new Map<string, EnvOverride>();
  for (const binding of CORTEX_TENANT_ENV) {
    const raw = env[binding.env];
    if (raw === undefined || raw === '') continue;
    let node: Record<string, unknown> = out;
    const parents = binding.path.slice(0, -1);
    for (const key of parents) {
      const next = node[key];
      if (next === null || next === undefined || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = binding.path[binding.path.length - 1] ?? '';
    node[last] = convert(binding, raw);
    overrides.set(binding.path.join('.'), { binding, raw });
  }
  return { doc: out, overrides };
}
