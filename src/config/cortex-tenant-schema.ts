import { z } from 'zod';
import { LOG_LEVEL_HINT, parseLogLevel } from '../logger.js';
import { tenantIdProblem } from '../tenant/tenant-id.js';
import { tenantOptionsSchema } from '../tenant/options.js';
import { otlpOptionsSchema } from '../otlp/options.js';
import { queueFileSchema } from './queue-settings.js';
import { tenantLimitsFileSchema } from './tenant-limits.js';
import { yamlBool, yamlBytes, yamlCount, yamlDuration, yamlString } from './yaml-scalars.js';

export { yamlBool, yamlBytes, yamlCount, yamlDuration, yamlString } from './yaml-scalars.js';

/**
 * cortex-tenant's YAML file, key for key (snake_case, strict: an unknown key is an error, as
 * with Go's yaml.UnmarshalStrict), plus the tenantwire-only keys at the end. Scalars follow
 * Go's yaml.v2 where it is more lenient than YAML 1.2: a number is accepted for a string
 * (`default: 123`), yes/no/on/off for a bool.
 */

/** A string checked by `problem` (undefined: fine); empty stays allowed, as it means unset. */
const checked = (problem: (v: string) => string | undefined) =>
  yamlString.superRefine((v, ctx) => {
    const why = v === '' ? undefined : problem(v);
    if (why !== undefined) ctx.addIssue({ code: 'custom', message: why });
  });

const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/;

/** An address to listen on, as Go's net.Listen takes it: `host:port`, `:port`, `[v6]:port`. */
export const yamlHostPort = checked((v) => {
  const m = HOST_PORT.exec(v.trim());
  if (m && Number(m[3]) <= 65535) return undefined;
  return `expected host:port (like 127.0.0.1:8080, :8080 or [::1]:8080), got ${JSON.stringify(v)}`;
});

