/**
 * Egress TLS with cortex-tenant's `auth.egress.tls_config.ca_bundle_file`: an https upstream
 * signed by a private CA is reached when the bundle is trusted, and refused (500, naming the
 * tenant) when it is not.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCert } from '../helpers/tls-cert.js';
import { createSilentLogger } from '../../src/logger.js';
import { createProxyMetrics } from '../../src/proxy/metrics.js';
import { createTenantProxy } from '../../src/proxy/tenant-proxy.js';
import { buildApp } from '../../src/server/app.js';
import { createHealthState } from '../../src/server/health.js';
import { compileTenantOptions, normalizeTenantOptions } from '../../src/tenant/options.js';
import { createUndiciTransport } from '../../src/transport/undici-transport.js';
import { tempDir } from '../helpers/peers.js';
import { post } from './proxy-harness.js';
import { remoteWriteBody, series } from '../helpers/series.js';

const tmp = tempDir('tls');
let upstream: Server;
let url = '';
let cert = '';
const tenants: string[] = [];

beforeAll(async () => {
  const { key, cert: crt } = makeSelfSignedCert(tmp.path, 'up');
  cert = readFileSync(crt, 'utf8');
  upstream = createServer({ key: readFileSync(key), cert }, (req, res) => {
    tenants.push(String(req.headers['x-scope-orgid']));
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  url = `https://127.0.0.1:${(upstream.address() as { port: number }).port}/api/v1/push`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
  tmp.remove();
});

async function proxyWith(caPem: string | undefined) {
  const transport = createUndiciTransport(caPem ? { caPem } : {});
  const metrics = createProxyMetrics({ includeTenant: false, defaultMetrics: false });
  const app = buildApp({
    handler: createTenantProxy({
      transport,
      targetUrl: url,
      tenant: compileTenantOptions(normalizeTenantOptions({ label: 'tenant' })),
      metrics,
      logger: createSilentLogger(),
      limits: { maxDecodedBytes: 1 << 20 },
      timeoutMs: 5_000,
      concurrency: 8,
      splitMode: 'wire',
      forwardProtocol: 'same',
      logResponseErrors: false,
    }),
    health: createHealthState(),
    logger: createSilentLogger(),
    maxRequestBytes: 1 << 20,
    tenantHeader: 'X-Scope-OrgID',
    metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/push`,
    close: async () => {
      await app.close();
      await transport.close();
    },
  };
}

describe('egress TLS with a CA bundle', () => {
  it('reaches an https upstream signed by the trusted bundle', async () => {
    const p = await proxyWith(cert);
    try {
      const r = await post(p.url, remoteWriteBody({ timeseries: [series({ __name__: 'a', tenant: 'secure' })] }));
      expect(r.status).toBe(204);
      expect(tenants).toContain('secure');
    } finally {
      await p.close();
    }
  });

  it('refuses the same upstream without the bundle: 500 naming the tenant', async () => {
    const p = await proxyWith(undefined);
    try {
      const r = await post(p.url, remoteWriteBody({ timeseries: [series({ __name__: 'a', tenant: 'insecure' })] }));
      expect(r.status).toBe(500);
      expect(r.text).toMatch(/insecure/);
      expect(tenants).not.toContain('insecure');
    } finally {
      await p.close();
    }
  });
});
