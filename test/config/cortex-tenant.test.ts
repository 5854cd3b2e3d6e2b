import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cortexTenantConfigFromEnv,
  embeddedDefaultConfig,
  loadCortexTenantConfig,
  looksLikeCortexTenantConfig,
  parseCortexTenantConfig,
  redactConfig,
} from '../../src/config/cortex-tenant.js';
import { ConfigError } from '../../src/errors.js';

const fixture = (name: string) => new URL(`../fixtures/cortex-tenant/${name}`, import.meta.url).pathname;
const parse = (text: string, env: Record<string, string> = {}) =>
  parseCortexTenantConfig(text, 'test.yml', { env, defaultWorkers: 2 });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('cortex-tenant config', () => {
  it('parses the README example unchanged', async () => {
    const c = await loadCortexTenantConfig(fixture('readme-example.yml'), { env: {}, defaultWorkers: 2 });
    expect(c).toMatchObject({
      listen: '0.0.0.0:8080',
      listenPprof: '0.0.0.0:7008',
      target: 'http://127.0.0.1:9091/receive',
      targetUrl: 'http://127.0.0.1:9091/receive',
      targetLoki: 'http://127.0.0.1:3100/loki/api/v1/push',
      enableIpv6: false,
      maxConnsPerHost: 64,
      auth: {
        egress: { username: 'foo', password: 'bar', caBundleFile: '/etc/ssl/ca.pem' },
        ingress: { certFile: '/etc/ssl/server.crt', keyFile: '/etc/ssl/server.key' },
      },
      logLevel: 'warn',
      timeoutMs: 10_000,
      idleTimeoutMs: 60_000,
      timeoutShutdownMs: 10_000,
      concurrency: 10,
      metadata: false,
      logResponseErrors: true,
      maxConnectionDurationMs: 0,
      listenMetricsAddress: '0.0.0.0:9090',
      metricsIncludeTenant: true,
      tenant: {
        labels: ['tenant', 'other_tenant'],
        labelRemove: true,
        header: 'X-Scope-OrgID',
        default: 'foobar',
        acceptAll: false,
        prefix: 'foobar-',
        prefixPreferSource: false,
        metadata: false,
      },
      workers: 2,
      splitMode: 'wire',
      forwardProtocol: 'same',
    });
  });

  it("applies cortex-tenant's defaults (config.go)", () => {
    const c = parse('');
    expect(c).toMatchObject({
      listen: '127.0.0.1:8081',
      listenPprof: undefined,
      listenMetricsAddress: '0.0.0.0:9090',
      metricsIncludeTenant: false,
      target: '127.0.0.1:9090',
      targetUrl: 'http://127.0.0.1:9090',
      targetLoki: undefined,
      logLevel: 'warn',
      timeoutMs: 10_000,
      idleTimeoutMs: 60_000,
      timeoutShutdownMs: 0,
      concurrency: 512,
      maxConnsPerHost: 64,
      metadata: false,
      logResponseErrors: false,
      maxConnectionDurationMs: 0,
      auth: { egress: {}, ingress: {} },
      tenant: { labels: ['__tenant__'], header: 'X-Scope-OrgID', default: undefined },
      maxRequestBytes: 32 * 1024 * 1024,
      maxDecodedBytes: 32 * 1024 * 1024,
      dataDir: undefined,
    });
  });

  it('an unknown key names the key path and its line', () => {
    const text = readFileSync(fixture('unknown-key.yml'), 'utf8');
    const e = configError(() => parse(text));
    expect(e.code).toBe('unknown_key');
    expect(e.message).toBe('test.yml:7: tenant.lable_remove: unknown key (not a cortex-tenant setting)');
  });

  it('names lines of nested and top-level unknown keys', () => {
    const text = 'listen: :8080\nauth:\n  egress:\n    username: a\n    password: b\n    pasword: c\nfoo: 1\n';
    const e = configError(() => parse(text));
    expect(e.message).toContain('test.yml:6: auth.egress.pasword: unknown key');
    expect(e.message).toContain('test.yml:7: foo: unknown key');
  });

  it('invalid values name the key and line', () => {
    expect(configError(() => parse('timeout: 10\n')).message).toMatch(/test\.yml:1: timeout: .*"10s"/);
    expect(configError(() => parse('a: 1\ntimeout: soon\n')).message).toMatch(
      /test\.yml:2: timeout: expected a duration/,
    );
    expect(configError(() => parse('concurrency: -1\n')).message).toMatch(/test\.yml:1: concurrency/);
    expect(configError(() => parse('log_level: loud\n')).message).toMatch(/log_level/);
  });

  it('YAML syntax errors carry the line', () => {
    const e = configError(() => parse('listen: a\nlisten: b\n'));
    expect(e.code).toBe('yaml_syntax');
    expect(e.message).toMatch(/^test\.yml:2: duplicated mapping key/);
  });

  it('accepts Go yaml.v2 scalars: numbers as strings, yes/no as bools', () => {
    const c = parse('tenant:\n  default: 123\n  label_remove: yes\nmetadata: on\n');
    expect(c.tenant.default).toBe('123');
    expect(c.tenant.labelRemove).toBe(true);
    expect(c.metadata).toBe(true);
    expect(c.tenant.metadata).toBe(true);
  });

  it('CT_* variables override the file', () => {
    const c = parse('listen: 0.0.0.0:8080\ntenant:\n  label: team\n', {
      CT_LISTEN: '127.0.0.1:9999',
      CT_TARGET: 'https://mimir/api/v1/push',
      CT_TENANT_LABEL_LIST: 'a, b,c',
      CT_TENANT_DEFAULT: 'dflt',
      CT_TENANT_PREFIX_PREFER_SOURCE: 'true',
      CT_TENANT_ACCEPT_ALL: '1',
      CT_TIMEOUT: '1m30s',
      CT_MAX_CONN_DURATION: '5m',
      CT_CONCURRENCY: '8',
      CT_METADATA: 'T',
      CT_AUTH_EGRESS_USERNAME: 'u',
      CT_AUTH_EGRESS_PASSWORD: 'p',
      CT_CA_BUNDLE_FILE: '/ca.pem',
      CT_LOG_LEVEL: 'debug',
      CT_TENANT_HEADER: '',
    });
    expect(c).toMatchObject({
      listen: '127.0.0.1:9999',
      targetUrl: 'https://mimir/api/v1/push',
      timeoutMs: 90_000,
      maxConnectionDurationMs: 300_000,
      concurrency: 8,
      metadata: true,
      logLevel: 'debug',
      auth: { egress: { username: 'u', password: 'p', caBundleFile: '/ca.pem' } },
      tenant: {
        labels: ['a', 'b', 'c'],
        default: 'dflt',
        prefixPreferSource: true,
        acceptAll: true,
        header: 'X-Scope-OrgID',
      },
    });
  });

  it('bad CT_* values name the variable', () => {
    expect(configError(() => parse('', { CT_CONCURRENCY: 'many' })).message).toMatch(
      /CT_CONCURRENCY="many": expected an integer/,
    );
    expect(configError(() => parse('', { CT_METADATA: 'yes' })).message).toMatch(/CT_METADATA/);
    expect(configError(() => parse('', { CT_TIMEOUT: '10' })).message).toMatch(/^CT_TIMEOUT="10": /);
  });

  it('runs from the environment alone', () => {
    const c = cortexTenantConfigFromEnv({ env: { CT_TARGET: 'mimir:8080' }, defaultWorkers: 1 });
    expect(c.targetUrl).toBe('http://mimir:8080');
    expect(c.source).toBe('(environment)');
  });

  it('checks egress auth and ingress TLS pairs', () => {
    expect(() => parse('auth:\n  egress:\n    username: u\n')).toThrow(/password is not/);
    expect(() => parse('auth:\n  ingress:\n    tls_config:\n      cert_file: /c\n')).toThrow(/cert_file and key_file/);
  });

  it('empty blocks and an empty file are the defaults', () => {
    const c = parse('tenant:\nauth:\n  egress:\n');
    expect(c.tenant.labels).toEqual(['__tenant__']);
    expect(c.auth).toEqual({ egress: {}, ingress: {} });
    expect(() => parse('- a\n- b\n')).toThrow(/must be a mapping/);
  });

  it('wrong types name the key and line', () => {
    const e = configError(() => parse('listen: x\nconcurrency: "ten"\ntenant:\n  label_list: team\n'));
    expect(e.message).toMatch(/test\.yml:2: concurrency: /);
    expect(e.message).toMatch(/test\.yml:4: tenant\.label_list: /);
  });

  it("accepts older releases' listen_metrics_include_tenant as metrics_include_tenant", () => {
    expect(parse('listen_metrics_include_tenant: true\n').metricsIncludeTenant).toBe(true);
    expect(parse('listen_metrics_include_tenant: true\nmetrics_include_tenant: true\n').metricsIncludeTenant).toBe(
      true,
    );
    expect(() => parse('listen_metrics_include_tenant: true\nmetrics_include_tenant: false\n')).toThrow(/disagree/);
  });

  it('tenantwire-only keys', () => {
    const c = parse(
      'workers: 3\nmax_request_bytes: 16MiB\nmax_decoded_bytes: 1000000\nforward_protocol: "1.0"\nsplit_mode: ' +
        'decode\ndata_dir: /var/lib/tw\n',
    );
    expect(c).toMatchObject({
      workers: 3,
      maxRequestBytes: 16 * 1024 * 1024,
      maxDecodedBytes: 1_000_000,
      forwardProtocol: '1.0',
      splitMode: 'decode',
      dataDir: '/var/lib/tw',
    });
    expect(() => parse('split_mode: fast\n')).toThrow(/split_mode/);
    expect(parse('').maxTenantsPerRequest).toBe(1000);
    expect(parse('').maxDecodedBytesInFlight).toBe(512 * 1024 * 1024);
    expect(parse('max_decoded_bytes_in_flight: 64MiB\n').maxDecodedBytesInFlight).toBe(64 * 1024 * 1024);
    expect(parse('max_tenants_per_request: 0\n').maxTenantsPerRequest).toBe(0);
    expect(parse('', { TENANTWIRE_MAX_TENANTS_PER_REQUEST: '5000' }).maxTenantsPerRequest).toBe(5000);
    expect(() => parse('max_tenants_per_request: -1\n')).toThrow(/max_tenants_per_request/);
    expect(parse('').coalesceMaxBytes).toBe(0);
    expect(parse('coalesce: true\n').coalesceMaxBytes).toBe(4 * 1024 * 1024);
    expect(parse('coalesce: yes\ncoalesce_max_bytes: 1MiB\n').coalesceMaxBytes).toBe(1024 * 1024);
    expect(parse('coalesce_max_bytes: 1MiB\n').coalesceMaxBytes).toBe(0);
    expect(parse('', { TENANTWIRE_COALESCE: 'true' }).coalesceMaxBytes).toBe(4 * 1024 * 1024);
    expect(() => parse('coalesce: maybe\n')).toThrow(/coalesce/);
  });

  it('redacts the password for logging', () => {
    const c = parse('target: http://u:secret@mimir/push\nauth:\n  egress:\n    username: foo\n    password: hunter2\n');
    const r = redactConfig(c);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(r.auth.egress.username).toBe('foo');
    expect(c.auth.egress.password).toBe('hunter2');
  });

  it('the embedded default config', () => {
    const c = embeddedDefaultConfig({ defaultWorkers: 1 });
    expect(c).toMatchObject({
      listen: '127.0.0.1:8080',
      targetUrl: 'dir://./data',
      dataDir: './data',
      tenant: { labels: ['__tenant__'], default: 'anonymous' },
    });
  });

  it('tells the two formats apart', () => {
    expect(looksLikeCortexTenantConfig({ listen: ':8080', tenant: {} })).toBe(true);
    expect(looksLikeCortexTenantConfig({ target: 'x', lisen: 'typo' })).toBe(true);
    expect(looksLikeCortexTenantConfig({ 'prometheus.receive_http': {} })).toBe(false);
    expect(looksLikeCortexTenantConfig({ 'prometheus.remote_write': {}, target: 'x' })).toBe(false);
    expect(looksLikeCortexTenantConfig([])).toBe(false);
    expect(looksLikeCortexTenantConfig(null)).toBe(false);
  });
});
