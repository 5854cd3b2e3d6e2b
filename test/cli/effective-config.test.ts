import { describe, expect, it } from 'vitest';
import { effectiveConfigDocument } from '../../src/cli/effective-config.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { CORTEX_TENANT_KEYS, TENANTWIRE_KEYS } from '../../src/config/cortex-tenant-schema.js';

/** Every optional key set, so the logged document has nothing to leave out. */
const FULL = `
listen: 127.0.0.1:8081
listen_pprof: 127.0.0.1:7777
listen_metrics_address: 127.0.0.1:9092
metrics_include_tenant: true
target: http://mimir:8080/api/v1/push
target_loki: http://loki:3100/loki/api/v1/push
log_level: info
timeout: 5s
idle_timeout: 30s
timeout_shutdown: 2s
concurrency: 100
metadata: true
log_response_errors: true
max_connection_duration: 1m
max_conns_per_host: 8
auth: { egress: { username: u, password: secret } }
tenant: { label: team, default: infra }
workers: 2
coalesce: true
coalesce_max_bytes: 1MiB
data_dir: /var/lib/tenantwire
max_connections: 100
queue: { dir: queue, max_disk_bytes: 2GiB, min_backoff: 100ms }
`;

describe('the effective configuration logged at start', () => {
  const doc = effectiveConfigDocument(parseCortexTenantConfig(FULL, 'full.yml', { env: {} }));

  it("names every setting by the file's own key (older aliases aside)", () => {
    const expected = [...CORTEX_TENANT_KEYS, ...TENANTWIRE_KEYS].filter((k) => k !== 'listen_metrics_include_tenant');
    expect(Object.keys(doc).sort()).toEqual(expect.arrayContaining(expected.sort()));
    for (const key of Object.keys(doc)) expect(key).toMatch(/^[a-z0-9_]+$/);
  });

  it('redacts the egress password and writes durations as Go does', () => {
    expect(doc).toMatchObject({
      auth: { egress: { username: 'u', password: '<redacted>' } },
      timeout: '5s',
      max_connection_duration: '1m0s',
    });
    expect(JSON.stringify(doc)).not.toContain('secret');
  });
});
