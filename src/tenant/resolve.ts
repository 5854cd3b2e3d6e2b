import { TenantError } from '../errors.js';
import type { Label } from '../wire/types.js';
import type { TenantOptions } from './options.js';
import { escapeForMessage, tenantIdProblem } from './tenant-id.js';

/**
 * Finding a series' tenant, shared by the wire and the object paths:
 * 1. the first label of `labels` (priority order) present with a non-empty value names it, and
 *    `mapping` (mapping.ts) may turn that value into another one;
 * 2. none: `on_missing` decides: `default` takes the default tenant (never mapped: it is a
 *    tenant id already), `drop` drops the series (`undefined` here, counted by the caller),
 *    `reject` is a TenantError `missing_tenant` (the whole request is a 400);
 * 3. the prefix is prepended: `prefix`, or with `prefix_prefer_source` a non-empty incoming
 *    tenant header plus `-` (applied to the default tenant too, as cortex-tenant does);
 * 4. the FINAL id is validated: TenantError `invalid_tenant` naming the series and the value.
 */

/** The prefix for one request, computed once from the incoming tenant header. */
export function tenantPrefixFor(options: TenantOptions, sourceTenant: string | undefined): string {
  if (options.prefixPreferSource && sourceTenant !== undefined && sourceTenant !== '') return `${sourceTenant}-`;
  return options.prefix;
}

/**
 * The final tenant id from the raw label value (`undefined` or '' when no listed label has a
 * value), or `undefined` when the series is to be dropped (`on_missing: drop`).
 * `describeSeries` is only called on the error path.
 */
export function finalizeTenant(
  options: TenantOptions,
  prefix: string,
  rawValue: string | undefined,
  describeSeries: () => string,
): string | undefined {
  if (rawValue === undefined || rawValue === '') {
    if (options.onMissing === 'drop') return undefined;
    if (options.onMissing === 'reject' || options.default === undefined) {
      throw missingTenant(options, describeSeries());
    }
    return checkedTenant(prefix + options.default, undefined, describeSeries);
  }
  const mapped = options.mapping === undefined ? rawValue : options.mapping.apply(rawValue);
  return checkedTenant(prefix + mapped, mapped === rawValue ? undefined : rawValue, describeSeries);
}

/** The default tenant with the prefix (for metadata), or `undefined` when none is configured. */
export function defaultTenantFor(options: TenantOptions, prefix: string): string | undefined {
  if (options.default === undefined) return undefined;
  return checkedTenant(prefix + options.default, undefined, () => '(metadata)');
}

function checkedTenant(tenant: string, mappedFrom: string | undefined, describeSeries: () => string): string {
  const problem = tenantIdProblem(tenant);
  if (problem !== undefined) {
    const from = mappedFrom === undefined ? '' : ` (mapped from "${escapeForMessage(mappedFrom)}")`;
    throw new TenantError(
      'invalid_tenant',
      `invalid tenant "${escapeForMessage(tenant)}"${from} for series ${describeSeries()}: the tenant id ${problem}`,
    );
  }
  return tenant;
}

export function missingTenant(options: TenantOptions, series: string): TenantError {
  const names = options.labels.map((l) => `"${escapeForMessage(l)}"`).join(', ');
  const which = options.labels.length === 1 ? `label ${names}` : `labels ${names}`;
  const why = options.default === undefined ? 'no default tenant is configured' : 'on_missing is reject';
  return new TenantError('missing_tenant', `series ${series} has no tenant: ${which} missing or empty and ${why}`);
}

/**
 * One request's tenant resolution with a cache by raw value, so that mapping rules (a regex)
 * run once per distinct value per request, not once per series.
 */
export interface TenantResolver {
  /** As finalizeTenant. */
  resolve(rawValue: string | undefined, describeSeries: () => string): string | undefined;
}

export function createTenantResolver(options: TenantOptions, prefix: string): TenantResolver {
  const cache = new Map<string, string>();
  return {
    resolve(rawValue, describeSeries) {
      if (rawValue === undefined || rawValue === '') return finalizeTenant(options, prefix, rawValue, describeSeries);
      let tenant = cache.get(rawValue);
      if (tenant === undefined) {
        tenant = finalizeTenant(options, prefix, rawValue, describeSeries)!;
        cache.set(rawValue, tenant);
      }
      return tenant;
    },
  };
}

/** The index in `labels` of the label naming the tenant (priority order), or -1. */
export function findTenantLabel(options: TenantOptions, labels: readonly Label[]): number {
  for (const name of options.labels) {
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l !== undefined && l.name === name && l.value !== '') return i;
    }
  }
  return -1;
}

export interface ResolvedSeriesTenant {
  /** `undefined`: drop the series (`on_missing: drop`). */
  readonly tenant: string | undefined;
  /** Index of the label that named the tenant, -1 when the default tenant was used. */
  readonly labelIndex: number;
}

/** Resolves the tenant of a decoded series (object path), through `resolver` when given. */
export function resolveSeriesTenant(
  options: TenantOptions,
  prefix: string,
  labels: readonly Label[],
  resolver?: TenantResolver,
): ResolvedSeriesTenant {
  const labelIndex = findTenantLabel(options, labels);
  const raw = labelIndex >= 0 ? labels[labelIndex]?.value : undefined;
  const describe = (): string => describeLabels(labels);
  const tenant = resolver ? resolver.resolve(raw, describe) : finalizeTenant(options, prefix, raw, describe);
  return { tenant, labelIndex };
}

/**
 * A short, safe description of a series for error messages: `name{a="b", ...}` with values
 * escaped and the whole cut to about 300 characters.
 */
export function describeLabels(labels: Iterable<Label>): string {
  let name = '';
  const parts: string[] = [];
  for (const l of labels) {
    if (l.name === '__name__') name = l.value;
    else parts.push(`${escapeForMessage(l.name, 64)}="${escapeForMessage(l.value, 64)}"`);
  }
  let text = `${escapeForMessage(name, 100)}{${parts.join(', ')}}`;
  if (text.length > 300) text = `${text.slice(0, 300)}...}`;
  return text;
}
