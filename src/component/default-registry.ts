import { Registry as MetricsRegistry } from 'prom-client';
import { alertingCortexSyncDefinition } from './alertmanager-sync/definition.js';
import { createReceiveHttpDefinition } from './receive-http/definition.js';
import { createOtlpReceiveHttpDefinition } from './otlp-receive-http/definition.js';
import { createRegistry, type Registry } from './registry.js';
import type { RemoteWriteOptions } from './remote-write/component.js';
import { remoteWriteDefinitionWith } from './remote-write/definition.js';
import type { AnyComponentDefinition } from './types.js';

export interface DefaultRegistryOptions {
  /** One self-metrics registry shared by every component (served at /metrics). */
  readonly metrics?: MetricsRegistry;
  /** Options of prometheus.remote_write that are not arguments (a transport for tests or embedding). */
  readonly remoteWrite?: Omit<RemoteWriteOptions, 'logger' | 'registry'>;
  /** More kinds, e.g. a host's own components. */
  readonly extra?: readonly AnyComponentDefinition[];
}

/**
 * The kinds a pipeline file may use: `prometheus.receive_http`, `otlp.receive_http`, `prometheus.remote_write`,
 * `alerting.cortex_sync`, plus any `extra`.
 */
export function createDefaultRegistry(options: DefaultRegistryOptions = {}): Registry {
  const metrics = options.metrics ?? new MetricsRegistry();
  return createRegistry([
    createReceiveHttpDefinition({ metrics }),
    createOtlpReceiveHttpDefinition({ metrics }),
    remoteWriteDefinitionWith({ ...options.remoteWrite, registry: metrics }),
    alertingCortexSyncDefinition,
    ...(options.extra ?? []),
  ]);
}
