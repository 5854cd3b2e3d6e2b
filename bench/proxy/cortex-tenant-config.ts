/**
 * The config cortex-tenant (v2.0.0) runs with in the proxy suite: the same cortex-tenant keys
 * as tenantwire's drop-in rows (listen, target, log level, tenant label and default), none of
 * tenantwire's own. Its metrics listener is moved to a free loopback port: by default it binds
 * 0.0.0.0:9090, which another process may hold.
 */

export interface CortexTenantConfigInput {
  readonly port: number;
  readonly metricsPort: number;
  readonly target: string;
  readonly tenantLabel: string;
}

export function cortexTenantConfig(input: CortexTenantConfigInput): string {
  return [
    `listen: 127.0.0.1:${input.port}`,
    `listen_metrics_address: 127.0.0.1:${input.metricsPort}`,
    `target: ${input.target}`,
    'log_level: warn',
    'tenant:',
    `  label: ${input.tenantLabel}`,
    '  default: bench-default',
    '',
  ].join('\n');
}

/** The version it logs at start (`Started vv2.0.0` from v2.0.0's own `v` prefix), if any. */
export function cortexTenantVersion(output: string): string | undefined {
  const m = /Started v+(\d+\.\d+\.\d+\S*?)"?$/m.exec(output);
  return m?.[1];
}
