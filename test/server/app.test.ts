import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { WireError, TenantError, LimitError, TenantwireError } from '../../src/errors.js';
import { createSilentLogger } from '../../src/logger.js';
import { buildApp } from '../../src/server/app.js';
import { createHealthState } from '../../src/server/health.js';
import type { IncomingWrite, WriteHandler } from '../../src/protocol/write-types.js';

const seen: IncomingWrite[] = [];
let app: FastifyInstance | undefined;

function makeApp(
  handler: WriteHandler = async (w) => {
    seen.push(w);
    return { status: 204 };
  },
  max = 1024,
) {
  const health = createHealthState();
  app = buildApp({
    handler,
    health,
    maxRequestBytes: max,
    tenantHeader: 'X-Scope-OrgID',
    logger: createSilentLogger(),
    metrics: { contentType: 'text/plain; version=0.0.4', render: async () => 'up 1\n' },
  });
  return { app, health };
}

afterEach(async () => {
  seen.length = 0;
  await app?.close();
  app = undefined;
});

const rw = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };

describe('remote-write routes', () => {
  it.each(['/push', '/api/v1/push', '/api/v1/write', '/api/v1/metrics/write'])(
    'accepts POST %s and hands over the exact bytes',
    async (url) => {
      const { app } = makeApp();
      const r = await app.inject({
        method: 'POST',
        url,
        headers: { ...rw, 'x-scope-orgid': 'src-1' },
        payload: Buffer.from([1, 2, 3]),
      });
      expect(r.statusCode).toBe(204);
      expect(seen).toHaveLength(1);
      expect(Array.from(seen[0]!.compressed)).toEqual([1, 2, 3]);
      expect(seen[0]!.version).toBe('1.0');
      expect(seen[0]!.sourceTenant).toBe('src-1');
    },
  );

  it('tolerates a missing content type and encoding as 1.0 (old senders)', async () => {
    const { app } = makeApp();
    const r = await app.inject({ method: 'POST', url: '/push', payload: Buffer.from([9]) });
    expect(r.statusCode).toBe(204);
    expect(seen[0]?.version).toBe('1.0');
  });

  it('recognises 2.0 by its proto parameter, with whitespace', async () => {
    const { app } = makeApp();
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: {
        'content-type': 'application/x-protobuf ; proto=io.prometheus.write.v2.Request',
        'content-encoding': 'snappy',
      },
      payload: Buffer.from([9]),
    });
    expect(r.statusCode).toBe(204);
    expect(seen[0]?.version).toBe('2.0');
  });

  it('answers 405 with Allow for other methods', async () => {
    const { app } = makeApp();
    const r = await app.inject({ method: 'GET', url: '/push' });
    expect(r.statusCode).toBe(405);
    expect(r.headers.allow).toBe('POST');
    expect(r.body).toMatch(/GET not allowed/);
  });

  it.each([
    [{ 'content-type': 'application/json', 'content-encoding': 'snappy' }, /Content-Type "application\/json"/],
    [{ 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, /Content-Encoding "gzip"/],
    [{ 'content-type': 'application/x-protobuf;proto=foo.Bar' }, /proto=foo.Bar/],
  ])('answers 415 naming the unsupported header %j', async (headers, message) => {
    const { app } = makeApp();
    const r = await app.inject({ method: 'POST', url: '/push', headers, payload: Buffer.from([1]) });
    expect(r.statusCode).toBe(415);
    expect(r.body).toMatch(message);
    expect(seen).toHaveLength(0);
  });

  it('answers 413 for a body over the limit without calling the handler', async () => {
    const { app } = makeApp(undefined, 100);
    const r = await app.inject({ method: 'POST', url: '/push', headers: rw, payload: Buffer.alloc(101) });
    expect(r.statusCode).toBe(413);
    expect(r.body).toMatch(/limit of 100 bytes/);
    expect(seen).toHaveLength(0);
  });

  it.each([
    [new WireError('snappy_corrupt', 'snappy: corrupt input at offset 3'), 400, /corrupt input/],
    [
      new TenantError('missing_tenant', 'series up{job="x"} has none of the labels [tenant]'),
      400,
      /none of the labels/,
    ],
    [
      new LimitError('decoded_too_large', 'declared decoded length 4294967295 over 33554432'),
      400,
      /declared decoded length/,
    ],
    [new TenantwireError('queue_full', 'queue full'), 503, /queue full/],
    [new Error('boom'), 500, /internal error: boom/],
  ])('maps handler error %s to its status', async (error, status, message) => {
    const { app } = makeApp(async () => {
      throw error;
    });
    const r = await app.inject({ method: 'POST', url: '/push', headers: rw, payload: Buffer.from([1]) });
    expect(r.statusCode).toBe(status);
    expect(r.body).toMatch(message);
  });
});

describe('health and metrics', () => {
  it('/alive turns 503 once shutdown begins; /ready follows', async () => {
    const { app, health } = makeApp();
    expect((await app.inject({ url: '/alive' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/-/healthy' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/-/ready' })).statusCode).toBe(200);
    health.beginShutdown();
    expect((await app.inject({ url: '/alive' })).statusCode).toBe(503);
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(503);
    expect((await app.inject({ url: '/-/healthy' })).statusCode).toBe(503);
    expect((await app.inject({ url: '/-/ready' })).statusCode).toBe(503);
  });

  it('serves /metrics with the registry content type', async () => {
    const { app } = makeApp();
    const r = await app.inject({ url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/version=0.0.4/);
    expect(r.body).toBe('up 1\n');
  });
});
