/**
 * What a resource and a scope contribute to every series (prometheusremotewrite helper.go
 * createAttributes, metrics_to_prw.go promotedAttributes): `job` from service.namespace +
 * service.name, `instance` from service.instance.id, the promoted resource attributes and,
 * with promote_scope_metadata, the scope labels. And the resource's `target_info` series
 * (helper.go addResourceTargetInfo).
 */
import type { Label } from '../wire/types.js';
import type { InstrumentationScope, KeyValue, Resource } from './model.js';
import type { OtlpTranslateOptions } from './options.js';
import { anyValueToString, compareUtf8, findAttribute } from './translate-values.js';

export const SERVICE_NAME = 'service.name';
export const SERVICE_NAMESPACE = 'service.namespace';
export const SERVICE_INSTANCE_ID = 'service.instance.id';
const IDENTIFYING = [SERVICE_NAMESPACE, SERVICE_NAME, SERVICE_INSTANCE_ID];

/** Prometheus's default PromQL lookback (5m); target_info gets a sample every half of it. */
export const TARGET_INFO_INTERVAL_MS = 150_000;

export interface ResourceLabels {
  readonly job?: string;
  readonly instance?: string;
  /** Promoted attributes by their OTLP key (named by the label namer later), sorted by key. */
  readonly promoted: readonly Label[];
  /** Scope labels already named (`otel_scope_name`, ...): set by the scope, empty without promotion. */
  readonly scope: readonly (readonly [key: string, value: string])[];
}

/** Attributes as (key, string value) pairs, stably sorted by key (Go sort.Stable by name). */
export function stringAttributes(attrs: readonly KeyValue[], skip?: ReadonlySet<string>): Label[] {
  const out: Label[] = [];
  let sorted = true;
  for (const kv of attrs) {
    if (skip?.has(kv.key)) continue;
    if (sorted && out.length > 0 && compareUtf8(out[out.length - 1]!.name, kv.key) > 0) sorted = false;
    out.push({ name: kv.key, value: anyValueToString(kv.value) });
  }
  // SDKs mostly send attributes sorted already: checking that is cheaper than sorting.
  return sorted ? out : out.sort((a, b) => compareUtf8(a.name, b.name));
}

/** job / instance (helper.go: `namespace/name` when service.namespace is set) and the promoted attributes. */
export function resourceLabels(resource: Resource, options: OtlpTranslateOptions): ResourceLabels {
  const attrs = resource.attributes;
  const name = findAttribute(attrs, SERVICE_NAME);
  const namespace = findAttribute(attrs, SERVICE_NAMESPACE);
  const instance = findAttribute(attrs, SERVICE_INSTANCE_ID);
  let job: string | undefined;
  if (name !== undefined) {
    job = anyValueToString(name);
    if (namespace !== undefined) job = `${anyValueToString(namespace)}/${job}`;
  }
  let promoted: Label[];
  if (options.promoteAllResourceAttributes) {
    promoted = stringAttributes(attrs, new Set(options.ignoreResourceAttributes));
  } else if (options.promoteResourceAttributes.length > 0) {
    const wanted = new Set(options.promoteResourceAttributes);
    promoted = stringAttributes(attrs.filter((kv) => wanted.has(kv.key)));
  } else promoted = [];
  return {
    ...(job === undefined ? {} : { job }),
    ...(instance === undefined ? {} : { instance: anyValueToString(instance) }),
    promoted,
    scope: [],
  };
}

/**
 * The scope labels (helper.go, promote_scope_metadata, Prometheus 3.6+): only when the scope has
 * a name; `otel_scope_<attribute key>` goes through the label namer. Later entries win.
 */
export function scopeLabels(
  scope: InstrumentationScope,
  schemaUrl: string,
  options: OtlpTranslateOptions,
  nameLabel: (key: string) => string | undefined,
): (readonly [string, string])[] {
  if (!options.promoteScopeMetadata || scope.name === '') return [];
  const out: (readonly [string, string])[] = [
    ['otel_scope_name', scope.name],
    ['otel_scope_version', scope.version],
    ['otel_scope_schema_url', schemaUrl],
  ];
  for (const kv of scope.attributes) {
    const n = nameLabel(`otel_scope_${kv.key}`);
    if (n !== undefined) out.push([n, anyValueToString(kv.value)]);
  }
  return out;
}

/**
 * The attributes target_info carries, or undefined when it is not emitted: a resource with no
 * attributes besides the identifying ones, or with neither service.name nor service.instance.id
 * (helper.go: "We need at least one identifying label"). Identifying attributes are left out
 * unless keep_identifying_resource_attributes; promoted attributes stay on target_info.
 */
export function targetInfoAttributes(resource: Resource, options: OtlpTranslateOptions): Label[] | undefined {
  const attrs = resource.attributes;
  let nonIdentifying = attrs.length;
  for (const key of IDENTIFYING) if (findAttribute(attrs, key) !== undefined) nonIdentifying--;
  if (nonIdentifying <= 0) return undefined;
  if (findAttribute(attrs, SERVICE_NAME) === undefined && findAttribute(attrs, SERVICE_INSTANCE_ID) === undefined) {
    return undefined;
  }
  return stringAttributes(attrs, options.keepIdentifyingResourceAttributes ? undefined : new Set(IDENTIFYING));
}

/**
 * target_info's sample timestamps (ms) for a resource whose points span [earliestNs, latestNs]
 * (Prometheus 3.6+): from the earliest, every half lookback (2m30s) while before the latest,
 * then the latest. `count` bounds the work: the caller spends the element budget first.
 */
export function targetInfoTimestamps(
  earliestNs: bigint,
  latestNs: bigint,
): { count: number; at: (i: number) => number } {
  const interval = BigInt(TARGET_INFO_INTERVAL_MS) * 1_000_000n;
  const startMs = Number(earliestNs / 1_000_000n);
  const latestMs = Number(latestNs / 1_000_000n);
  const steps = latestNs > earliestNs ? (latestNs - earliestNs + interval - 1n) / interval : 0n;
  const stepped = Number(steps > 1n << 40n ? 1n << 40n : steps);
  const lastStepped = startMs + (stepped - 1) * TARGET_INFO_INTERVAL_MS;
  const extra = stepped === 0 || lastStepped < latestMs ? 1 : 0;
  return {
    count: stepped + extra,
    at: (i) => (i < stepped ? startMs + i * TARGET_INFO_INTERVAL_MS : latestMs),
  };
}
