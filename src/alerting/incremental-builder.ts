/**
 * Keeps one built config per cluster id and rebuilds only the clusters a change touches.
 * Two ways in: `load(model)` diffs a whole new model against the current one by id, and
 * `apply(changes)` takes changes by id (the Ops Server's sync stream) without looking at the
 * rest of the model. Pure: no I/O, no clock.
 */
import { AlertingError } from '../errors.js';
import { isBackendType } from './condition-types.js';
import { buildClusterConfig } from './build-cluster.js';
import type { BuildOptions, BuiltCluster } from './build-cluster.js';
import { createClusterIndex, sameCondition, sameEndpoint } from './cluster-index.js';
import type { Endpoint } from './endpoint-schema.js';
import { endpointSchema } from './endpoint-schema.js';
import { clusterSchema, conditionCluster, conditionSchema } from './model.js';
import type { AlertingModel, Cluster, Condition } from './model.js';
import { configErrorFromZodSummary } from '../zod-errors.js';

export type ModelChange =
  | { readonly op: 'upsert_condition'; readonly condition: unknown }
  | { readonly op: 'delete_condition'; readonly id: string }
  | { readonly op: 'upsert_endpoint'; readonly endpoint: unknown }
  | { readonly op: 'delete_endpoint'; readonly id: string }
  | { readonly op: 'upsert_cluster'; readonly cluster: unknown }
  | { readonly op: 'delete_cluster'; readonly id: string };

export interface BuildDelta {
  /** Clusters rebuilt whose hash changed (or that are new). */
  readonly changed: readonly BuiltCluster[];
  /** Cluster ids that no longer exist. */
  readonly removed: readonly string[];
  /** How many clusters were rebuilt (changed or not). */
  readonly rebuilt: number;
}

export interface IncrementalBuilder {
  load(model: AlertingModel): BuildDelta;
  apply(changes: readonly ModelChange[]): BuildDelta;
  get(clusterId: string): BuiltCluster | undefined;
  /** Every cluster id with its built config, the global id included. */
  all(): ReadonlyMap<string, BuiltCluster>;
  clusterIds(): string[];
  /** The current model, materialised (O(size)). */
  model(): AlertingModel;
  clustersOfEndpoint(endpointId: string): string[];
}