/** `target` and `target_loki`: a URL (`http://` is added when it has no scheme) over http, https or dir. */
export function withScheme(value: string): string {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`;
}

export const yamlTargetUrl = checked((v) => {
  let parsed: URL;
  try {
    parsed = new URL(withScheme(v));
  } catch {
    return `${JSON.stringify(v)} is not a valid URL`;
  }
  if (!['http:', 'https:', 'dir:'].includes(parsed.protocol))
    return `unsupported scheme ${parsed.protocol} (use http, https or dir)`;
  return undefined;
});

const yamlLogLevel = checked((v) =>
  parseLogLevel(v) === undefined ? `unknown level ${JSON.stringify(v)} (${LOG_LEVEL_HINT})` : undefined,
);

// RFC 7617: the user-id of basic auth cannot hold a colon (it separates the password).
const yamlBasicUser = checked((v) =>
  /[:\x00-\x1f\x7f]/.test(v) ? 'a basic auth username may not contain ":" or control characters' : undefined,
);

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const yamlHeaderName = checked((v) =>
  HEADER_NAME.test(v) ? undefined : `${JSON.stringify(v)} is not a valid HTTP header name`,
);

/** Text that must be part of a tenant id (a prefix, a default): only the tenant id alphabet. */
const yamlTenantPart = checked((v) =>
  tenantIdProblem(`a${v}`) === undefined
    ? undefined
    : `${JSON.stringify(v)} cannot be part of a tenant id ` +
      `(allowed: a-z A-Z 0-9 and !-_.*'(), at most 150 bytes in all)`,
);

const egressSchema = z.strictObject({
  username: yamlBasicUser.optional(),
  password: yamlString.optional(),
  tls_config: z.strictObject({ ca_bundle_file: yamlString.optional() }).nullish(),
});

/** A tenant pattern of auth.ingress.users[].tenants: tenant id characters, `*` a wildcard. */
const yamlTenantPattern = yamlString.superRefine((v, ctx) => {
  const why = tenantIdProblem(v);
  if (why !== undefined) ctx.addIssue({ code: 'custom', message: `the tenant pattern ${JSON.stringify(v)} ${why}` });
});

/** tenantwire-only: one credential of ingress authentication (checked further in cortex-tenant.ts). */
const ingressUserSchema = z.strictObject({
  username: yamlBasicUser.optional(),
  password_file: yamlString.optional(),
  bearer_token_file: yamlString.optional(),
  tenants: z.array(yamlTenantPattern).min(1, 'an empty list would allow no tenant: list at least one pattern'),
});

const ingressSchema = z.strictObject({
  tls_config: z.strictObject({ cert_file: yamlString.optional(), key_file: yamlString.optional() }).nullish(),
  // ---- tenantwire-only keys ----
  users: z.array(ingressUserSchema).nullish(),
  on_forbidden: z.enum(['reject', 'drop']).optional(),
});

const tenantSchema = tenantOptionsSchema.extend({
  label: yamlString.optional(),
  label_list: z
    .array(yamlString)
    .nullish()
    .transform((v) => v ?? undefined),
  prefix: yamlTenantPart.optional(),
  prefix_prefer_source: yamlBool.optional(),
  label_remove: yamlBool.optional(),
  header: yamlHeaderName.optional(),
  default: yamlTenantPart.optional(),
  accept_all: yamlBool.optional(),
});

export const cortexTenantFileSchema = z.strictObject({
  listen: yamlHostPort.optional(),
  listen_pprof: yamlHostPort.optional(),
  listen_metrics_address: yamlHostPort.optional(),
  metrics_include_tenant: yamlBool.optional(),
  /** The same setting under the name older cortex-tenant releases used. */
  listen_metrics_include_tenant: yamlBool.optional(),
  target: yamlTargetUrl.optional(),
  target_loki: yamlTargetUrl.optional(),
  enable_ipv6: yamlBool.optional(),
  log_level: yamlLogLevel.optional(),
  timeout: yamlDuration.optional(),
  idle_timeout: yamlDuration.optional(),
  timeout_shutdown: yamlDuration.optional(),
  concurrency: yamlCount.optional(),
  metadata: yamlBool.optional(),
  log_response_errors: yamlBool.optional(),
  max_connection_duration: yamlDuration.optional(),
  max_conns_per_host: yamlCount.optional(),
  auth: z.strictObject({ egress: egressSchema.nullish(), ingress: ingressSchema.nullish() }).nullish(),
  tenant: tenantSchema.nullish(),
  // ---- tenantwire-only keys (cortex-tenant itself would reject them) ----
  workers: z.number().int().positive().optional(),
  max_request_bytes: yamlBytes.optional(),
  max_decoded_bytes: yamlBytes.optional(),
  max_decoded_elements: z.number().int().positive().optional(),
  max_tenants_per_request: z.number().int().nonnegative().optional(),
  max_decoded_bytes_in_flight: yamlBytes.optional(),
  forward_protocol: z.enum(['1.0', '2.0', 'same']).optional(),
  split_mode: z.enum(['wire', 'decode']).optional(),
  coalesce: yamlBool.optional(),
  coalesce_max_bytes: yamlBytes.optional(),
  data_dir: yamlString.optional(),
  max_connections: z.number().int().nonnegative().optional(),
  /** Queue mode: see queue-settings.ts. */
  queue: queueFileSchema.nullish(),
  /** Per-tenant limits: see tenant-limits.ts. */
  limits: tenantLimitsFileSchema.nullish(),
  /** How OTLP metrics (POST /v1/metrics) become series: see src/otlp/options.ts. */
  otlp: otlpOptionsSchema.nullish(),
});

export type CortexTenantFile = z.output<typeof cortexTenantFileSchema>;

/** Top-level keys that cortex-tenant itself knows. */
export const CORTEX_TENANT_KEYS: readonly string[] = [
  'listen',
  'listen_pprof',
  'listen_metrics_address',
  'metrics_include_tenant',
  'listen_metrics_include_tenant',
  'target',
  'target_loki',
  'enable_ipv6',
  'log_level',
  'timeout',
  'idle_timeout',
  'timeout_shutdown',
  'concurrency',
  'metadata',
  'log_response_errors',
  'max_connection_duration',
  'max_conns_per_host',
  'auth',
  'tenant',
];

/** Top-level keys only tenantwire knows. */
export const TENANTWIRE_KEYS: readonly string[] = [
  'workers',
  'max_request_bytes',
  'max_decoded_bytes',
  'max_decoded_elements',
  'max_tenants_per_request',
  'max_decoded_bytes_in_flight',
  'forward_protocol',
  'split_mode',
  'coalesce',
  'coalesce_max_bytes',
  'data_dir',
  'max_connections',
  'queue',
  'limits',
  'otlp',
];
