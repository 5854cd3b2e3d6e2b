/**
 * The index from conditions and endpoints to the cluster ids they touch: what lets a change
 * rebuild only the clusters it concerns. Mutable, owned by the incremental builder.
 */
import type { Endpoint } from './endpoint-schema.js';
import type { Condition } from './model.js';

export interface ClusterIndex {
  /** Conditions of one cluster id, by condition id. */
  conditionsOf(clusterId: string): ReadonlyMap<string, Condition>;
  clusterOfCondition(conditionId: string): string | undefined;
  /** Cluster ids whose conditions use the endpoint. */
  clustersOfEndpoint(endpointId: string): string[];
  addCondition(clusterId: string, c: Condition): void;
  removeCondition(conditionId: string): Condition | undefined;
  condition(conditionId: string): Condition | undefined;
  conditionCount(): number;
  conditionIds(): IterableIterator<string>;
}

const EMPTY: ReadonlyMap<string, Condition> = new Map();

export function createClusterIndex(): ClusterIndex {
  const byCluster = new Map<string, Map<string, Condition>>();
  const clusterOf = new Map<string, string>();
  const conditions = new Map<string, Condition>();
  /** endpoint id -> cluster id -> number of conditions there using it */
  const endpointUse = new Map<string, Map<string, number>>();

  const countEndpoint = (endpointId: string, clusterId: string, delta: number): void => {
    const m = endpointUse.get(endpointId) ?? new Map<string, number>();
    const n = (m.get(clusterId) ?? 0) + delta;
    if (n <= 0) m.delete(clusterId);
    else m.set(clusterId, n);
    if (m.size === 0) endpointUse.delete(endpointId);
    else endpointUse.set(endpointId, m);
  };

  const index: ClusterIndex = {
    conditionsOf: (clusterId) => byCluster.get(clusterId) ?? EMPTY,
    clusterOfCondition: (id) => clusterOf.get(id),
    clustersOfEndpoint: (id) => [...(endpointUse.get(id)?.keys() ?? [])],
    condition: (id) => conditions.get(id),
    conditionCount: () => conditions.size,
    conditionIds: () => conditions.keys(),
    addCondition(clusterId, c) {
      index.removeCondition(c.id);
      const m = byCluster.get(clusterId) ?? new Map<string, Condition>();
      m.set(c.id, c);
      byCluster.set(clusterId, m);
      clusterOf.set(c.id, clusterId);
      conditions.set(c.id, c);
      for (const e of c.endpoints) countEndpoint(e, clusterId, 1);
    },
    removeCondition(id) {
      const clusterId = clusterOf.get(id);
      const c = conditions.get(id);
      if (clusterId === undefined || c === undefined) return undefined;
      const m = byCluster.get(clusterId);
      m?.delete(id);
      if (m && m.size === 0) byCluster.delete(clusterId);
      clusterOf.delete(id);
      conditions.delete(id);
      for (const e of c.endpoints) countEndpoint(e, clusterId, -1);
      return c;
    },
  };
  return index;
}

/** Field-by-field equality of two validated conditions (cheaper than serialising them). */
export function sameCondition(a: Condition, b: Condition): boolean {
  if (a === b) return true;
  if (
    a.id !== b.id ||
    a.name !== b.name ||
    a.type !== b.type ||
    a.cluster !== b.cluster ||
    a.severity !== b.severity ||
    a.initial_delay !== b.initial_delay ||
    a.throttling !== b.throttling ||
    a.repeat !== b.repeat ||
    a.endpoints.length !== b.endpoints.length
  ) {
    return false;
  }
  return a.endpoints.every((e, i) => e === b.endpoints[i]);
}

export const sameEndpoint = (a: Endpoint, b: Endpoint): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
