import type { CortexTenantFile } from './cortex-tenant-schema.js';
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_WIRE_LIMITS, MIB } from '../wire/types.js';
import { hostWorkerDefault, type WorkerDefault } from './cpu-quota.js';
import { normalizeQueue, type QueueSettings } from './queue-settings.js';
import { normalizeTenantLimits } from './tenant-limits.js';
import type { TenantLimitsConfig } from '../limits/settings.js';
import { normalizeOtlpOptions, type OtlpTranslateOptions } from '../otlp/options.js';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_TENANTS_PER_REQUEST } from '../defaults.js';

export { MIB };

/**
 * The keys only tenantwire knows, next to cortex-tenant's in the same file (cortex-tenant itself
 * would reject them), normalized with their defaults.
 */
export interface TenantwireExtras {
  readonly workers: number;
  /** Where `workers` came from: the key (or TENANTWIRE_WORKERS), the caller, or the host's CPUs (logged at start). */
  readonly workersFrom: 'config' | 'caller' | WorkerDefault;
  readonly maxRequestBytes: number;
  readonly maxDecodedBytes: number;
  /** Most series, labels, samples, ... one request may decode to (memory bound against amplifying bodies). */
  readonly maxDecodedElements: number;
  /** Decoded bytes the requests of one process may hold at once (declared snappy lengths). */
  readonly maxDecodedBytesInFlight: number;
  /** Most distinct tenants one request may fan out to (bound against amplifying bodies); 0: no limit. */
  readonly maxTenantsPerRequest: number;
  /** For 2.0 input: forward as 1.0, 2.0 or as received. */
  readonly forwardProtocol: '1.0' | '2.0' | 'same';
  /** 'wire': byte-range split; 'decode': cortex-tenant's decode/re-encode (kept for benches). */
  readonly splitMode: 'wire' | 'decode';
  /** Join concurrent requests' pieces per tenant, up to this many decompressed bytes; 0: off. */
  readonly coalesceMaxBytes: number;
  readonly dataDir: string | undefined;
  /** Most open client connections per process; past it a new one is closed at once; 0: no limit. */
  readonly maxConnections: number;
  /** Queue mode (the `queue:` block): undefined when it is off. */
  readonly queue?: QueueSettings;
  /** Per-tenant limits (the `limits:` block): undefined when no tenant has one. */
  readonly limits?: TenantLimitsConfig;
  /** How OTLP metrics (POST /v1/metrics) are translated (the `otlp:` block; defaults when absent). */
  readonly otlp: OtlpTranslateOptions;
}

/** `defaultDataDir`: data_dir when the file sets none (the embedded default's `./data`). */
export function normalizeExtras(
  f: CortexTenantFile,
  defaultWorkers: number | undefined,
  defaultDataDir?: string,
): TenantwireExtras {
  // Unset: one worker per CPU the cgroup quota allows (at most the cores), not per host core.
  const host = f.workers === undefined && defaultWorkers === undefined ? hostWorkerDefault() : undefined;
  return {
    workers: f.workers ?? defaultWorkers ?? host?.workers ?? 1,
    workersFrom: host ?? (f.workers !== undefined ? 'config' : 'caller'),
    maxRequestBytes: f.max_request_bytes ?? DEFAULT_MAX_REQUEST_BYTES,
    maxDecodedBytes: f.max_decoded_bytes ?? DEFAULT_WIRE_LIMITS.maxDecodedBytes,
    maxDecodedElements: f.max_decoded_elements ?? DEFAULT_WIRE_LIMITS.maxElements,
    maxTenantsPerRequest: f.max_tenants_per_request ?? DEFAULT_MAX_TENANTS_PER_REQUEST,
    maxDecodedBytesInFlight: f.max_decoded_bytes_in_flight ?? 512 * MIB,
    forwardProtocol: f.forward_protocol ?? 'same',
    splitMode: f.split_mode ?? 'wire',
    coalesceMaxBytes: f.coalesce === true ? (f.coalesce_max_bytes ?? 4 * MIB) : 0,
    dataDir: f.data_dir || defaultDataDir,
    maxConnections: f.max_connections ?? DEFAULT_MAX_CONNECTIONS,
    ...withQueue(normalizeQueue(f.queue, f.data_dir || defaultDataDir)),
    ...withLimits(normalizeTenantLimits(f.limits)),
    otlp: normalizeOtlpOptions(f.otlp),
  };
}

/** The key only when queue mode is on, so that a config without it compares equal to one never set. */
function withQueue(queue: QueueSettings | undefined): { queue?: QueueSettings } {
  return queue === undefined ? {} : { queue };
}

/** The key only when some limit is set, for the same reason as `withQueue`. */
function withLimits(limits: TenantLimitsConfig | undefined): { limits?: TenantLimitsConfig } {
  return limits === undefined ? {} : { limits };
}
