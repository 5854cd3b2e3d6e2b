import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseLogLevel, type LogLevel } from '../logger.js';
import { normalizeTenantOptions, type TenantOptions } from '../tenant/options.js';
import { applyEnvOverrides, type EnvOverride } from './cortex-tenant-env.js';
import {
  cortexTenantFileSchema,
  CORTEX_TENANT_KEYS,
  TENANTWIRE_KEYS,
  withScheme,
  type CortexTenantFile,
} from './cortex-tenant-schema.js';
import { normalizeExtras, type TenantwireExtras } from './tenantwire-extras.js';
import { normalizeIngressUsers, type IngressAuthConfig } from '../auth/ingress-users.js';
import { locateKeyLine, parseYaml } from './yaml-source.js';

/**
 * cortex-tenant's own config file, read unchanged: the same keys, defaults (from its
 * config.go), strictness and CT_* overrides, normalized to camelCase with durations in ms.
 */
export interface CortexTenantConfig extends TenantwireExtras {
  readonly listen: string;
  readonly listenPprof: string | undefined;
  /** Undefined: no second listener (the embedded default); `/metrics` is on `listen` either way. */
  readonly listenMetricsAddress: string | undefined;
  readonly metricsIncludeTenant: boolean;
  /** As written; may lack a scheme, as cortex-tenant allows. */
  readonly target: string;
  /**
   * `target` with `http://` added when it has no scheme; a relative `dir://PATH` is resolved
   * under `data_dir` when that is set.
   */
  readonly targetUrl: string;
  readonly targetLoki: string | undefined;
  readonly enableIpv6: boolean;
  readonly logLevel: LogLevel;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  /** 0: /alive does not report 503 before shutdown. */
  readonly timeoutShutdownMs: number;
  readonly concurrency: number;
  readonly metadata: boolean;
  readonly logResponseErrors: boolean;
  /** 0: keep outgoing connections forever. */
  readonly maxConnectionDurationMs: number;
  readonly maxConnsPerHost: number;
  readonly auth: {
    readonly egress: { readonly username?: string; readonly password?: string; readonly caBundleFile?: string };
    readonly ingress: {
      readonly certFile?: string;
      readonly keyFile?: string;
      /** tenantwire-only: credentials and their tenants (config/ingress-users.ts); undefined: open. */
      readonly users?: IngressAuthConfig;
    };
  };
  readonly tenant: TenantOptions;
  /** Where it came from: a file name, `(environment)` or `(embedded)`. */
  readonly source: string;
}

export type { LogLevel } from '../logger.js';

/** The defaults that differ between cortex-tenant's and tenantwire's own embedded config. */
interface Defaults {
  readonly listenMetricsAddress: string | undefined;
  /** Undefined: `dir://` + data_dir. */
  readonly target: string | undefined;
  readonly dataDir: string | undefined;
}

/** cortex-tenant's config.go. */
const CORTEX_TENANT_DEFAULTS: Defaults = {
  listenMetricsAddress: '0.0.0.0:9090',
  target: '127.0.0.1:9090',
  dataDir: undefined,
};
/** The demo: no second listener (9090 is Prometheus's own port), files under ./data. */
const EMBEDDED_DEFAULTS: Defaults = { listenMetricsAddress: undefined, target: undefined, dataDir: './data' };

export { MIB } from './tenantwire-extras.js';

export interface LoadOptions {
  /** Default: process.env. Pass {} to ignore the environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: the machine's available parallelism. */
  readonly defaultWorkers?: number;
}

/** Reads and validates a cortex-tenant config file (CT_* variables override it). */
export async function loadCortexTenantConfig(path: string, options: LoadOptions = {}): Promise<CortexTenantConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError('config_unreadable', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseCortexTenantConfig(text, path, options);
}

/** Validates cortex-tenant YAML text; `name` appears in error messages. */
export function parseCortexTenantConfig(text: string, name: string, options: LoadOptions = {}): CortexTenantConfig {
  const doc = parseYaml({ text, name });
  return cortexTenantConfigFromDocument(doc, { text, name }, options);
}

/** No file at all: defaults plus CT_* variables, as cortex-tenant runs without `-config`. */
export function cortexTenantConfigFromEnv(options: LoadOptions = {}): CortexTenantConfig {
  return cortexTenantConfigFromDocument({}, { text: '', name: '(environment)' }, options);
}

