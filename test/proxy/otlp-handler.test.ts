/**
 * The OTLP handler between an export and a remote-write handler: what it hands over, how the
 * write's answer becomes an OTLP answer, and that bad bodies are 400 Status answers.
 */
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createSilentLogger } from '../../src/logger.js';
import { DEFAULT_OTLP_OPTIONS, normalizeOtlpOptions } from '../../src/otlp/options.js';
import { createOtlpHandler } from '../../src/proxy/otlp-handler.js';
import { createOtlpMetrics } from '../../src/proxy/otlp-metrics.js';
import { createProxyMetrics } from '../../src/proxy/metrics.js';
import { createTenantProxy } from '../../src/proxy/tenant-proxy.js';
import type { IncomingOtlpExport } from '../../src/protocol/otlp-types.js';
import type { IncomingWrite, WriteAnswer, WriteHandler } from '../../src/protocol/write-types.js';
import { compileTenantOptions, normalizeTenantOptions } from '../../src/tenant/options.js';
import type { Transport, TransportRequest } from '../../src/transport/types.js';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { snappyDecompress } from '../../src/wire/snappy.js';
import type { RequestV2 } from '../../src/wire/types.js';
import {
  gzip,
  otlpExport,
  otlpJsonBytes,
  otlpProtobuf,
  readExportResponse,
  readStatus,
  type ResourceSpec,
} from '../helpers/otlp-bodies.js';

const text = new TextDecoder();
const twoTenants: ResourceSpec[] = [
  {
    attrs: { tenant: 'team-a', 'service.name': 'api' },
    metrics: [{ name: 'queue_depth', kind: 'gauge', points: [{ value: 3 }] }],
  },
  {
    attrs: { tenant: 'team-b', 'service.name': 'db' },
    metrics: [{ name: 'queue_depth', kind: 'gauge', points: [{ value: 4 }] }],
  },
];

function setup(write: WriteHandler, limits = { maxDecodedBytes: 1 << 20, maxElements: 100_000 }) {
  const registry = new Registry();
  const metrics = createOtlpMetrics(registry);
  const handler = createOtlpHandler({
    write,
    translation: normalizeOtlpOptions({ promote_resource_attributes: ['tenant'] }),
    limits,
    metrics,
    logger: createSilentLogger(),
  });
  const call = (body: Uint8Array, more: Partial<IncomingOtlpExport> = {}) =>
    handler({
      encoding: 'protobuf',
      coding: 'identity',
      body,
      sourceTenant: undefined,
      clientAddress: '127.0.0.1',
      signal: new AbortController().signal,
      ...more,
    });
  return { call, registry };
}

const metric = async (registry: Registry, name: string) => (await registry.getSingleMetricAsString(name)).trim();

