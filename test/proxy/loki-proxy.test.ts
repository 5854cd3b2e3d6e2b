/**
 * POST /loki/push through the real HTTP server against a recording upstream: protobuf and JSON
 * pushes split by tenant, label removal, refusals, folded upstream answers, route edges.
 */
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger.js';
import { decodePushRequest } from '../../src/loki/decode-push.js';
import { encodePushRequest } from '../../src/loki/encode-push.js';
import type { LokiPushRequest } from '../../src/loki/types.js';
import { createProxyMetrics } from '../../src/proxy/metrics.js';
import { createLokiMetrics } from '../../src/proxy/loki-metrics.js';
import { createLokiProxy, lokiNotConfigured, type LokiPushHandler } from '../../src/proxy/loki-proxy.js';
import { buildApp } from '../../src/server/app.js';
import { createHealthState } from '../../src/server/health.js';
import { compileTenantOptions, normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import { createUndiciTransport } from '../../src/transport/undici-transport.js';
import { snappyCompress, snappyDecompress } from '../../src/wire/snappy.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { push, stream } from '../loki/fixtures.js';

interface Setup {
  readonly target?: string;
  readonly tenant?: TenantOptionsInput;
  readonly maxRequestBytes?: number;
  readonly notConfigured?: boolean;
  readonly maxTenants?: number;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function upstream(): Promise<RecordingUpstream> {
  const u = await startRecordingUpstream();
  closers.push(() => u.close());
  return u;
}

async function startLokiServer(setup: Setup): Promise<{ url: string; metricsText: () => Promise<string> }> {
  const metrics = createProxyMetrics({ includeTenant: true, defaultMetrics: false });
  const transport = createUndiciTransport({ connections: 8 });
  const tenant = compileTenantOptions(normalizeTenantOptions(setup.tenant));
  const lokiHandler: LokiPushHandler = setup.notConfigured
    ? lokiNotConfigured
    : createLokiProxy({
        transport,
        targetUrl: setup.target ?? 'http://127.0.0.1:1/',
        tenant,
        metrics: createLokiMetrics({ registry: metrics.registry, includeTenant: true }),
        logger: createSilentLogger(),
        limits: { maxDecodedBytes: 1024 * 1024 },
        timeoutMs: 5_000,
        concurrency: 64,
        logResponseErrors: false,
        ...(setup.maxTenants !== undefined ? { fanOut: { maxTenants: setup.maxTenants, parallel: 4 } } : {}),
      });
  const app: FastifyInstance = buildApp({
    handler: async () => ({ status: 204 }),
    lokiHandler,
    health: createHealthState(),
    logger: createSilentLogger(),
    maxRequestBytes: 32 * 1024 * 1024,
    maxLokiRequestBytes: setup.maxRequestBytes ?? 1024 * 1024,
    tenantHeader: tenant.header,
    metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(async () => {
    await app.close();
    await transport.close();
  });
  const port = (app.server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/loki/push`, metricsText: () => metrics.registry.metrics() };
}

async function post(url: string, body: Uint8Array | string, headers: Record<string, string>, method = 'POST') {
  const r = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body }) });
  return { status: r.status, text: await r.text(), headers: r.headers };
}
const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };
const protoBody = (req: LokiPushRequest) => snappyCompress(encodePushRequest(req));
const received = (u: RecordingUpstream) => [...u.received].sort((a, b) => a.tenant.localeCompare(b.tenant));
const streamsOf = (body: Buffer) =>
  decodePushRequest(snappyDecompress(body)).streams.map((s) => [s.labels, s.entries.map((e) => e.line)]);

const twoTenants = push(
  stream('{app="a", __tenant__="t1"}', 'a1', 'a2'),
  stream('{app="b", __tenant__="t2"}', 'b1'),
  stream('{app="c", __tenant__="t1"}', 'c1'),
);

describe('POST /loki/push', () => {
  it('splits a snappy protobuf push by tenant: one push per tenant with the tenant header', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url });
    const r = await post(p.url, protoBody(twoTenants), PROTO);
    expect(r.status).toBe(204);
    const [t1, t2] = received(u);
    expect([t1!.tenant, t2!.tenant]).toEqual(['t1', 't2']);
    expect(t1!.headers['content-type']).toBe('application/x-protobuf');
    expect(t1!.headers['x-cortex-tenant-reqid']).toBe(t2!.headers['x-cortex-tenant-reqid']);
    expect(streamsOf(t1!.body)).toEqual([
      ['{app="a", __tenant__="t1"}', ['a1', 'a2']],
      ['{app="c", __tenant__="t1"}', ['c1']],
    ]);
    expect(streamsOf(t2!.body)).toEqual([['{app="b", __tenant__="t2"}', ['b1']]]);
    expect(await p.metricsText()).toMatch(/cortex_tenant_streams_requests\{tenant="t1"\} 1/);
  });

  it('forwards a one-tenant push as its original bytes', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url });
    const body = protoBody(push(stream('{__tenant__="solo"}', 'x', 'y')));
    expect((await post(p.url, body, { ...PROTO, 'content-encoding': 'snappy' })).status).toBe(204);
    expect(u.received).toHaveLength(1);
    expect(Buffer.compare(u.received[0]!.body, Buffer.from(body))).toBe(0);
  });

  it('splits a JSON push and forwards JSON to each tenant', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url, tenant: { label_remove: true } });
    const doc = {
      streams: [
        { stream: { app: 'a', __tenant__: 't1' }, values: [['1700000000000000001', 'a1', { trace: 'x' }]] },
        { stream: { __tenant__: 't2', app: 'b' }, values: [['1700000000000000002', 'b1']] },
      ],
    };
    expect((await post(p.url, JSON.stringify(doc), JSON_CT)).status).toBe(204);
    const [t1, t2] = received(u);
    expect(t1!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(t1!.body.toString())).toEqual({
      streams: [{ stream: { app: 'a' }, values: [['1700000000000000001', 'a1', { trace: 'x' }]] }],
    });
    expect(JSON.parse(t2!.body.toString())).toEqual({
      streams: [{ stream: { app: 'b' }, values: [['1700000000000000002', 'b1']] }],
    });
  });

  it('inflates gzip JSON; a one-tenant gzip push goes out as received, with its encoding', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url, tenant: { default: 'dflt' } });
    const gz = gzipSync(JSON.stringify({ streams: [{ stream: { app: 'a' }, values: [['1', 'l']] }] }));
    expect((await post(p.url, gz, { ...JSON_CT, 'content-encoding': 'gzip' })).status).toBe(204);
    expect(u.received[0]!.tenant).toBe('dflt');
    expect(u.received[0]!.headers['content-encoding']).toBe('gzip');
    expect(Buffer.compare(u.received[0]!.body, gz)).toBe(0);
  });

  it('label_remove removes only the tenant label from protobuf streams', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url, tenant: { label_remove: true, label_list: ['team', 'ns'] } });
    const req = push(stream('{z="1", ns="n1", team="ops", a="2"}', 'x'), stream('{ns="n1", b="3"}', 'y'));
    expect((await post(p.url, protoBody(req), PROTO)).status).toBe(204);
    const [n1, ops] = received(u);
    expect(streamsOf(ops!.body)).toEqual([['{z="1", ns="n1", a="2"}', ['x']]]);
    expect(streamsOf(n1!.body)).toEqual([['{b="3"}', ['y']]]);
  });

  it('prefix_prefer_source takes the incoming tenant header', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url, tenant: { prefix: 'p-', prefix_prefer_source: true } });
    await post(p.url, protoBody(push(stream('{__tenant__="x"}', 'l'))), { ...PROTO, 'x-scope-orgid': 'src' });
    expect(u.received[0]!.tenant).toBe('src-x');
  });

  it('a stream without a tenant: 400 naming the stream, nothing sent', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url });
    const r = await post(p.url, protoBody(push(stream('{__tenant__="t"}', 'a'), stream('{app="orphan"}', 'b'))), PROTO);
    expect(r.status).toBe(400);
    expect(r.text).toContain('{app="orphan"} (log stream 1) has no tenant');
    expect(u.received).toHaveLength(0);
  });

  it('bad bodies: 400 for corrupt snappy, bad protobuf, bad JSON, bad labels; 422 for no entries', async () => {
    const p = await startLokiServer({ tenant: { default: 'd' } });
    expect((await post(p.url, new Uint8Array([1, 2, 3]), PROTO)).status).toBe(400);
    expect((await post(p.url, snappyCompress(new Uint8Array([0x0a, 0x05, 0x0a])), PROTO)).status).toBe(400);
    expect((await post(p.url, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), PROTO)).text).toMatch(/over the limit/);
    expect((await post(p.url, '{"streams":', JSON_CT)).status).toBe(400);
    expect((await post(p.url, protoBody(push(stream('{app=x}', 'l'))), PROTO)).text).toMatch(/stream labels/);
    const empty = await post(p.url, JSON.stringify({ streams: [] }), JSON_CT);
    expect([empty.status, empty.text]).toEqual([422, 'error at least one valid stream is required for ingestion\n']);
  });

  it('folds upstream answers: highest status with its body, the largest Retry-After kept', async () => {
    const u = await upstream();
    u.replies = {
      t1: { status: 204 },
      t2: { status: 429, body: 'slow down', headers: { 'retry-after': '7' } },
    };
    const p = await startLokiServer({ target: u.url });
    const r = await post(p.url, protoBody(twoTenants), PROTO);
    expect([r.status, r.text, r.headers.get('retry-after')]).toEqual([
      429,
      'tenant t2: upstream answered 429: slow down',
      '7',
    ]);

    u.replies = {
      t1: { status: 503, body: 'down', headers: { 'retry-after': '3' } },
      t2: { status: 429, headers: { 'retry-after': '9' } },
    };
    const r2 = await post(p.url, protoBody(twoTenants), PROTO);
    expect([r2.status, r2.text, r2.headers.get('retry-after')]).toEqual([
      503,
      'tenant t1: upstream answered 503: down',
      '9',
    ]);
  });

  it('accept_all answers 204 whatever the upstream said', async () => {
    const u = await upstream();
    u.replies = { '*': { status: 500, body: 'boom' } };
    const p = await startLokiServer({ target: u.url, tenant: { accept_all: true } });
    expect((await post(p.url, protoBody(twoTenants), PROTO)).status).toBe(204);
  });

  it('a transport error gives 500 naming the tenant', async () => {
    const p = await startLokiServer({ target: 'http://127.0.0.1:1/loki/api/v1/push' });
    const r = await post(p.url, protoBody(push(stream('{__tenant__="t1"}', 'x'))), PROTO);
    expect(r.status).toBe(500);
    expect(r.text).toContain('tenant t1');
  });

  it('404 without target_loki, saying so', async () => {
    const p = await startLokiServer({ notConfigured: true });
    const r = await post(p.url, protoBody(twoTenants), PROTO);
    expect([r.status, r.text]).toEqual([404, 'Loki push is not forwarded: target_loki is not configured\n']);
  });

  it('405 for other methods, 413 over the body limit, 415 for other formats', async () => {
    const p = await startLokiServer({ maxRequestBytes: 1000 });
    const g = await post(p.url, '', {}, 'GET');
    expect([g.status, g.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await post(p.url, new Uint8Array(5000), PROTO)).status).toBe(413);
    const t = await post(p.url, 'hello', { 'content-type': 'text/plain' });
    expect([t.status, t.text]).toEqual([
      415,
      'unsupported Content-Type "text/plain": Loki push takes application/x-protobuf (snappy) or application/json\n',
    ]);
    expect((await post(p.url, '{}', { ...JSON_CT, 'content-encoding': 'br' })).status).toBe(415);
    const none = await post(p.url, new Uint8Array([1]), {});
    expect([none.status, none.text]).toEqual([
      415,
      'missing Content-Type: Loki push takes application/x-protobuf (snappy) or application/json\n',
    ]);
  });

  it('a push naming more tenants than max_tenants_per_request gets 400 and nothing goes upstream', async () => {
    const u = await upstream();
    const p = await startLokiServer({ target: u.url, maxTenants: 3 });
    const streams = (n: number) => push(...Array.from({ length: n }, (_, i) => stream(`{__tenant__="t${i}"}`, 'l')));
    const over = await post(p.url, protoBody(streams(4)), PROTO);
    expect(over.status).toBe(400);
    expect(over.text).toMatch(/4 tenants.*max_tenants_per_request \(3\)/);
    expect(u.received).toHaveLength(0);
    expect((await post(p.url, protoBody(streams(3)), PROTO)).status).toBe(204);
    expect(u.received).toHaveLength(3);
  });
});