export function cortexTenantConfigFromDocument(
  doc: unknown,
  where: { readonly text: string; readonly name: string },
  options: LoadOptions = {},
  defaults: Defaults = CORTEX_TENANT_DEFAULTS,
): CortexTenantConfig {
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) {
    throw new ConfigError(
      'invalid_value',
      `${where.name}: the config must be a mapping of keys, not ${Array.isArray(doc) ? 'a list' : typeof doc}`,
    );
  }
  const { doc: merged, overrides } = applyEnvOverrides(
    (doc ?? {}) as Record<string, unknown>,
    options.env ?? process.env,
  );
  const parsed = cortexTenantFileSchema.safeParse(merged);
  if (!parsed.success) throw issuesToError(parsed.error.issues, where, overrides);
  return normalize(parsed.data, where.name, options, defaults);
}

function issuesToError(
  issues: readonly z.core.$ZodIssue[],
  where: { readonly text: string; readonly name: string },
  overrides: ReadonlyMap<string, EnvOverride>,
): ConfigError {
  const lines: string[] = [];
  let unknown = false;
  const at = (path: readonly PropertyKey[]): string => {
    const key = path.map(String).join('.');
    const env = overrides.get(key);
    if (env) return `${env.binding.env}=${JSON.stringify(env.raw)}`;
    const line = locateKeyLine(
      where.text,
      path.map((p) => (typeof p === 'number' ? p : String(p))),
    );
    return line !== undefined ? `${where.name}:${line}: ${key}` : `${where.name}: ${key || '(top level)'}`;
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      unknown = true;
      for (const key of issue.keys)
        lines.push(`${at([...issue.path, key])}: unknown key (not a cortex-tenant setting)`);
    } else {
      lines.push(`${at(issue.path)}: ${issue.message}`);
    }
  }
  return new ConfigError(unknown ? 'unknown_key' : 'invalid_value', lines.join('\n'));
}

function normalize(f: CortexTenantFile, source: string, options: LoadOptions, defaults: Defaults): CortexTenantConfig {
  // The schema refused unknown names already.
  const logLevel = parseLogLevel(f.log_level || 'warn') ?? 'warn';
  const egress = f.auth?.egress ?? {};
  const ingress = f.auth?.ingress?.tls_config ?? {};
  const ingressUsers = normalizeIngressUsers(f.auth?.ingress ?? undefined, source);
  if (egress.username && !egress.password) {
    throw new ConfigError('invalid_value', `${source}: auth.egress.username is set but auth.egress.password is not`);
  }
  if (egress.password && !egress.username) {
    throw new ConfigError(
      'invalid_value',
      `${source}: auth.egress.password is set but auth.egress.username is not (basic auth needs both)`,
    );
  }
  if (Boolean(ingress.cert_file) !== Boolean(ingress.key_file)) {
    const [set, unset] = ingress.cert_file ? ['cert_file', 'key_file'] : ['key_file', 'cert_file'];
    throw new ConfigError(
      'invalid_value',
      `${source}: auth.ingress.tls_config.${set} is set but auth.ingress.tls_config.${unset} is not: ` +
        `tls_config needs both cert_file and key_file`,
    );
  }
  const [now, old] = [f.metrics_include_tenant, f.listen_metrics_include_tenant];
  if (now !== undefined && old !== undefined && now !== old) {
    throw new ConfigError(
      'invalid_value',
      `${source}: metrics_include_tenant and listen_metrics_include_tenant (its older name) disagree; keep one`,
    );
  }
  const extras = normalizeExtras(f, options.defaultWorkers, defaults.dataDir);
  const dataDir = extras.dataDir;
  const target = f.target || defaults.target || `dir://${encodePath(dataDir ?? '.')}`;
  const tenant = inFile(source, () =>
    normalizeTenantOptions(f.tenant ?? undefined, { metadata: f.metadata ?? false, path: 'tenant' }),
  );
  const config: CortexTenantConfig = {
    listen: f.listen || '127.0.0.1:8081',
    listenPprof: f.listen_pprof || undefined,
    listenMetricsAddress: f.listen_metrics_address || defaults.listenMetricsAddress,
    metricsIncludeTenant: f.metrics_include_tenant ?? f.listen_metrics_include_tenant ?? false,
    target,
    targetUrl: f.target ? targetUrl(f.target, dataDir, source, 'target') : withScheme(target),
    targetLoki: f.target_loki ? targetUrl(f.target_loki, dataDir, source, 'target_loki') : undefined,
    enableIpv6: f.enable_ipv6 ?? false,
    logLevel,
    timeoutMs: f.timeout || 10_000,
    idleTimeoutMs: f.idle_timeout || 60_000,
    timeoutShutdownMs: f.timeout_shutdown ?? 0,
    concurrency: f.concurrency || 512,
    metadata: f.metadata ?? false,
    logResponseErrors: f.log_response_errors ?? false,
    maxConnectionDurationMs: f.max_connection_duration ?? 0,
    maxConnsPerHost: f.max_conns_per_host || 64,
    auth: {
      egress: {
        ...(egress.username ? { username: egress.username } : {}),
        ...(egress.password ? { password: egress.password } : {}),
        ...(egress.tls_config?.ca_bundle_file ? { caBundleFile: egress.tls_config.ca_bundle_file } : {}),
      },
      ingress: {
        ...(ingress.cert_file ? { certFile: ingress.cert_file } : {}),
        ...(ingress.key_file ? { keyFile: ingress.key_file } : {}),
        ...(ingressUsers ? { users: ingressUsers } : {}),
      },
    },
    tenant,
    ...extras,
    dataDir,
    source,
  };
  return config;
}

