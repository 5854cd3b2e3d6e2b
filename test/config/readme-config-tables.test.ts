/**
 * Walks the two config tables of README.md ("Replacing cortex-tenant") row by row: every key the
 * README documents is known to the schema, has the environment variable the row names in the
 * binding table, is refused with a message naming it when invalid (in the file and in the
 * variable), and changes the normalized config when given a valid non-default value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseCortexTenantConfig, type CortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { CORTEX_TENANT_ENV } from '../../src/config/cortex-tenant-env.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../helpers/peers.js';

interface Row {
  readonly key: string;
  readonly env: string;
}

/** The rows of every `| Key | Default | Environment | Meaning |` table in one README section. */
function configRows(markdown: string, section: string): Row[] {
  const start = markdown.indexOf(`\n## ${section}\n`);
  const end = markdown.indexOf('\n## ', start + 1);
  const rows: Row[] = [];
  for (const line of markdown.slice(start, end === -1 ? undefined : end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const key = /^`([a-z0-9_.]+)`$/.exec(cells[1] ?? '')?.[1];
    const env = /^`([A-Z0-9_]+)`$/.exec(cells[3] ?? '')?.[1];
    if (key !== undefined && env !== undefined) rows.push({ key, env });
  }
  return rows;
}

type Doc = Record<string, unknown>;

interface Case {
  /** A valid value, not the default. */
  readonly valid: unknown;
  /** Keys the setting needs beside it (for the valid and, unless `invalidWith`, the invalid case). */
  readonly with?: Doc;
  /** Another valid value to compare with, for a key that cannot be left out when `with` is set. */
  readonly alt?: unknown;
  /** A value the file refuses. */
  readonly invalid: unknown;
  readonly invalidWith?: Doc;
  /** A value the variable refuses; null: every text is valid there (the reason says why). */
  readonly invalidEnv: string | null;
  readonly reason?: string;
}

const bool: Case = { valid: true, invalid: 'maybe', invalidEnv: 'maybe' };
const duration: Case = { valid: '45s', invalid: 'soon', invalidEnv: '10' };
const bytes: Case = { valid: '16MiB', invalid: 'lots', invalidEnv: 'lots' };
const address: Case = { valid: '127.0.0.1:9191', invalid: 'nowhere', invalidEnv: ':99999' };
const url: Case = { valid: 'https://mimir:8080/push', invalid: 'ftp://mimir', invalidEnv: 'ftp://mimir' };
const count: Case = { valid: 8, invalid: -1, invalidEnv: 'many' };
/** The other `queue.*` keys take effect only with `queue.dir` (queue mode on). */
const queue = { with: { 'queue.dir': '/var/lib/tw-queue' } } as const;

const CASES: Readonly<Record<string, Case>> = {
  listen: address,
  listen_pprof: address,
  listen_metrics_address: address,
  metrics_include_tenant: bool,
  target: url,
  target_loki: url,
  enable_ipv6: bool,
  log_level: { valid: 'debug', invalid: 'loud', invalidEnv: 'loud' },
  timeout: duration,
  idle_timeout: duration,
  timeout_shutdown: duration,
  concurrency: count,
  metadata: bool,
  log_response_errors: bool,
  max_connection_duration: duration,
  max_conns_per_host: count,
  'auth.egress.username': {
    valid: 'u',
    alt: 'v',
    with: { 'auth.egress.password': 'p' },
    invalid: 'a:b',
    invalidEnv: 'a:b',
  },
  'auth.egress.password': {
    valid: 'p',
    alt: 'q',
    with: { 'auth.egress.username': 'u' },
    invalid: 'p',
    invalidWith: {},
    invalidEnv: 'p',
  },
  'auth.egress.tls_config.ca_bundle_file': {
    valid: '/etc/ssl/ca.pem',
    invalid: ['a'],
    invalidEnv: null,
    reason: 'any text is a path',
  },
  'auth.ingress.tls_config.cert_file': {
    valid: '/c.pem',
    alt: '/c2.pem',
    with: { 'auth.ingress.tls_config.key_file': '/k.pem' },
    invalid: '/c.pem',
    invalidWith: {},
    invalidEnv: '/c.pem',
  },
  'auth.ingress.tls_config.key_file': {
    valid: '/k.pem',
    alt: '/k2.pem',
    with: { 'auth.ingress.tls_config.cert_file': '/c.pem' },
    invalid: '/k.pem',
    invalidWith: {},
    invalidEnv: '/k.pem',
  },
  'tenant.label': {
    valid: 'team',
    invalid: ['team'],
    invalidEnv: null,
    reason: 'any text names a label (UTF-8 label names)',
  },
  'tenant.label_list': {
    valid: ['team', 'ns'],
    invalid: ['team', ''],
    invalidEnv: null,
    reason: 'empty items of the list are dropped',
  },
  'tenant.prefix': { valid: 'org-', invalid: 'a|b', invalidEnv: 'a/b' },
  'tenant.prefix_prefer_source': bool,
  'tenant.label_remove': bool,
  'tenant.header': { valid: 'X-Tenant', invalid: 'bad header', invalidEnv: 'bad header' },
  'tenant.default': { valid: 'dflt', invalid: 'a|b', invalidEnv: 'a b' },
  'tenant.accept_all': bool,
  workers: { valid: 3, invalid: 0, invalidEnv: '0' },
  max_request_bytes: bytes,
  max_decoded_bytes: bytes,
  max_decoded_elements: { valid: 1000, invalid: 0, invalidEnv: 'many' },
  max_decoded_bytes_in_flight: bytes,
  max_tenants_per_request: { valid: 10, invalid: -1, invalidEnv: 'many' },
  forward_protocol: { valid: '1.0', invalid: '3.0', invalidEnv: '3.0' },
  split_mode: { valid: 'decode', invalid: 'fast', invalidEnv: 'fast' },
  coalesce: bool,
  coalesce_max_bytes: { ...bytes, with: { coalesce: true } },
  max_connections: count,
  data_dir: {
    valid: '/var/lib/tw',
    with: { target: 'dir://sub' },
    invalid: ['a'],
    invalidEnv: null,
    reason: 'any text is a path',
  },
  'queue.dir': { valid: '/var/lib/tw-queue', invalid: ['a'], invalidEnv: null, reason: 'any text is a path' },
  'queue.max_disk_bytes': { ...queue, valid: '2GiB', invalid: 'lots', invalidEnv: 'lots' },
  'queue.max_tenant_disk_bytes': { ...queue, valid: '100MiB', invalid: '2GiB', invalidEnv: 'lots' },
  'queue.max_samples_per_send': { ...queue, valid: 500, invalid: 0, invalidEnv: 'many' },
  'queue.batch_send_deadline': { ...queue, valid: '10s', invalid: '0s', invalidEnv: '10' },
  'queue.min_backoff': { ...queue, valid: '100ms', invalid: '1m', invalidEnv: 'soon' },
  'queue.max_backoff': { ...queue, valid: '10s', invalid: '0s', invalidEnv: '10' },
  'queue.min_shards': { ...queue, valid: 2, invalid: 51, invalidEnv: 'many' },
  'queue.max_shards': { ...queue, valid: 10, invalid: 0, invalidEnv: 'many' },
  'queue.retry_on_http_429': { ...queue, valid: false, invalid: 'maybe', invalidEnv: 'maybe' },
  'queue.capacity': { ...queue, valid: 5000, invalid: -1, invalidEnv: 'many' },
  'tenant.on_missing': { valid: 'drop', invalid: 'ignore', invalidEnv: 'ignore' },
  'auth.ingress.on_forbidden': {
    with: { 'auth.ingress.users': [{ bearer_token_file: '/etc/tw/token', tenants: ['*'] }] },
    valid: 'drop',
    invalid: 'ignore',
    invalidEnv: 'ignore',
  },
  'limits.per_tenant.ingestion_rate': { valid: 1000.5, invalid: -1, invalidEnv: 'fast' },
  'limits.per_tenant.ingestion_burst': {
    with: { 'limits.per_tenant.ingestion_rate': 100 },
    valid: 500,
    invalid: -1,
    invalidEnv: 'many',
  },
  'limits.per_tenant.max_series_per_request': count,
  'limits.per_tenant.max_active_series': count,
  'otlp.translation_strategy': { valid: 'NoTranslation', invalid: 'Fancy', invalidEnv: 'Fancy' },
  'otlp.promote_resource_attributes': {
    valid: ['tenant', 'k8s.namespace.name'],
    invalid: [''],
    invalidEnv: null,
    reason: 'a comma-separated list: every text is a list, empty items are dropped',
  },
  'otlp.promote_all_resource_attributes': bool,
  'otlp.ignore_resource_attributes': {
    with: { 'otlp.promote_all_resource_attributes': true },
    valid: ['host.name'],
    invalid: [''],
    invalidEnv: null,
    reason: 'a comma-separated list: every text is a list, empty items are dropped',
  },
  'otlp.keep_identifying_resource_attributes': bool,
  'otlp.promote_scope_metadata': { valid: false, invalid: 'maybe', invalidEnv: 'maybe' },
  'otlp.label_name_underscore_sanitization': { valid: false, invalid: 'maybe', invalidEnv: 'maybe' },
  'otlp.label_name_preserve_multiple_underscores': { valid: false, invalid: 'maybe', invalidEnv: 'maybe' },
  'limits.per_tenant.active_series_window': {
    with: { 'limits.per_tenant.max_active_series': 10 },
    valid: '5m',
    invalid: 'soon',
    invalidEnv: '10',
  },
};

/** A YAML file setting each dotted key of `flat`. */
function yamlOf(flat: Doc): string {
  const doc: Doc = {};
  for (const [key, value] of Object.entries(flat)) {
    const path = key.split('.');
    let node = doc;
    for (const p of path.slice(0, -1)) node = (node[p] ??= {}) as Doc;
    node[path[path.length - 1] ?? ''] = value;
  }
  return yaml.dump(doc);
}

const load = (flat: Doc, env: Record<string, string> = {}): CortexTenantConfig =>
  parseCortexTenantConfig(yamlOf(flat), 'test.yml', { env, defaultWorkers: 2 });

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, the value was accepted');
}

