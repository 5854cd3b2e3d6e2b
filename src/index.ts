// The root of tenantwire: the common entry points only. Each area has its own subpath with the
// rest of what a user needs (`tenantwire/wire`, `/transport`, `/tenant`, `/pipeline`, `/proxy`,
// `/loki`, `/alerting`, listed in src/entry/). Nothing inside src/ imports this file.

// Errors and logging
export { TenantwireError, isTenantwireError } from './errors.js';
export type { TenantwireErrorCode } from './errors.js';
export { createLogger, createSilentLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';

// Wire: the codecs and the message types
export type { Label, Sample, TimeSeries, WriteRequest, RequestV2, TimeSeriesV2 } from './wire/types.js';
export { STALE_NAN_BITS } from './wire/types.js';
export { decodeWriteRequest } from './wire/decode-v1.js';
export { encodeWriteRequest } from './wire/encode-v1.js';
export { decodeRequestV2 } from './wire/decode-v2.js';
export { encodeRequestV2 } from './wire/encode-v2.js';
export { snappyCompress, snappyDecompress } from './wire/snappy.js';

// Transports
export type { Transport, TransportRequest, TransportResult } from './transport/types.js';
export { createUndiciTransport } from './transport/undici-transport.js';
export { withRetry } from './transport/with-retry.js';
export { createRetryPolicy } from './transport/retry-policy.js';
export { withTenantSplit } from './proxy/tenant-split-transport.js';

// Pipelines: the host and prometheus.remote_write
export { createHost } from './component/host.js';
export { createDefaultRegistry } from './component/default-registry.js';
export { createRemoteWrite } from './component/remote-write/component.js';
export type { RemoteWriteOptions } from './component/remote-write/component.js';
export type { Receiver } from './component/receiver.js';

// The cortex-tenant drop-in
export { loadCortexTenantConfig, parseCortexTenantConfig } from './config/cortex-tenant.js';
export type { CortexTenantConfig } from './config/cortex-tenant.js';
export { createTenantProxy } from './proxy/tenant-proxy.js';

// Alerting: per-cluster Alertmanager configs over Cortex
export { parseAlertingModel } from './alerting/model.js';
export { buildClusterConfig } from './alerting/build-cluster.js';
export { createAlertingSyncer } from './alerting/syncer.js';
