/**
 * The /v1/metrics route on its own (a stand-in handler): what it accepts and hands over, and
 * that every refusal at the edge is a google.rpc.Status in the request's encoding.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import protobuf from 'protobufjs';
import { createSilentLogger } from '../../src/logger.js';
import { buildApp } from '../../src/server/app.js';
import { createHealthState } from '../../src/server/health.js';
import type { IngressAuth } from '../../src/server/ingress-auth.js';
import type { IncomingOtlpExport, OtlpExportHandler } from '../../src/protocol/otlp-types.js';

const Status = protobuf
  .parse('syntax = "proto3"; message Status { int32 code = 1; string message = 2; }')
  .root.lookupType('Status');

const seen: IncomingOtlpExport[] = [];
const statuses: number[] = [];
let app: FastifyInstance | undefined;

const okHandler: OtlpExportHandler = async (e) => {
  seen.push(e);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode('{}') };
};

const auth: IngressAuth = {
  authenticate: (h) =>
    h === 'Bearer good'
      ? { ok: true, rights: { credential: 'token', allows: () => true, onForbidden: 'reject' } }
      : { ok: false, problem: h === undefined ? 'missing' : 'wrong', message: 'no valid credentials were sent' },
  checkSourceTenant: true,
};

function makeApp(options: { handler?: OtlpExportHandler; max?: number; withAuth?: boolean } = {}) {
  app = buildApp({
    handler: async () => ({ status: 204 }),
    otlpHandler: options.handler ?? okHandler,
    onOtlpAnswer: (s) => statuses.push(s),
    health: createHealthState(),
    maxRequestBytes: options.max ?? 1024,
    tenantHeader: 'X-Scope-OrgID',
    logger: createSilentLogger(),
    metrics: { contentType: 'text/plain', render: async () => '' },
    ...(options.withAuth ? { auth } : {}),
  });
  return app;
}

afterEach(async () => {
  seen.length = 0;
  statuses.length = 0;
  await app?.close();
  app = undefined;
});

const pbStatus = (raw: Buffer) => Status.toObject(Status.decode(raw)) as { code: number; message: string };

describe('POST /v1/metrics', () => {
  it.each([
    ['application/x-protobuf', undefined, 'protobuf', 'identity'],
    ['application/json; charset=utf-8', undefined, 'json', 'identity'],
    ['Application/X-Protobuf', 'gzip', 'protobuf', 'gzip'],
    ['application/json', 'identity', 'json', 'identity'],
    ['application/json', 'deflate', 'json', 'deflate'],
  ] as const)('takes %s with encoding %s', async (type, coding, encoding, expected) => {
    const r = await makeApp().inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { 'content-type': type, ...(coding ? { 'content-encoding': coding } : {}), 'x-scope-orgid': 'src' },
      payload: Buffer.from([1, 2, 3]),
    });
    expect(r.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ encoding, coding: expected, sourceTenant: 'src' });
    expect(Array.from(seen[0]!.body)).toEqual([1, 2, 3]);
    expect(statuses).toEqual([200]);
  });

  it('refuses another content type with 415, a JSON Status naming both accepted types', async () => {
    const r = await makeApp().inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(r.statusCode).toBe(415);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = r.json() as { code: number; message: string };
    expect(body.code).toBe(12);
    expect(body.message).toContain('"text/plain"');
    expect(body.message).toContain('application/x-protobuf or application/json');
    expect(seen).toHaveLength(0);
    expect(statuses).toEqual([415]);
  });

  it('refuses a missing content type with 415', async () => {
    const r = await makeApp().inject({ method: 'POST', url: '/v1/metrics', payload: Buffer.from([1]) });
    expect(r.statusCode).toBe(415);
    expect((r.json() as { message: string }).message).toContain('unsupported Content-Type none');
  });

  it('refuses another content coding with 415, a protobuf Status for a protobuf request', async () => {
    const r = await makeApp().inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' },
      payload: Buffer.from([1]),
    });
    expect(r.statusCode).toBe(415);
    expect(r.headers['content-type']).toBe('application/x-protobuf');
    expect(r.headers['accept-encoding']).toBe('gzip, deflate');
    const s = pbStatus(r.rawPayload);
    expect(s.message).toContain('unsupported Content-Encoding "br"');
  });

  it('answers 413 for a body over max_request_bytes, in the request encoding', async () => {
    const r = await makeApp({ max: 16 }).inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { 'content-type': 'application/x-protobuf' },
      payload: Buffer.alloc(64),
    });
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toBe('application/x-protobuf');
    expect(pbStatus(r.rawPayload).message).toContain('larger than the limit of 16 bytes');
    expect(seen).toHaveLength(0);
  });

  it('answers 401 without credentials and 403 for a forbidden tenant header, as Status', async () => {
    const a = makeApp({ withAuth: true });
    const none = await a.inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Basic');
    expect(none.json()).toMatchObject({ code: 16 });
    expect((none.json() as { message: string }).message).toContain('authentication required');
    const ok = await a.inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { 'content-type': 'application/json', authorization: 'Bearer good' },
      payload: '{}',
    });
    expect(ok.statusCode).toBe(200);
    expect(seen[0]?.rights?.credential).toBe('token');
    expect(statuses).toEqual([401, 200]);
  });

  it('answers 405 for other methods', async () => {
    const r = await makeApp().inject({ method: 'GET', url: '/v1/metrics' });
    expect(r.statusCode).toBe(405);
    expect(r.headers.allow).toBe('POST');
    expect(r.json()).toMatchObject({ code: 3 });
  });

  it('passes the handler answer through untouched', async () => {
    const bytes = new Uint8Array([10, 2, 8, 1]);
    const r = await makeApp({
      handler: async () => ({ status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: bytes }),
    }).inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { 'content-type': 'application/x-protobuf' },
      payload: Buffer.from([0]),
    });
    expect(r.statusCode).toBe(200);
    expect(Array.from(r.rawPayload)).toEqual([10, 2, 8, 1]);
  });

  it('leaves the remote-write routes answering in text', async () => {
    const r = await makeApp().inject({
      method: 'POST',
      url: '/api/v1/push',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(r.statusCode).toBe(415);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
  });
});
