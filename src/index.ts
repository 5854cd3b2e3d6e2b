// The public API of tenantwire, exported by name. Nothing inside src/ imports this file.

// Errors and logging
export { TenantwireError, WireError, LimitError, TenantError, ConfigError, TransportError, AlertingError, isTenantwireError } from './errors.js';
export { createLogger, createSilentLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';

// Wire: remote-write 1.0 and 2.0
export type * from './wire/types.js';
export { DEFAULT_WIRE_LIMITS, STALE_NAN_BITS } from './wire/types.js';
export { decodeWriteRequest } from './wire/decode-v1.js';
export { encodeWriteRequest } from './wire/encode-v1.js';
export { decodeRequestV2 } from './wire/decode-v2.js';
export { encodeRequestV2 } from './wire/encode-v2.js';
export { v1ToV2, v2ToV1 } from './wire/convert.js';
export { snappyCompress, snappyDecompress, activeSnappyBackend, selectSnappyBackend } from './wire/snappy.js';
export type { SnappyBackendName } from './wire/snappy.js';
export { peekDecodedLength, isSnappyFramed } from './wire/snappy-preamble.js';
export { scanWriteRequest, forEachLabel, findLabelValue, decodeUtf8, writeFieldHeader, fieldHeaderSize } from './wire/scan.js';
export type { ScannedWriteRequest, LabelVisitor } from './wire/scan.js';

// Tenants: the cortex-tenant logic
export { tenantOptionsSchema, normalizeTenantOptions, compileTenantOptions, tenantOptionsFrom } from './tenant/options.js';
export type { TenantOptions, TenantOptionsInput, CompiledTenantOptions } from './tenant/options.js';
export { tenantIdProblem, isValidTenantId, MAX_TENANT_ID_BYTES } from './tenant/tenant-id.js';
export { splitWire } from './tenant/split-wire.js';
export type { WireSplitResult, WireTenantBatch } from './tenant/split-wire.js';
export { splitWriteRequest } from './tenant/split-object.js';
export { splitRequestV2 } from './tenant/split-v2.js';
export { foldOutcomes } from './tenant/fold.js';
export { WRITTEN_HEADERS } from './protocol/headers.js';
export type { TenantOutcome, FoldedAnswer } from './tenant/fold.js';

// Config
export {
  loadCortexTenantConfig,
  parseCortexTenantConfig,
  cortexTenantConfigFromEnv,
  embeddedDefaultConfig,
  redactConfig,
} from './config/cortex-tenant.js';
export type { CortexTenantConfig } from './config/cortex-tenant.js';

// Transports
export type * from './transport/types.js';
export { createUndiciTransport } from './transport/undici-transport.js';
export type { UndiciTransportOptions } from './transport/undici-transport.js';
export { createFetchTransport } from './transport/fetch-transport.js';
export type { FetchLike } from './transport/fetch-transport.js';
export { createDirectoryTransport } from './transport/directory-transport.js';
export { withHeaders, withBasicAuth, withBearerToken, composeTransport } from './transport/auth-middlewares.js';
export { withRetry } from './transport/with-retry.js';
export { createRetryPolicy } from './transport/retry-policy.js';
export type { RetryPolicy, RetryPolicyOptions } from './transport/retry-policy.js';
export { withTenantSplit } from './proxy/tenant-split-transport.js';

// Components and the host
export type * from './component/types.js';
export { createRegistry } from './component/registry.js';
export { createDefaultRegistry } from './component/default-registry.js';
export { createHost } from './component/host.js';
export type { Host } from './component/host.js';
export { BackPressureError, ReceiverClosedError, fanOutReceiver, isReceiver } from './component/receiver.js';
export type { Receiver, PushContext } from './component/receiver.js';
export { createRemoteWrite } from './component/remote-write/component.js';
export type { RemoteWriteComponent, RemoteWriteOptions, RemoteWriteExports } from './component/remote-write/component.js';
export { remoteWriteDefinition, remoteWriteDefinitionWith } from './component/remote-write/definition.js';
export { remoteWriteArgsSchema } from './component/remote-write/arguments.js';
export type { RemoteWriteArgs, RemoteWriteArgsInput } from './component/remote-write/arguments.js';
export { createReceiveHttpDefinition } from './component/receive-http/component.js';
export { alertingCortexSyncDefinition, createAlertingCortexSync } from './component/alertmanager-sync/component.js';

// The HTTP edge and the proxy
export { buildApp } from './server/app.js';
export { createHealthState } from './server/health.js';
export type { WriteHandler, IncomingWrite, WriteAnswer } from './protocol/write-types.js';
export { createTenantProxy } from './proxy/tenant-proxy.js';
export type { TenantProxyOptions } from './proxy/tenant-proxy.js';
export { createProxyMetrics } from './metrics.js';

// Alerting: per-cluster Alertmanager configs over Cortex
export { parseAlertingModel, validateAlertingModel, alertingModelSchema } from './alerting/model.js';
export type { AlertingModel, Cluster, Condition } from './alerting/model.js';
export { buildClusterConfig, buildDefaultConfig, cortexBody, cortexBodyYaml } from './alerting/build-cluster.js';
export type { BuiltCluster } from './alerting/build-cluster.js';
export { createIncrementalBuilder } from './alerting/incremental-builder.js';
export { lintForCortex } from './alerting/cortex-lint.js';
export { createCortexConfigClient } from './alerting/cortex-config-client.js';
export { createAlertmanagerApi, DEFAULT_CORTEX_PREFIX, LEGACY_CORTEX_PREFIX } from './alerting/alertmanager-api.js';
export { createAlertingSyncer } from './alerting/syncer.js';
export { validateClusterConfiguration } from './alerting/cluster-config/model.js';
export { renderCortexBlocks, renderCortexConfigYaml } from './alerting/cluster-config/render-cortex.js';
export { renderVanillaArgs } from './alerting/cluster-config/render-vanilla.js';
export { buildAlertingAdminServer } from './server/alerting-admin/app.js';

// Loki push (cortex-tenant's /loki/push)
export { decodePushRequest } from './loki/decode-push.js';
export { encodePushRequest } from './loki/encode-push.js';
export { decodePushJson, encodePushJson } from './loki/push-json.js';
export { parseStreamLabels, printStreamLabels } from './loki/labels-string.js';
export { splitPushRequest } from './loki/split-push.js';
export type { LokiSplitResult, LokiTenantBatch } from './loki/split-push.js';
export { negotiateLokiBody, readLokiBody } from './loki/read-body.js';
export type { LokiEntry, LokiFormat, LokiLimits, LokiPushRequest, LokiStream, LokiTimestamp } from './loki/types.js';
export { LOKI_ERROR_CODES } from './loki/loki-errors.js';
export { createLokiProxy, lokiNotConfigured } from './proxy/loki-proxy.js';
export type { IncomingLokiPush, LokiProxyOptions, LokiPushHandler } from './proxy/loki-proxy.js';
export { createLokiMetrics } from './proxy/loki-metrics.js';
export type { LokiMetrics } from './proxy/loki-metrics.js';
