// `tenantwire/proxy`: the cortex-tenant drop-in: its config, the proxy, the HTTP app and metrics.

export { ConfigError } from '../errors.js';
export type { ConfigErrorCode } from '../errors.js';
export {
  loadCortexTenantConfig,
  parseCortexTenantConfig,
  cortexTenantConfigFromEnv,
  embeddedDefaultConfig,
  redactConfig,
} from '../config/cortex-tenant.js';
export type { CortexTenantConfig } from '../config/cortex-tenant.js';
export { createTenantProxy } from '../proxy/tenant-proxy.js';
export type { TenantProxyOptions } from '../proxy/tenant-proxy.js';
export { createProxyMetrics } from '../proxy/metrics.js';
export { buildApp } from '../server/app.js';
export { createHealthState } from '../server/health.js';
export type { WriteHandler, IncomingWrite, WriteAnswer } from '../protocol/write-types.js';
export type { TenantOutcome, FoldedAnswer } from '../tenant/fold.js';
export { WRITTEN_HEADERS } from '../protocol/headers.js';
