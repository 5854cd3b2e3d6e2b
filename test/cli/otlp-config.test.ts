/**
 * Every key of the `otlp:` block, read from a cortex-tenant file and applied through the real
 * /v1/metrics endpoint (app, OTLP handler, tenant proxy) to what the upstream receives; and the
 * block refused, naming the key, when it is wrong.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { effectiveConfigDocument } from '../../src/cli/effective-config.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { createSilentLogger } from '../../src/logger.js';
import { createProxyMetrics } from '../../src/proxy/metrics.js';
import { createOtlpHandler } from '../../src/proxy/otlp-handler.js';
import { createOtlpMetrics } from '../../src/proxy/otlp-metrics.js';
import { createTenantProxy } from '../../src/proxy/tenant-proxy.js';
import { buildApp } from '../../src/server/app.js';
import { createHealthState } from '../../src/server/health.js';
import { compileTenantOptions } from '../../src/tenant/options.js';
import type { Transport } from '../../src/transport/types.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { snappyDecompress } from '../../src/wire/snappy.js';
import { otlpExport, otlpProtobuf, type ResourceSpec } from '../helpers/otlp-bodies.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

type Series = Record<string, string>;

/** Posts `resources` to /v1/metrics of a proxy configured by `otlpLines`; the series the upstream got. */
async function deliver(otlpLines: readonly string[], resources: readonly ResourceSpec[]): Promise<Series[]> {
  const text = ['target: http://upstream.invalid/push', 'tenant:', '  default: fallback', ...otlpLines, ''].join('\n');
  const config = parseCortexTenantConfig(text, 'cortex-tenant.yml', { env: {} });
  const bodies: Uint8Array[] = [];
  const transport: Transport = {
    async send(r) {
      bodies.push(r.body!);
      return { kind: 'response', status: 200, headers: {}, body: new Uint8Array(0) };
    },
    async close() {},
  };
  const metrics = createProxyMetrics({ includeTenant: false, defaultMetrics: false });
  const write = createTenantProxy({
    transport,
    targetUrl: config.targetUrl,
    tenant: compileTenantOptions(config.tenant),
    metrics,
    logger: createSilentLogger(),
    limits: { maxDecodedBytes: config.maxDecodedBytes, maxElements: config.maxDecodedElements },
    timeoutMs: 5000,
    concurrency: 4,
    splitMode: 'wire',
    forwardProtocol: '1.0',
    logResponseErrors: false,
  });
  app = buildApp({
    handler: write,
    otlpHandler: createOtlpHandler({
      write,
      translation: config.otlp,
      limits: { maxDecodedBytes: config.maxDecodedBytes, maxElements: config.maxDecodedElements },
      metrics: createOtlpMetrics(metrics.registry),
      logger: createSilentLogger(),
    }),
    health: createHealthState(),
    maxRequestBytes: config.maxRequestBytes,
    tenantHeader: config.tenant.header,
    logger: createSilentLogger(),
    metrics: { contentType: 'text/plain', render: async () => '' },
  });
  const r = await app.inject({
    method: 'POST',
    url: '/v1/metrics',
    headers: { 'content-type': 'application/x-protobuf' },
    payload: Buffer.from(otlpProtobuf(otlpExport(resources))),
  });
  expect(r.statusCode, r.body).toBe(200);
  return bodies.flatMap((b) =>
    decodeWriteRequest(snappyDecompress(b)).timeseries.map((ts) =>
      Object.fromEntries(ts.labels.map((l) => [l.name, l.value])),
    ),
  );
}

const resource: ResourceSpec = {
  attrs: { 'service.name': 'api', 'service.instance.id': 'i-1', 'host.name': 'h1', tenant: 'team-a' },
  metrics: [
    { name: 'http.requests', kind: 'counter', unit: 's', points: [{ value: 1, attrs: { _hidden: 'x', a__b: 'y' } }] },
  ],
};
const named = (series: Series[], name: string) => series.find((s) => s.__name__ === name);
const names = (series: Series[]) => series.map((s) => s.__name__).sort();

