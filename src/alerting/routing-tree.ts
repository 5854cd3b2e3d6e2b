/**
 * The routing tree of one cluster, with the meaning of Opni's tree:
 *
 *   root (default hook, group_by ['...'])
 *   ├─ opni subtree: alerts without opni_datasource
 *   │   ├─ one branch per condition type present   (<type label>!="")
 *   │   │   ├─ one leaf per condition               (<type label>="<id>", continue,
 *   │   │   │                                         receiver opni__<type label>__<id>)
 *   │   │   └─ closing route                         (default hook)
 *   ├─ severity branch for plain notifications     (opni_severity=~"info|warning|error|critical")
 *   └─ closing route                                 (default hook): nothing leaks out
 *
 * So an alert of condition X reaches exactly [receiver of X, opni.default.hook].
 */
import type { ConditionType, Severity } from './condition-types.js';
import {
  CONDITION_TYPES,
  DATASOURCE_LABEL,
  DEFAULT_HOOK_RECEIVER,
  SEVERITIES,
  SEVERITY_LABEL,
  TYPE_LABELS,
  conditionReceiverName,
} from './condition-types.js';
import type { Condition } from './model.js';

export interface Route {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: Route[];
}

/** Root timings: Alertmanager's own defaults, written out so the config reads alone. */
export const ROOT_TIMINGS = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' } as const;

const eq = (label: string, value: string): string => `${label}=${JSON.stringify(value)}`;

function conditionLeaf(c: Condition): Route {
  const leaf: Route = {
    matchers: [eq(TYPE_LABELS[c.type], c.id)],
    receiver: conditionReceiverName(c.type, c.id),
    continue: true,
  };
  if (c.initial_delay !== undefined) leaf.group_wait = c.initial_delay;
  if (c.throttling !== undefined) leaf.group_interval = c.throttling;
  if (c.repeat !== undefined) leaf.repeat_interval = c.repeat;
  return leaf;
}

function typeBranch(type: ConditionType, conditions: readonly Condition[]): Route {
  return {
    matchers: [`${TYPE_LABELS[type]}!=""`],
    routes: [...conditions.map(conditionLeaf), { receiver: DEFAULT_HOOK_RECEIVER }],
  };
}

function severityBranch(): Route {
  const severities: readonly Severity[] = SEVERITIES;
  return {
    matchers: [`${SEVERITY_LABEL}=~"${severities.join('|')}"`],
    routes: severities.map((s) => ({ matchers: [eq(SEVERITY_LABEL, s)], receiver: DEFAULT_HOOK_RECEIVER })),
  };
}

/** Conditions sorted by type (declaration order of CONDITION_TYPES), then id: stable output. */
export function sortConditions(conditions: readonly Condition[]): Condition[] {
  const order = new Map<ConditionType, number>(CONDITION_TYPES.map((t, i) => [t, i]));
  return [...conditions].sort(
    (a, b) => (order.get(a.type) ?? 0) - (order.get(b.type) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export function buildRoutingTree(conditions: readonly Condition[]): Route {
  const byType = new Map<ConditionType, Condition[]>();
  for (const c of sortConditions(conditions)) {
    const list = byType.get(c.type) ?? [];
    list.push(c);
    byType.set(c.type, list);
  }
  const opniSubtree: Route = {
    matchers: [`${DATASOURCE_LABEL}=""`],
    routes: [...byType].map(([type, list]) => typeBranch(type, list)),
  };
  if (opniSubtree.routes?.length === 0) delete opniSubtree.routes;
  return {
    receiver: DEFAULT_HOOK_RECEIVER,
    group_by: ['...'],
    ...ROOT_TIMINGS,
    routes: [opniSubtree, severityBranch(), { receiver: DEFAULT_HOOK_RECEIVER }],
  };
}
