import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { DEFAULT_TENANT_HEADER } from '../protocol/headers.js';
import { compileMapping, type TenantMapping } from './mapping.js';
import { tenantIdProblem } from './tenant-id.js';

/** A YAML scalar read as text (`values: { a: 123 }` means the tenant "123"). */
const text = z.union([z.string(), z.number()]).transform((v) => String(v));

/** One `mapping` rule: `match` + `tenant`, or `values` (normalizeTenantOptions checks which). */
export const mappingRuleSchema = z.strictObject({
  /** A regex, anchored at both ends, matched against the tenant value. */
  match: z.string().optional(),
  /** What a `match` rule maps to: `$1`..`$9` and `${name}` are replaced by its groups. */
  tenant: text.optional(),
  /** An exact lookup table: value -> tenant. */
  values: z.record(z.string(), text).optional(),
});

export const ON_MISSING = ['reject', 'default', 'drop'] as const;
export type OnMissing = (typeof ON_MISSING)[number];

/**
 * The `tenant` block, shared by cortex-tenant's own config file and by the pipeline's
 * remote_write endpoints. Keys are cortex-tenant's, snake_case as in YAML.
 */
export const tenantOptionsSchema = z.strictObject({
  /** The label that names the tenant. Default `__tenant__`. Ignored when `label_list` is set. */
  label: z.string().optional(),
  /** Labels that may name the tenant, in priority order: the first one present and non-empty wins. */
  label_list: z.array(z.string()).optional(),
  /** Prepended to every tenant id. */
  prefix: z.string().optional(),
  /** A non-empty incoming tenant header plus `-` replaces `prefix`. */
  prefix_prefer_source: z.boolean().optional(),
  /** Remove the label that named the tenant from the series (only that one label). */
  label_remove: z.boolean().optional(),
  /** The header that carries the tenant, both incoming (source) and outgoing. */
  header: z.string().optional(),
  /** The tenant of series without a tenant label; unset: such a request is refused (400). */
  default: z.string().optional(),
  /** Answer 204 whatever the upstreams answer. */
  accept_all: z.boolean().optional(),
  /** Rules mapping the tenant value a label gave, in order, first match wins (see mapping.ts). */
  mapping: z.array(mappingRuleSchema).nullish(),
  /** A series without a tenant label: refused (400), sent to `default`, or dropped (counted). */
  on_missing: z.enum(ON_MISSING).optional(),
});

export type TenantOptionsInput = z.input<typeof tenantOptionsSchema>;

/** The normalized, camelCase form with every default applied. */
export interface TenantOptions {
  /** Candidate label names in priority order (never empty). */
  readonly labels: readonly string[];
  readonly prefix: string;
  readonly prefixPreferSource: boolean;
  readonly labelRemove: boolean;
  readonly header: string;
  /** `undefined` when no default tenant is configured. */
  readonly default: string | undefined;
  readonly acceptAll: boolean;
  /** `undefined` when no `mapping` rule is configured. */
  readonly mapping: TenantMapping | undefined;
  /** What happens to a series without a tenant label (unset: `default` when one is set, else `reject`). */
  readonly onMissing: OnMissing;
  /**
   * Forward metadata (cortex-tenant's top-level `metadata` key, not part of the `tenant`
   * block): see split-wire.ts for where metadata goes.
   */
  readonly metadata: boolean;
}

export const DEFAULT_TENANT_LABEL = '__tenant__';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Applies defaults the way cortex-tenant does (an empty string counts as unset for `label`,
 * `header` and `default`) and checks what can be checked once: header name syntax, label
 * names non-empty, the default tenant (with the static prefix) a valid tenant id.
 * `path` prefixes key names in error messages, e.g. `tenant`.
 */
export function normalizeTenantOptions(
  input: TenantOptionsInput | undefined,
  extras: { readonly metadata?: boolean; readonly path?: string } = {},
): TenantOptions {
  const raw = input ?? {};
  const at = (key: string): string => (extras.path ? `${extras.path}.${key}` : key);
  const list = raw.label_list?.filter((l) => l !== '') ?? [];
  if (raw.label_list && raw.label_list.length > 0 && list.length !== raw.label_list.length) {
    throw new ConfigError('invalid_value', `${at('label_list')}: label names may not be empty`);
  }
  const labels = list.length > 0 ? dedupe(list) : [raw.label || DEFAULT_TENANT_LABEL];
  const header = raw.header || DEFAULT_TENANT_HEADER;
  if (!HEADER_NAME.test(header)) {
    throw new ConfigError(
      'invalid_value',
      `${at('header')}: ${JSON.stringify(header)} is not a valid HTTP header name`,
    );
  }
  const prefix = raw.prefix ?? '';
  const def = raw.default || undefined;
  if (def !== undefined && !(raw.prefix_prefer_source ?? false)) {
    const problem = tenantIdProblem(prefix + def);
    if (problem) {
      throw new ConfigError(
        'invalid_value',
        `${at('default')}: the default tenant ${JSON.stringify(prefix + def)} ${problem}`,
      );
    }
  }
  const onMissing: OnMissing = raw.on_missing ?? (def !== undefined ? 'default' : 'reject');
  if (onMissing === 'default' && def === undefined) {
    throw new ConfigError('invalid_value', `${at('on_missing')}: "default" needs ${at('default')} to be set`);
  }
  return {
    labels,
    prefix,
    prefixPreferSource: raw.prefix_prefer_source ?? false,
    labelRemove: raw.label_remove ?? false,
    header,
    default: def,
    acceptAll: raw.accept_all ?? false,
    mapping: compileMapping(raw.mapping ?? undefined, at('mapping')),
    onMissing,
    metadata: extras.metadata ?? false,
  };
}

function dedupe(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** The runtime form: label names as UTF-8 bytes for the wire scanner, strings for objects. */
export interface CompiledTenantOptions extends TenantOptions {
  readonly labelBytes: readonly Uint8Array[];
  /** Header name in lower case, for reading the incoming (source) tenant. */
  readonly headerLower: string;
}

const utf8 = new TextEncoder();

export function compileTenantOptions(options: TenantOptions): CompiledTenantOptions {
  return {
    ...options,
    labelBytes: options.labels.map((l) => utf8.encode(l)),
    headerLower: options.header.toLowerCase(),
  };
}

/** Parse + normalize + compile in one step (throws ConfigError naming the key). */
export function tenantOptionsFrom(
  input: unknown,
  extras: { readonly metadata?: boolean; readonly path?: string } = {},
): CompiledTenantOptions {
  const parsed = tenantOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = [extras.path, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
    throw new ConfigError(
      issue?.code === 'unrecognized_keys' ? 'unknown_key' : 'invalid_value',
      `${where || '(tenant)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return compileTenantOptions(normalizeTenantOptions(parsed.data, extras));
}