const envText = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const rows = configRows(readme, 'Replacing cortex-tenant');

describe("README's config tables", () => {
  it('every variable that refuses nothing says why', () => {
    for (const [key, c] of Object.entries(CASES)) if (c.invalidEnv === null) expect(c.reason, key).toBeTruthy();
  });

  it('are found, and every key has a case here and every variable a row there', () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.map((r) => r.key).sort()).toEqual(Object.keys(CASES).sort());
    expect(rows.map((r) => r.env).sort()).toEqual(CORTEX_TENANT_ENV.map((b) => b.env).sort());
  });

  describe.each(rows)('$key ($env)', ({ key, env }) => {
    const c = CASES[key] as Case;

    it('is bound to its variable', () => {
      expect(CORTEX_TENANT_ENV.find((b) => b.env === env)?.path.join('.')).toBe(key);
    });

    it('a valid non-default value in the file takes effect', () => {
      const base = c.alt === undefined ? load(c.with ?? {}) : load({ ...c.with, [key]: c.alt });
      const set = load({ ...c.with, [key]: c.valid });
      expect(set).not.toEqual(base);
    });

    it('the same value in the variable takes effect as the file does', () => {
      const fromEnv = load(c.with ?? {}, { [env]: envText(c.valid) });
      expect(fromEnv).toEqual(load({ ...c.with, [key]: c.valid }));
    });

    it('an invalid value in the file is refused, naming the key', () => {
      const e = refusal(() => load({ ...(c.invalidWith ?? c.with), [key]: c.invalid }));
      expect(e.message).toContain(key);
    });

    // Where every text is valid in the variable (the case's `reason` says why) there is nothing to refuse.
    if (c.invalidEnv !== null)
      it('an invalid value in the variable is refused, naming it', () => {
        const e = refusal(() => load(c.invalidWith ?? c.with ?? {}, { [env]: c.invalidEnv ?? '' }));
        expect(e.message.includes(env) || e.message.includes(key), e.message).toBe(true);
      });
  });
});