describe('the OTLP handler', () => {
  it('hands the write handler a remote-write 2.0 request with the promoted attribute', async () => {
    const seen: RequestV2[] = [];
    const { call, registry } = setup(async (w: IncomingWrite) => {
      expect(w.version).toBe('2.0');
      const req = decodeRequestV2(snappyDecompress(w.compressed));
      seen.push(req);
      // Everything written (target_info series included).
      const samples = req.timeseries.reduce((n, ts) => n + ts.samples.length, 0);
      return {
        status: 204,
        headers: {
          'X-Prometheus-Remote-Write-Samples-Written': String(samples),
          'X-Prometheus-Remote-Write-Histograms-Written': '0',
        },
      };
    });
    const a = await call(otlpProtobuf(otlpExport(twoTenants)));
    expect(a.status).toBe(200);
    expect(a.headers?.['content-type']).toBe('application/x-protobuf');
    expect(readExportResponse(a.body as Uint8Array)).toEqual({ rejectedDataPoints: 0, errorMessage: '' });
    const req = seen[0]!;
    const tenants = req.timeseries
      .map((ts) => {
        const labels: Record<string, string> = {};
        for (let i = 0; i < ts.labelsRefs.length; i += 2)
          labels[req.symbols[ts.labelsRefs[i]!]!] = req.symbols[ts.labelsRefs[i + 1]!]!;
        return labels.__name__ === 'queue_depth' ? labels.tenant : undefined;
      })
      .filter((t) => t !== undefined)
      .sort();
    expect(tenants).toEqual(['team-a', 'team-b']);
    expect(await metric(registry, 'tenantwire_otlp_data_points_received_total')).toMatch(/ 2$/);
    expect(await metric(registry, 'tenantwire_otlp_data_points_translated_total')).toMatch(/ 2$/);
  });

  it('answers JSON for JSON and takes gzip', async () => {
    const { call } = setup(async () => ({ status: 200 }));
    const a = await call(gzip(otlpJsonBytes(otlpExport(twoTenants))), { encoding: 'json', coding: 'gzip' });
    expect(a.status).toBe(200);
    expect(a.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(text.decode(a.body as Uint8Array))).toEqual({});
  });

  it('reports delta points as partial success and counts them by reason', async () => {
    const { call, registry } = setup(async () => ({ status: 204 }));
    const doc = otlpExport([
      {
        attrs: { tenant: 'a' },
        metrics: [
          { name: 'requests', kind: 'delta_counter', points: [{ value: 1 }, { value: 2, attrs: { x: 'y' } }] },
          { name: 'up', kind: 'gauge', points: [{ value: 1 }] },
        ],
      },
    ]);
    const a = await call(otlpJsonBytes(doc), { encoding: 'json' });
    expect(a.status).toBe(200);
    const body = JSON.parse(text.decode(a.body as Uint8Array));
    expect(body.partialSuccess.rejectedDataPoints).toBe('2');
    expect(body.partialSuccess.errorMessage).toContain('requests');
    expect(await metric(registry, 'tenantwire_otlp_data_points_dropped_total')).toContain(
      'tenantwire_otlp_data_points_dropped_total{reason="delta_temporality"} 2',
    );
  });

  it.each([
    [204, {}, 200],
    [400, {}, 400],
    [403, {}, 403],
    [404, {}, 400],
    [429, { 'Retry-After': '7' }, 429],
    [500, {}, 502],
    [501, {}, 502],
    [502, {}, 502],
    [503, { 'Retry-After': '3' }, 503],
    [504, {}, 504],
  ] as const)('maps a write answered %i (headers %o) to %i', async (status, headers, expected) => {
    const { call } = setup(async () => ({ status, headers, body: `upstream said ${status}` }));
    const a: WriteAnswer = await call(otlpProtobuf(otlpExport(twoTenants)));
    expect(a.status).toBe(expected);
    if (expected !== 200) {
      const s = readStatus(a.body as Uint8Array);
      expect(s.message).toBe(`upstream said ${status}`);
      expect(s.code).toBeGreaterThan(0);
    }
    const retry = (headers as Record<string, string>)['Retry-After'];
    expect(a.headers?.['retry-after']).toBe(retry);
  });

  it('answers 403 and 503 for what the write handler throws, never 500', async () => {
    const { AuthError, TenantwireError } = await import('../../src/errors.js');
    const forbidden = setup(async () => {
      throw new AuthError('forbidden_tenant', 'user "a" may not write tenant "b"');
    });
    expect((await forbidden.call(otlpProtobuf(otlpExport(twoTenants)))).status).toBe(403);
    const full = setup(async () => {
      throw new TenantwireError('queue_full', 'full');
    });
    const f = await full.call(otlpProtobuf(otlpExport(twoTenants)));
    expect(f.status).toBe(503);
    expect(f.headers?.['retry-after']).toBe('1');
    const bug = setup(async () => {
      throw new TypeError('boom');
    });
    expect((await bug.call(otlpProtobuf(otlpExport(twoTenants)))).status).toBe(503);
  });

  it.each([
    ['truncated protobuf', (b: Uint8Array) => b.subarray(0, b.length - 3), 'protobuf' as const],
    ['JSON that does not parse', () => new TextEncoder().encode('{"resourceMetrics": ['), 'json' as const],
    ['JSON of the wrong shape', () => new TextEncoder().encode('{"resourceMetrics": 3}'), 'json' as const],
  ])('answers 400 with a Status naming the problem for %s', async (_what, mutate, encoding) => {
    let called = false;
    const { call } = setup(async () => {
      called = true;
      return { status: 204 };
    });
    const a = await call(mutate(otlpProtobuf(otlpExport(twoTenants))), { encoding });
    expect(a.status).toBe(400);
    expect(a.headers?.['content-type']).toBe(encoding === 'json' ? 'application/json' : 'application/x-protobuf');
    const s = encoding === 'json' ? JSON.parse(text.decode(a.body as Uint8Array)) : readStatus(a.body as Uint8Array);
    expect(s.code).toBe(3);
    expect(s.message).toMatch(/^bad OTLP metrics export: ./);
    expect(called).toBe(false);
  });

  it('refuses a gzip bomb past max_decoded_bytes with 400 before decoding it', async () => {
    const { call } = setup(async () => ({ status: 204 }), { maxDecodedBytes: 64 * 1024, maxElements: 1000 });
    const bomb = gzip(new Uint8Array(50 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    const a = await call(bomb, { coding: 'gzip' });
    expect(a.status).toBe(400);
    expect(readStatus(a.body as Uint8Array).message).toContain('65536');
  });

  it('refuses more elements than max_decoded_elements with 400', async () => {
    const { call } = setup(async () => ({ status: 204 }), { maxDecodedBytes: 1 << 20, maxElements: 20 });
    const many = otlpExport([
      {
        attrs: { tenant: 'a' },
        metrics: [
          {
            name: 'g',
            kind: 'gauge',
            points: Array.from({ length: 50 }, (_, i) => ({ value: i, attrs: { i: String(i) } })),
          },
        ],
      },
    ]);
    const a = await call(otlpProtobuf(many));
    expect(a.status).toBe(400);
    expect(readStatus(a.body as Uint8Array).message).toContain('20');
  });
});

describe('the OTLP handler over the tenant proxy', () => {
  function tenantProxy(sent: TransportRequest[], tenant: Parameters<typeof normalizeTenantOptions>[0]) {
    const transport: Transport = {
      async send(r) {
        sent.push(r);
        return { kind: 'response', status: 200, headers: {}, body: new Uint8Array(0) };
      },
      async close() {},
    };
    return createTenantProxy({
      transport,
      targetUrl: 'http://upstream.invalid/api/v1/push',
      tenant: compileTenantOptions(normalizeTenantOptions(tenant)),
      metrics: createProxyMetrics({ includeTenant: true, defaultMetrics: false }),
      logger: createSilentLogger(),
      limits: { maxDecodedBytes: 1 << 20, maxElements: 100_000 },
      timeoutMs: 5000,
      concurrency: 8,
      splitMode: 'wire',
      forwardProtocol: '1.0',
      logResponseErrors: false,
    });
  }

  it('splits by the promoted attribute and forwards remote-write 1.0 per tenant', async () => {
    const sent: TransportRequest[] = [];
    const { call } = setup(tenantProxy(sent, { label: 'tenant' }));
    const a = await call(otlpProtobuf(otlpExport(twoTenants)));
    expect(a.status).toBe(200);
    const byTenant = new Map(
      sent.map((r) => [r.headers['X-Scope-OrgID'], decodeWriteRequest(snappyDecompress(r.body!))]),
    );
    expect([...byTenant.keys()].sort()).toEqual(['team-a', 'team-b']);
    const names = byTenant.get('team-a')!.timeseries.map((ts) => ts.labels.find((l) => l.name === '__name__')?.value);
    expect(names).toContain('queue_depth');
  });

  it('reports series the tenant stage dropped as partial success', async () => {
    const sent: TransportRequest[] = [];
    const { call, registry } = setup(tenantProxy(sent, { label: 'tenant', on_missing: 'drop' }));
    const doc = otlpExport([
      ...twoTenants,
      {
        attrs: { 'service.name': 'no-tenant' },
        metrics: [{ name: 'queue_depth', kind: 'gauge', points: [{ value: 9 }] }],
      },
    ]);
    const a = await call(otlpProtobuf(doc));
    expect(a.status).toBe(200);
    const partial = readExportResponse(a.body as Uint8Array);
    expect(partial.rejectedDataPoints).toBeGreaterThanOrEqual(1);
    expect(partial.errorMessage).toContain('tenant stage');
    expect(await metric(registry, 'tenantwire_otlp_data_points_dropped_total')).toContain('reason="tenant_stage"');
  });

  it('uses the default options when given none', () => {
    expect(normalizeOtlpOptions(undefined)).toEqual(DEFAULT_OTLP_OPTIONS);
  });
});
