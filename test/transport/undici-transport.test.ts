import { afterEach, describe, expect, it, vi } from 'vitest';
import { MockAgent } from 'undici';
import { createServer } from 'node:net';
import { createUndiciTransport } from '../../src/transport/undici-transport.js';
import { freePort } from '../helpers/peers.js';
import { startLoopback, type Loopback } from './loopback.js';
import type { Transport } from '../../src/transport/types.js';

let server: Loopback | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  server = undefined;
  transport = undefined;
});

describe('createUndiciTransport against node:http on loopback', () => {
  it('sends the body and headers, resolves every status with lower-case headers', async () => {
    server = await startLoopback((req, res) => {
      const status = Number(req.url?.slice(1));
      res.writeHead(status, { 'X-Answer': 'yes', 'Content-Type': 'text/plain' });
      res.end(status === 204 ? undefined : `status ${status}`);
    });
    transport = createUndiciTransport();
    for (const status of [204, 400, 404, 429, 500, 503]) {
      const r = await transport.send({
        url: `${server.url}/${status}`,
        headers: { 'X-Scope-OrgID': 'a' },
        body: new Uint8Array([1, 2, 3]),
      });
      expect(r.kind).toBe('response');
      if (r.kind !== 'response') continue;
      expect(r.status).toBe(status);
      expect(r.headers['x-answer']).toBe('yes');
      if (status !== 204) expect(Buffer.from(r.body).toString()).toBe(`status ${status}`);
    }
    expect(server.requests[0]?.body).toEqual(Buffer.from([1, 2, 3]));
    expect(server.requests[0]?.headers['x-scope-orgid']).toBe('a');
    expect(server.requests[0]?.method).toBe('POST');
  });

  it('parses Retry-After in seconds and as an HTTP date', async () => {
    const nowMs = Date.parse('2024-01-01T00:00:00Z');
    server = await startLoopback((req, res) => {
      const value = req.url === '/seconds' ? '7' : 'Mon, 01 Jan 2024 00:00:30 GMT';
      res.writeHead(429, { 'Retry-After': value });
      res.end();
    });
    transport = createUndiciTransport({ now: () => nowMs });
    const a = await transport.send({ url: `${server.url}/seconds`, headers: {} });
    const b = await transport.send({ url: `${server.url}/date`, headers: {} });
    expect(a.kind === 'response' && a.retryAfterMs).toBe(7000);
    expect(b.kind === 'response' && b.retryAfterMs).toBe(30_000);
  });

  it('cuts the response body at the cap', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(500);
      res.end(Buffer.alloc(200_000, 0x61));
    });
    transport = createUndiciTransport({ maxResponseBytes: 1000 });
    const r = await transport.send({ url: server.url, headers: {} });
    expect(r.kind === 'response' && r.status).toBe(500);
    expect(r.kind === 'response' && r.body.length).toBe(1000);
  });

  it('gives a timeout error when the upstream stays silent', async () => {
    server = await startLoopback(() => {
      /* never answers */
    });
    transport = createUndiciTransport();
    const r = await transport.send({ url: server.url, headers: {}, timeoutMs: 100 });
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.error.code).toBe('timeout');
  });

  it('gives ECONNREFUSED for a closed port', async () => {
    const port = await freePort();
    transport = createUndiciTransport();
    const r = await transport.send({ url: `http://127.0.0.1:${port}/push`, headers: {} });
    expect(r.kind === 'error' && r.error.code).toBe('ECONNREFUSED');
  });

  it('gives aborted when the caller aborts', async () => {
    let arrived = (): void => {};
    const held = new Promise<void>((r) => (arrived = r));
    server = await startLoopback(() => arrived()); // never answers
    transport = createUndiciTransport();
    const ac = new AbortController();
    const p = transport.send({ url: server.url, headers: {}, signal: ac.signal });
    await held;
    ac.abort();
    const r = await p;
    expect(r.kind === 'error' && r.error.code).toBe('aborted');
  });

  it('reports a reset connection as a network error code', async () => {
    const raw = createServer((s) => s.destroy());
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const addr = raw.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    transport = createUndiciTransport();
    const r = await transport.send({ url: `http://127.0.0.1:${port}/`, headers: {} });
    await new Promise<void>((res) => raw.close(() => res()));
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && typeof r.error.code).toBe('string');
  });

  it('reuses keep-alive sockets, and replaces them past maxConnectionDurationMs', async () => {
    const ports = new Set<number>();
    server = await startLoopback((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.writeHead(204);
      res.end();
    });
    transport = createUndiciTransport({ connections: 1 });
    for (let i = 0; i < 3; i++) await transport.send({ url: server.url, headers: {} });
    expect(ports.size).toBe(1);
    await transport.close();
    ports.clear();
    // The pool's age is read from performance.now: fake only that clock and move it on.
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      transport = createUndiciTransport({ connections: 1, maxConnectionDurationMs: 1 });
      for (let i = 0; i < 3; i++) {
        await transport.send({ url: server.url, headers: {} });
        vi.advanceTimersByTime(5);
      }
    } finally {
      vi.useRealTimers();
    }
    expect(ports.size).toBeGreaterThan(1);
  });

  it('rejects non-http URLs without throwing', async () => {
    transport = createUndiciTransport();
    const r = await transport.send({ url: 'ftp://x/y', headers: {} });
    expect(r.kind === 'error' && r.error.code).toBe('bad_url');
  });
});

describe('createUndiciTransport with a MockAgent', () => {
  it('dispatches through the injected dispatcher', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('http://cortex.invalid')
      .intercept({ path: '/api/v1/push', method: 'POST' })
      .reply(503, 'busy', { headers: { 'Retry-After': '2' } });
    transport = createUndiciTransport({ dispatcher: agent });
    const r = await transport.send({
      url: 'http://cortex.invalid/api/v1/push',
      headers: {},
      body: new Uint8Array([9]),
    });
    expect(r).toMatchObject({ kind: 'response', status: 503, retryAfterMs: 2000 });
    await agent.close();
  });
});