describe('the otlp: block through /v1/metrics', () => {
  it.each([
    ['UnderscoreEscapingWithSuffixes', 'http_requests_seconds_total'],
    ['NoUTF8EscapingWithSuffixes', 'http.requests_seconds_total'],
    ['UnderscoreEscapingWithoutSuffixes', 'http_requests'],
    ['NoTranslation', 'http.requests'],
  ])('translation_strategy: %s names the metric %s', async (strategy, name) => {
    const series = await deliver(['otlp:', `  translation_strategy: ${strategy}`], [resource]);
    expect(names(series)).toContain(name);
  });

  it('uses UnderscoreEscapingWithSuffixes and promotes nothing without the block', async () => {
    const s = named(await deliver([], [resource]), 'http_requests_seconds_total');
    expect(s).toBeDefined();
    expect(s!.tenant).toBeUndefined();
    expect(s!.host_name).toBeUndefined();
  });

  it('promote_resource_attributes copies the listed attributes onto every series', async () => {
    const s = named(
      await deliver(['otlp:', '  promote_resource_attributes: [tenant, host.name]'], [resource]),
      'http_requests_seconds_total',
    );
    expect(s).toMatchObject({ tenant: 'team-a', host_name: 'h1' });
  });

  it('promote_all_resource_attributes with ignore_resource_attributes', async () => {
    const s = named(
      await deliver(
        ['otlp:', '  promote_all_resource_attributes: true', '  ignore_resource_attributes: [host.name]'],
        [resource],
      ),
      'http_requests_seconds_total',
    );
    expect(s!.tenant).toBe('team-a');
    expect(s!.host_name).toBeUndefined();
  });

  it('keep_identifying_resource_attributes puts service.* on target_info', async () => {
    const off = named(await deliver([], [resource]), 'target_info');
    const on = named(
      await deliver(['otlp:', '  keep_identifying_resource_attributes: true'], [resource]),
      'target_info',
    );
    expect(off!.service_name).toBeUndefined();
    expect(on!.service_name).toBe('api');
  });

  it('promote_scope_metadata (on by default) adds the otel_scope_* labels; false leaves them out', async () => {
    const on = named(await deliver([], [resource]), 'http_requests_seconds_total');
    const off = named(
      await deliver(['otlp:', '  promote_scope_metadata: false'], [resource]),
      'http_requests_seconds_total',
    );
    expect(off!.otel_scope_name).toBeUndefined();
    expect(on!.otel_scope_name).toBe('tenantwire-test');
  });

  it('label_name_underscore_sanitization and label_name_preserve_multiple_underscores', async () => {
    const d = named(await deliver([], [resource]), 'http_requests_seconds_total')!;
    expect(d.key_hidden).toBe('x');
    expect(d.a__b).toBe('y');
    const off = named(
      await deliver(
        ['otlp:', '  label_name_underscore_sanitization: false', '  label_name_preserve_multiple_underscores: false'],
        [resource],
      ),
      'http_requests_seconds_total',
    )!;
    expect(off._hidden).toBe('x');
    expect(off.a_b).toBe('y');
  });

  it.each([
    ['  promote_resource_atributes: [tenant]', 'otlp.promote_resource_atributes'],
    ['  translation_strategy: Legacy', 'otlp.translation_strategy'],
    ['  ignore_resource_attributes: [a]', 'otlp.ignore_resource_attributes'],
    ['  promote_scope_metadata: maybe', 'otlp.promote_scope_metadata'],
  ])('refuses %s naming %s', (line, key) => {
    expect(() => parseCortexTenantConfig(`target: http://x\notlp:\n${line}\n`, 'f.yml', { env: {} })).toThrow(key);
  });

  it('shows the block with its defaults in the effective config', () => {
    const c = parseCortexTenantConfig('target: http://x\notlp:\n  promote_resource_attributes: [tenant]\n', 'f.yml', {
      env: {},
    });
    expect(effectiveConfigDocument(c).otlp).toMatchObject({
      translation_strategy: 'UnderscoreEscapingWithSuffixes',
      promote_resource_attributes: ['tenant'],
      keep_identifying_resource_attributes: false,
    });
  });
});
