// `tenantwire/alerting`: per-cluster Alertmanager configs over Cortex: model, build, lint, sync.

export { AlertingError } from '../errors.js';
export type { AlertingErrorCode } from '../errors.js';
export { parseAlertingModel, validateAlertingModel, alertingModelSchema } from '../alerting/model.js';
export type { AlertingModel, Cluster, Condition } from '../alerting/model.js';
export { buildClusterConfig, buildDefaultConfig, cortexBody, cortexBodyYaml } from '../alerting/build-cluster.js';
export type { BuiltCluster } from '../alerting/build-cluster.js';
export { createIncrementalBuilder } from '../alerting/incremental-builder.js';
export { lintForCortex } from '../alerting/cortex-lint.js';
export { createCortexConfigClient } from '../alerting/cortex-config-client.js';
export { createAlertmanagerApi, DEFAULT_CORTEX_PREFIX, LEGACY_CORTEX_PREFIX } from '../alerting/alertmanager-api.js';
export { createAlertingSyncer } from '../alerting/syncer.js';
export { validateClusterConfiguration } from '../alerting/cluster-config/model.js';
export { renderCortexBlocks, renderCortexConfigYaml } from '../alerting/cluster-config/render-cortex.js';
export { renderVanillaArgs } from '../alerting/cluster-config/render-vanilla.js';
export { buildAlertingAdminServer } from '../server/alerting-admin/app.js';
