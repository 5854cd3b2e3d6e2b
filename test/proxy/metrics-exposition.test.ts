/**
 * Pins what /metrics shows for the proxy's remote-write and Loki metrics: every name, type, help
 * text, label and bucket, after a few observations. Dashboards built for cortex-tenant read these
 * names, so a refactor of how the metrics are built must leave this text unchanged. The build-info
 * gauge is left out (its labels name the running Node and snappy backend).
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLokiMetrics } from '../../src/proxy/loki-metrics.js';
import { createProxyMetrics } from '../../src/proxy/metrics.js';

const withoutBuildInfo = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !line.includes('tenantwire_build_info') && !line.includes('tenantwire_workers'))
    .join('\n')
    .replace(/^\n+/, '\n');

async function exposition(includeTenant: boolean): Promise<string> {
  const registry = new Registry();
  const m = createProxyMetrics({ includeTenant, registry, defaultMetrics: false });
  const loki = createLokiMetrics({ registry, includeTenant });
  m.batchesReceived.inc();
  m.batchesReceivedBytes.observe(1234);
  m.timeseriesReceived.inc({ tenant: m.tenantLabel('team-a') }, 7);
  m.requestDurationMs.observe({ code: '204', tenant: m.tenantLabel('team-a') }, 12);
  m.requestErrors.inc({ tenant: m.tenantLabel('team-b') });
  m.requests.inc({ tenant: m.tenantLabel('team-a') }, 2);
  m.answers.inc({ code: '204' });
  m.samplesDropped.inc({ reason: 'upstream_rejected' }, 3);
  m.upstreamDuration.observe({ code: 'error', tenant: m.tenantLabel('team-b') }, 0.2);
  m.partialAcceptance.inc();
  m.passthrough.inc();
  m.coalescedPieces.inc(4);
  m.coalescedRefusals.inc();
  loki.batchesReceived.inc();
  loki.batchesReceivedBytes.observe(99);
  loki.streamsReceived.inc({ tenant: loki.tenantLabel('team-a') }, 5);
  loki.requestDurationMs.observe({ code: '400', tenant: loki.tenantLabel('team-a') }, 3);
  loki.requestErrors.inc({ tenant: loki.tenantLabel('team-a') });
  loki.requests.inc({ tenant: loki.tenantLabel('team-a') });
  loki.answers.inc({ code: '400' });
  return withoutBuildInfo(await registry.metrics());
}

describe('proxy metrics exposition', () => {
  it('keeps every name, type, help text, label and bucket (tenant label on)', async () => {
    await expect(await exposition(true)).toMatchFileSnapshot('../fixtures/proxy-metrics-tenant.prom');
  });

  it('records an empty tenant label when metrics_include_tenant is off', async () => {
    const text = await exposition(false);
    expect(text).toContain('cortex_tenant_timeseries_received{tenant=""} 7');
    expect(text).toContain('cortex_tenant_streams_received{tenant=""} 5');
    expect(text).not.toContain('team-');
  });
});
