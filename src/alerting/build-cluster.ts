/**
 * Builds the Alertmanager config of one cluster id: routing tree, receivers, templates, the
 * SHA-256 of the result, and the hash marker receiver. Pure and deterministic.
 */
import { AlertingError } from '../errors.js';
import { conditionReceiver, defaultHookReceiver, markerReceiver } from './receivers.js';
import type { Receiver } from './receivers.js';
import { buildRoutingTree, sortConditions } from './routing-tree.js';
import type { Route } from './routing-tree.js';
import type { Endpoint } from './endpoint-schema.js';
import type { Condition } from './model.js';
import { lintForCortex, NO_LIMITS } from './cortex-lint.js';
import type { CortexLimits } from './cortex-lint.js';
import { sha256Hex, stableYaml } from './stable-yaml.js';
import { TEMPLATE_FILES } from './templates.js';

export interface ClusterBuildInput {
  readonly clusterId: string;
  readonly defaultHook: string;
  /** The conditions of this cluster only. */
  readonly conditions: readonly Condition[];
  /** Resolves an endpoint id (the model was validated, so every id resolves). */
  readonly endpoint: (id: string) => Endpoint | undefined;
}

export interface AlertmanagerConfig {
  global: { resolve_timeout: string };
  route: Route;
  receivers: Receiver[];
  templates: string[];
}

export interface BuiltCluster {
  readonly clusterId: string;
  /** SHA-256 (hex) of the config (as JSON, without its marker receiver) plus the template files. */
  readonly hash: string;
  readonly config: AlertmanagerConfig;
  /** The Alertmanager YAML, marker receiver included: what Cortex stores as `alertmanager_config`. */
  readonly configYaml: string;
  readonly templateFiles: Readonly<Record<string, string>>;
}

export interface BuildOptions {
  readonly limits?: CortexLimits;
}

function receiversOf(input: ClusterBuildInput, sorted: readonly Condition[]): Receiver[] {
  const receivers: Receiver[] = [defaultHookReceiver(input.defaultHook)];
  for (const c of sorted) {
    const endpoints = c.endpoints.map((id) => {
      const e = input.endpoint(id);
      if (!e) throw new AlertingError('alerting_unknown_endpoint', `condition ${c.id}: unknown endpoint ${id}`);
      return e;
    });
    receivers.push(conditionReceiver(c.type, c.id, endpoints));
  }
  return receivers;
}

export function buildClusterConfig(input: ClusterBuildInput, options: BuildOptions = {}): BuiltCluster {
  const sorted = sortConditions(input.conditions);
  const config: AlertmanagerConfig = {
    global: { resolve_timeout: '5m' },
    route: buildRoutingTree(sorted),
    receivers: receiversOf(input, sorted),
    templates: Object.keys(TEMPLATE_FILES).sort(),
  };
  const templateParts = Object.keys(TEMPLATE_FILES)
    .sort()
    .flatMap((k) => [k, TEMPLATE_FILES[k] ?? '']);
  // JSON of objects this module builds in a fixed key order: deterministic, and cheaper than YAML.
  const hash = sha256Hex(JSON.stringify(config), ...templateParts);
  config.receivers.push(markerReceiver(hash));
  const configYaml = stableYaml(config);
  const problems = lintForCortex({ config, configYaml, templateFiles: TEMPLATE_FILES }, options.limits ?? NO_LIMITS);
  if (problems.length > 0) {
    throw new AlertingError(
      'alerting_cortex_lint',
      `cluster ${input.clusterId}: ${problems.map((p) => p.message).join('; ')}`,
    );
  }
  return { clusterId: input.clusterId, hash, config, configYaml, templateFiles: TEMPLATE_FILES };
}

/** The body Cortex's `POST /api/v1/alerts` takes: `{template_files, alertmanager_config}`. */
export interface CortexConfigBody {
  template_files: Record<string, string>;
  alertmanager_config: string;
}

export const cortexBody = (b: BuiltCluster): CortexConfigBody => ({
  template_files: { ...b.templateFiles },
  alertmanager_config: b.configYaml,
});

export const cortexBodyYaml = (b: BuiltCluster): string => stableYaml(cortexBody(b));

/** The config a tenant gets when the model knows nothing of it: everything to the default hook. */
export function buildDefaultConfig(clusterId: string, defaultHook: string, options: BuildOptions = {}): BuiltCluster {
  return buildClusterConfig({ clusterId, defaultHook, conditions: [], endpoint: () => undefined }, options);
}