export function createIncrementalBuilder(options: BuildOptions = {}): IncrementalBuilder {
  let globalId = '';
  let defaultHook = '';
  let clusters = new Map<string, Cluster>();
  let endpoints = new Map<string, Endpoint>();
  const index = createClusterIndex();
  const built = new Map<string, BuiltCluster>();

  const known = (id: string): boolean => id === globalId || clusters.has(id);

  function rebuild(touched: Set<string>, removedIds: Iterable<string>): BuildDelta {
    const changed: BuiltCluster[] = [];
    const removed: string[] = [];
    for (const id of removedIds) {
      if (!known(id) && built.delete(id)) removed.push(id);
    }
    let rebuilt = 0;
    for (const id of [...touched].sort()) {
      if (!known(id)) continue;
      const b = buildClusterConfig(
        {
          clusterId: id,
          defaultHook,
          conditions: [...index.conditionsOf(id).values()],
          endpoint: (e) => endpoints.get(e),
        },
        options,
      );
      rebuilt += 1;
      if (built.get(id)?.hash !== b.hash) changed.push(b);
      built.set(id, b);
    }
    return { changed, removed, rebuilt };
  }

  function checkCondition(c: Condition): string {
    if (isBackendType(c.type)) {
      if (c.cluster !== undefined && c.cluster !== globalId)
        throw new AlertingError(
          'alerting_bad_change',
          `condition ${c.id}: a ${c.type} condition belongs to the global cluster id`,
        );
    } else if (c.cluster === undefined || !clusters.has(c.cluster)) {
      throw new AlertingError(
        'alerting_bad_change',
        `condition ${c.id}: unknown cluster ${JSON.stringify(c.cluster ?? '')}`,
      );
    }
    for (const e of c.endpoints) {
      if (!endpoints.has(e))
        throw new AlertingError('alerting_bad_change', `condition ${c.id}: unknown endpoint ${JSON.stringify(e)}`);
    }
    return conditionCluster({ global_cluster_id: globalId }, c);
  }

  function applyOne(ch: ModelChange, touched: Set<string>, removed: Set<string>): void {
    switch (ch.op) {
      case 'upsert_condition': {
        const r = conditionSchema.safeParse(ch.condition);
        if (!r.success) throw configErrorFromZodSummary('alerting_bad_change', 'invalid condition', r.error);
        const clusterId = checkCondition(r.data);
        const before = index.clusterOfCondition(r.data.id);
        if (before !== undefined) touched.add(before);
        index.addCondition(clusterId, r.data);
        touched.add(clusterId);
        return;
      }
      case 'delete_condition': {
        const before = index.clusterOfCondition(ch.id);
        if (before !== undefined) touched.add(before);
        index.removeCondition(ch.id);
        return;
      }
      case 'upsert_endpoint': {
        const r = endpointSchema.safeParse(ch.endpoint);
        if (!r.success) throw configErrorFromZodSummary('alerting_bad_change', 'invalid endpoint', r.error);
        endpoints.set(r.data.id, r.data);
        for (const c of index.clustersOfEndpoint(r.data.id)) touched.add(c);
        return;
      }
      case 'delete_endpoint': {
        const users = index.clustersOfEndpoint(ch.id);
        if (users.length > 0)
          throw new AlertingError(
            'alerting_bad_change',
            `endpoint ${ch.id} is still used in clusters ${users.join(', ')}`,
          );
        endpoints.delete(ch.id);
        return;
      }
      case 'upsert_cluster': {
        const r = clusterSchema.safeParse(ch.cluster);
        if (!r.success) throw configErrorFromZodSummary('alerting_bad_change', 'invalid cluster', r.error);
        if (r.data.id === globalId)
          throw new AlertingError('alerting_bad_change', `cluster id equals the global cluster id ${globalId}`);
        if (!clusters.has(r.data.id)) touched.add(r.data.id);
        clusters.set(r.data.id, r.data);
        return;
      }
      case 'delete_cluster': {
        if (index.conditionsOf(ch.id).size > 0)
          throw new AlertingError('alerting_bad_change', `cluster ${ch.id} still has conditions`);
        clusters.delete(ch.id);
        removed.add(ch.id);
        return;
      }
    }
  }

  return {
    load(model) {
      const touched = new Set<string>();
      const all = globalId !== model.global_cluster_id || defaultHook !== model.default_hook;
      const nextClusters = new Map(model.clusters.map((c) => [c.id, c]));
      const nextEndpoints = new Map(model.endpoints.map((e) => [e.id, e]));
      const removedIds = [...built.keys()].filter((id) => id !== model.global_cluster_id && !nextClusters.has(id));
      for (const [id, e] of nextEndpoints) {
        const old = endpoints.get(id);
        if (old === undefined || !sameEndpoint(old, e)) for (const c of index.clustersOfEndpoint(id)) touched.add(c);
      }
      // Diff in place: unchanged conditions (same cluster, same fields) cost one comparison.
      const nextIds = new Set<string>();
      for (const c of model.conditions) {
        const clusterId = conditionCluster(model, c);
        nextIds.add(c.id);
        const old = index.condition(c.id);
        const oldCluster = index.clusterOfCondition(c.id);
        if (old !== undefined && oldCluster === clusterId && sameCondition(old, c)) continue;
        touched.add(clusterId);
        if (oldCluster !== undefined) touched.add(oldCluster);
        index.addCondition(clusterId, c);
      }
      if (nextIds.size !== index.conditionCount()) {
        for (const id of [...index.conditionIds()]) {
          if (nextIds.has(id)) continue;
          touched.add(index.clusterOfCondition(id) ?? '');
          index.removeCondition(id);
        }
      }
      globalId = model.global_cluster_id;
      defaultHook = model.default_hook;
      clusters = nextClusters;
      endpoints = nextEndpoints;
      for (const id of [globalId, ...clusters.keys()]) if (all || !built.has(id)) touched.add(id);
      return rebuild(touched, removedIds);
    },
    apply(changes) {
      if (globalId === '') throw new AlertingError('alerting_not_loaded', 'load a model before applying changes');
      const touched = new Set<string>();
      const removed = new Set<string>();
      try {
        for (const ch of changes) applyOne(ch, touched, removed);
      } catch (e) {
        // Changes before the bad one stay applied: keep the built configs in step with them.
        rebuild(touched, removed);
        throw e;
      }
      return rebuild(touched, removed);
    },
    get: (id) => built.get(id),
    all: () => built,
    clusterIds: () => [...built.keys()],
    clustersOfEndpoint: (id) => index.clustersOfEndpoint(id),
    model: () => ({
      global_cluster_id: globalId,
      default_hook: defaultHook,
      clusters: [...clusters.values()],
      endpoints: [...endpoints.values()],
      conditions: [globalId, ...clusters.keys()].flatMap((id) => [...index.conditionsOf(id).values()]),
    }),
  };
}
