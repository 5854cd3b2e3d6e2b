import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { normalizeTenantOptions, type TenantOptions } from '../tenant/options.js';
import { applyEnvOverrides, type EnvOverride } from './cortex-tenant-env.js';
import { cortexTenantFileSchema, CORTEX_TENANT_KEYS, TENANTWIRE_KEYS, type CortexTenantFile } from './cortex-tenant-schema.js';
import { normalizeExtras, type TenantwireExtras } from './tenantwire-extras.js';
import { locateKeyLine, parseYaml } from './yaml-source.js';

/**
 * cortex-tenant's own config file, read unchanged: the same keys, defaults (from its
 * config.go), strictness and CT_* overrides, normalized to camelCase with durations in ms.
 */
export interface CortexTenantConfig extends TenantwireExtras {
  readonly listen: string;
  readonly listenPprof: string | undefined;
  readonly listenMetricsAddress: string;
  readonly metricsIncludeTenant: boolean;
  /** As written; may lack a scheme, as cortex-tenant allows. */
  readonly target: string;
  /** `target` with `http://` added when it has no scheme. */
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
    readonly ingress: { readonly certFile?: string; readonly keyFile?: string };
  };
  readonly tenant: TenantOptions;
  /** Where it came from: a file name, `(environment)` or `(embedded)`. */
  readonly source: string;
}

/** Pino's level names; logrus's `warning` and `panic` map to `warn` and `fatal`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  panic: 'fatal', fatal: 'fatal', error: 'error', warn: 'warn', warning: 'warn', info: 'info', debug: 'debug', trace: 'trace',
};

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
): CortexTenantConfig {
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) {
    throw new ConfigError('invalid_value', `${where.name}: the config must be a mapping of keys, not ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  }
  const { doc: merged, overrides } = applyEnvOverrides((doc ?? {}) as Record<string, unknown>, options.env ?? process.env);
  const parsed = cortexTenantFileSchema.safeParse(merged);
  if (!parsed.success) throw issuesToError(parsed.error.issues, where, overrides);
  return normalize(parsed.data, where.name, options);
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
    const line = locateKeyLine(where.text, path.map((p) => (typeof p === 'number' ? p : String(p))));
    return line !== undefined ? `${where.name}:${line}: ${key}` : `${where.name}: ${key || '(top level)'}`;
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      unknown = true;
      for (const key of issue.keys) lines.push(`${at([...issue.path, key])}: unknown key (not a cortex-tenant setting)`);
    } else {
      lines.push(`${at(issue.path)}: ${issue.message}`);
    }
  }
  return new ConfigError(unknown ? 'unknown_key' : 'invalid_value', lines.join('\n'));
}

function normalize(f: CortexTenantFile, source: string, options: LoadOptions): CortexTenantConfig {
  const logName = (f.log_level || 'warn').toLowerCase();
  const logLevel = LOG_LEVELS[logName];
  if (logLevel === undefined) {
    throw new ConfigError('invalid_value', `${source}: log_level: unknown level ${JSON.stringify(f.log_level)} (use error, warn, info, debug or trace)`);
  }
  const egress = f.auth?.egress ?? {};
  const ingress = f.auth?.ingress?.tls_config ?? {};
  if (egress.username && !egress.password) {
    throw new ConfigError('invalid_value', `${source}: auth.egress.username is set but auth.egress.password is not`);
  }
  if (Boolean(ingress.cert_file) !== Boolean(ingress.key_file)) {
    throw new ConfigError('invalid_value', `${source}: auth.ingress.tls_config needs both cert_file and key_file`);
  }
  const [now, old] = [f.metrics_include_tenant, f.listen_metrics_include_tenant];
  if (now !== undefined && old !== undefined && now !== old) {
    throw new ConfigError('invalid_value', `${source}: metrics_include_tenant and listen_metrics_include_tenant (its older name) disagree; keep one`);
  }
  const target = f.target || '127.0.0.1:9090';
  const tenant = normalizeTenantOptions(f.tenant ?? undefined, { metadata: f.metadata ?? false, path: 'tenant' });
  const config: CortexTenantConfig = {
    listen: f.listen || '127.0.0.1:8081',
    listenPprof: f.listen_pprof || undefined,
    listenMetricsAddress: f.listen_metrics_address || '0.0.0.0:9090',
    metricsIncludeTenant: f.metrics_include_tenant ?? f.listen_metrics_include_tenant ?? false,
    target,
    targetUrl: withScheme(target, source, 'target'),
    targetLoki: f.target_loki ? withScheme(f.target_loki, source, 'target_loki') : undefined,
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
      },
    },
    tenant,
    ...normalizeExtras(f, options.defaultWorkers),
    source,
  };
  return config;
}

function withScheme(value: string, source: string, key: string): string {
  const url = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('invalid_value', `${source}: ${key}: ${JSON.stringify(value)} is not a valid URL`);
  }
  if (!['http:', 'https:', 'dir:'].includes(parsed.protocol)) {
    throw new ConfigError('invalid_value', `${source}: ${key}: unsupported scheme ${parsed.protocol} (use http, https or dir)`);
  }
  return url;
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
 * directory transport under ./data, tenant label `__tenant__`, and the default tenant
 * `anonymous` so that a plain Prometheus pointed at it works at once (a series with a
 * `__tenant__` label still goes to that tenant).
 */
export function embeddedDefaultConfig(options: LoadOptions = {}): CortexTenantConfig {
  const doc = {
    listen: '127.0.0.1:8080',
    listen_metrics_address: '127.0.0.1:9090',
    target: 'dir://./data',
    data_dir: './data',
    tenant: { label: '__tenant__', default: 'anonymous' },
  };
  // CT_* variables still apply, so `CT_LISTEN=127.0.0.1:9999 tenantwire` moves it.
  return cortexTenantConfigFromDocument(doc, { text: '', name: '(embedded)' }, options);
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
