import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { createSilentLogger } from '../../src/logger.js';
import { beginDrain, buildApp } from '../../src/server/app.js';
import { createHealthState, type HealthState } from '../../src/server/health.js';
import { checkIntervalMs, DEFAULT_CONNECTION_LIMITS } from '../../src/server/http-server.js';
import { closeWithin, listenApp } from '../../src/server/listen.js';
import type { WriteHandler } from '../../src/protocol/write-types.js';
import { rawConnection } from '../helpers/fault-tools.js';
import { eventually } from '../helpers/eventually.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) {
    app.server.closeAllConnections();
    await app.close();
  }
});

async function serve(
  handler: WriteHandler,
  health: HealthState = createHealthState(),
): Promise<{ app: FastifyInstance; port: number }> {
  const app = buildApp({
    handler,
    health,
    logger: createSilentLogger(),
    maxRequestBytes: 1024 * 1024,
    tenantHeader: 'X-Scope-OrgID',
    metrics: { contentType: 'text/plain', render: async () => '' },
  });
  apps.push(app);
  const server = await listenApp(app, '127.0.0.1:0', { drainMs: 1_000 });
  return { app, port: Number(server.address.split(':').pop()) };
}

describe('connection limits', () => {
  it('checks read deadlines every quarter of the timeout, between 100 ms and 1 s', () => {
    expect(checkIntervalMs(10_000)).toBe(1_000);
    expect(checkIntervalMs(2_000)).toBe(500);
    expect(checkIntervalMs(100)).toBe(100);
    expect(checkIntervalMs(0)).toBe(1_000);
  });

  it('the server gets the read timeout as header and request deadline, and the idle timeout', async () => {
    const { app } = await serve(async () => ({ status: 204 }));
    expect(app.server.headersTimeout).toBe(DEFAULT_CONNECTION_LIMITS.readTimeoutMs);
    expect(app.server.requestTimeout).toBe(DEFAULT_CONNECTION_LIMITS.readTimeoutMs);
    expect(app.server.keepAliveTimeout).toBe(DEFAULT_CONNECTION_LIMITS.idleTimeoutMs);
  });

  it(
    'max_connections comes from the file or TENANTWIRE_MAX_CONNECTIONS, default 4096; a negative value is ' +
      'refused naming it',
    () => {
      expect(parseCortexTenantConfig('listen: 127.0.0.1:1\n', 'a.yml', { env: {} }).maxConnections).toBe(4096);
      expect(parseCortexTenantConfig('max_connections: 10\n', 'a.yml', { env: {} }).maxConnections).toBe(10);
      expect(
        parseCortexTenantConfig('listen: 127.0.0.1:1\n', 'a.yml', { env: { TENANTWIRE_MAX_CONNECTIONS: '7' } })
          .maxConnections,
      ).toBe(7);
      expect(() => parseCortexTenantConfig('max_connections: -1\n', 'a.yml', { env: {} })).toThrow(/max_connections/);
    },
  );
});

describe('draining', () => {
  it('once shutdown begins, answers carry Connection: close and idle connections are closed', async () => {
    const health = createHealthState();
    const { app, port } = await serve(async () => ({ status: 204 }), health);
    const idle = await rawConnection(port);
    expect((await idle.post('/api/v1/push', new Uint8Array(0))).headers.connection).toBe('keep-alive');
    const busy = await rawConnection(port);
    beginDrain(app, health);
    await idle.closed;
    const a = await busy.post('/api/v1/push', new Uint8Array(0));
    expect(a.headers.connection).toBe('close');
    await busy.closed;
  });

  it('closeWithin closes a request still in flight at the deadline and says it had to', async () => {
    let release: (() => void) | undefined;
    const { app, port } = await serve(() => new Promise((r) => (release = () => r({ status: 204 }))));
    const conn = await rawConnection(port);
    const answer = conn.post('/api/v1/push', new Uint8Array(0)).then(
      () => 'answered',
      () => 'closed',
    );
    await eventually(() => release !== undefined, { message: 'the request to reach the handler' });
    expect(await closeWithin(app, { drainMs: 200 })).toBe(true);
    expect(await answer).toBe('closed');
    release?.();
  });
});
