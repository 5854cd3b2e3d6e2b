import { afterEach, describe, expect, it } from 'vitest';
import { createFetchTransport } from '../../src/transport/fetch-transport.js';
import { composeTransport, withBasicAuth, withBearerToken, withHeaders } from '../../src/transport/auth-middlewares.js';
import { freePort } from '../helpers/peers.js';
import { startLoopback, type Loopback } from './loopback.js';
import type { Transport, TransportRequest } from '../../src/transport/types.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createFetchTransport', () => {
  it('adapts global fetch: status, headers, body, Retry-After', async () => {
    server = await startLoopback((_req, res, body) => {
      res.writeHead(503, { 'Retry-After': '4', 'X-Len': String(body.length) });
      res.end('later');
    });
    const t = createFetchTransport(fetch);
    const r = await t.send({
      url: `${server.url}/push`,
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: new Uint8Array(10),
    });
    expect(r).toMatchObject({ kind: 'response', status: 503, retryAfterMs: 4000 });
    expect(r.kind === 'response' && r.headers['x-len']).toBe('10');
    expect(r.kind === 'response' && Buffer.from(r.body).toString()).toBe('later');
    await t.close();
  });
  it('turns a refused connection into an error result', async () => {
    const t = createFetchTransport(fetch);
    const r = await t.send({ url: `http://127.0.0.1:${await freePort()}/`, headers: {} });
    expect(r.kind === 'error' && r.error.code).toBe('ECONNREFUSED');
  });
  it('times out', async () => {
    server = await startLoopback(() => {});
    const t = createFetchTransport(fetch);
    const r = await t.send({ url: server.url, headers: {}, timeoutMs: 50 });
    expect(r.kind === 'error' && r.error.code).toBe('timeout');
  });
});

describe('header middlewares', () => {
  const recorder = (): Transport & { seen: TransportRequest[] } => {
    const seen: TransportRequest[] = [];
    return {
      seen,
      send: async (req) => {
        seen.push(req);
        return { kind: 'response', status: 204, headers: {}, body: new Uint8Array() };
      },
      close: async () => {},
    };
  };
  it('adds headers, basic auth and bearer tokens, replacing other spellings', async () => {
    const inner = recorder();
    const t = composeTransport(inner, withHeaders({ 'X-Extra': '1' }), withBasicAuth('user', 'pä:ss'));
    await t.send({ url: 'http://x', headers: { authorization: 'old', 'x-extra': '0' } });
    expect(inner.seen[0]?.headers).toEqual({
      'X-Extra': '1',
      Authorization: `Basic ${Buffer.from('user:pä:ss').toString('base64')}`,
    });
    const b = recorder();
    await withBearerToken('tok')(b).send({ url: 'http://x', headers: {} });
    expect(b.seen[0]?.headers.Authorization).toBe('Bearer tok');
  });
  it('refuses header values with CR or LF', () => {
    expect(() => withHeaders({ 'X-A': 'a\r\nb' })).toThrow(/invalid/);
    expect(() => withBearerToken('a\nb')).toThrow(/CR/);
  });
});