/** A cross-key error of the tenant block (it names the key) also names the file. */
function inFile<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.code, `${source}: ${e.message}`);
    throw e;
  }
}

/** Path segments percent-encoded, so that `dir://` URLs survive any file name. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * A target URL with its scheme; a relative `dir://PATH` (or bare `dir://`) is resolved under
 * `data_dir`, an absolute `dir:///PATH` is kept.
 */
function targetUrl(value: string, dataDir: string | undefined, source: string, key: string): string {
  const url = withScheme(value);
  if (!url.startsWith('dir://')) return url;
  const rest = url.slice('dir://'.length);
  if (rest.startsWith('/')) return url;
  if (dataDir === undefined) {
    if (rest === '') throw new ConfigError('invalid_value', `${source}: ${key}: dir:// needs a path (or data_dir)`);
    return url;
  }
  return `dir://${encodePath(join(dataDir, decodeURIComponent(rest)))}`;
}

/** A copy safe to log: the egress password and any password inside a URL are replaced. */
export function redactConfig(config: CortexTenantConfig): CortexTenantConfig {
  const egress = config.auth.egress.password ? { ...config.auth.egress, password: '<redacted>' } : config.auth.egress;
  return {
    ...config,
    target: redactUrl(config.target),
    targetUrl: redactUrl(config.targetUrl),
    ...(config.targetLoki ? { targetLoki: redactUrl(config.targetLoki) } : {}),
    auth: { ...config.auth, egress },
  };
}

function redactUrl(value: string): string {
  return value.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/, '$1:<redacted>@');
}

/**
 * The config tenantwire runs with when given none: listen on loopback :8080, write to the
 * directory transport under `data_dir` (./data), tenant label `__tenant__`, and the default
 * tenant `anonymous` so that a plain Prometheus pointed at it works at once (a series with a
 * `__tenant__` label still goes to that tenant). Logs at info. No second metrics listener: its
 * cortex-tenant default, 9090, is the port of the Prometheus users run next to it; `/metrics` is
 * served on `listen`.
 */
export function embeddedDefaultConfig(options: LoadOptions = {}): CortexTenantConfig {
  const doc = {
    listen: '127.0.0.1:8080',
    log_level: 'info',
    tenant: { label: '__tenant__', default: 'anonymous' },
  };
  // CT_* and TENANTWIRE_* variables still apply, so `CT_LISTEN=127.0.0.1:9999 tenantwire` moves it.
  return cortexTenantConfigFromDocument(doc, { text: '', name: '(embedded)' }, options, EMBEDDED_DEFAULTS);
}

/**
 * True when a parsed YAML document is cortex-tenant's format rather than the pipeline format
 * (whose top-level keys are component kinds with a dot, like `prometheus.receive_http`): a
 * mapping without dotted keys and with at least one cortex-tenant or tenantwire key.
 */
export function looksLikeCortexTenantConfig(doc: unknown): boolean {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const keys = Object.keys(doc);
  if (keys.some((k) => k.includes('.'))) return false;
  return keys.some((k) => CORTEX_TENANT_KEYS.includes(k) || TENANTWIRE_KEYS.includes(k));
}
