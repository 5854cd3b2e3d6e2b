import { afterEach } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createSilentLogger } from '../../src/logger.js';
import { createProxyMetrics, type ProxyMetrics } from '../../src/proxy/metrics.js';
import { createTenantProxy, type TenantProxyOptions } from '../../src/proxy/tenant-proxy.js';
import { buildApp } from '../../src/server/app.js';
import { createHealthState } from '../../src/server/health.js';
import { compileTenantOptions, normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import { withBasicAuth } from '../../src/transport/auth-middlewares.js';
import type { Transport } from '../../src/transport/types.js';
import { createUndiciTransport } from '../../src/transport/undici-transport.js';

export interface ProxyUnderTest {
  readonly url: string;
  readonly metrics: ProxyMetrics;
  close(): Promise<void>;
}

export interface ProxySetup {
  readonly target: string;
  readonly tenant?: TenantOptionsInput;
  readonly metadata?: boolean;
  readonly basicAuth?: { username: string; password: string };
  readonly proxy?: Partial<
    Pick<
      TenantProxyOptions,
      'timeoutMs' | 'concurrency' | 'splitMode' | 'forwardProtocol' | 'coalesce' | 'fanOut' | 'inFlight'
    >
  >;
  readonly maxRequestBytes?: number;
}

export async function startProxy(setup: ProxySetup): Promise<ProxyUnderTest> {
  const metrics = createProxyMetrics({ includeTenant: true, defaultMetrics: false });
  let transport: Transport = createUndiciTransport({ connections: 8 });
  if (setup.basicAuth) transport = withBasicAuth(setup.basicAuth.username, setup.basicAuth.password)(transport);
  const tenant = compileTenantOptions(normalizeTenantOptions(setup.tenant, { metadata: setup.metadata ?? false }));
  const handler = createTenantProxy({
    transport,
    targetUrl: setup.target,
    tenant,
    metrics,
    logger: createSilentLogger(),
    limits: { maxDecodedBytes: 32 * 1024 * 1024 },
    timeoutMs: setup.proxy?.timeoutMs ?? 5_000,
    concurrency: setup.proxy?.concurrency ?? 64,
    splitMode: setup.proxy?.splitMode ?? 'wire',
    forwardProtocol: setup.proxy?.forwardProtocol ?? 'same',
    logResponseErrors: false,
    ...(setup.proxy?.coalesce ? { coalesce: setup.proxy.coalesce } : {}),
    ...(setup.proxy?.fanOut ? { fanOut: setup.proxy.fanOut } : {}),
    ...(setup.proxy?.inFlight ? { inFlight: setup.proxy.inFlight } : {}),
  });
  const app: FastifyInstance = buildApp({
    handler,
    health: createHealthState(),
    logger: createSilentLogger(),
    maxRequestBytes: setup.maxRequestBytes ?? 32 * 1024 * 1024,
    tenantHeader: tenant.header,
    metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/push`,
    metrics,
    async close() {
      await app.close();
      await transport.close();
    },
  };
}

export async function post(
  url: string,
  payload: Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      ...headers,
    },
    body: payload,
  });
  return { status: r.status, text: await r.text(), headers: r.headers };
}

/**
 * Registers an afterEach that closes what the returned `keep` was given during the test, the
 * last first (a proxy before its upstream). `keep` hands its argument back.
 */
export function closeAfterEach(): <T extends { close(): Promise<void> }>(server: T) => T {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    while (open.length > 0) await open.pop()!.close();
  });
  return (server) => {
    open.push(server);
    return server;
  };
}
