/**
 * The old design, for comparison: one Alertmanager config holding every condition of every
 * cluster, rebuilt whole (tree, receivers, YAML, hash, lint) on any change. Same builder code.
 */
import { buildClusterConfig } from '../../src/alerting/build-cluster.js';
import type { BuiltCluster } from '../../src/alerting/build-cluster.js';
import type { AlertingModel } from '../../src/alerting/model.js';

export function buildMonolithic(model: AlertingModel): BuiltCluster {
  const endpoints = new Map(model.endpoints.map((e) => [e.id, e]));
  return buildClusterConfig({
    clusterId: 'global',
    defaultHook: model.default_hook,
    conditions: model.conditions,
    endpoint: (id) => endpoints.get(id),
  });
}
