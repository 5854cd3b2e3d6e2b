import type { Registry as MetricsRegistry } from 'prom-client';
import type { ComponentDefinition } from '../types.js';
import { otlpReceiveHttpArgsSchema, type ReceiveHttpArgs } from '../receive-http/arguments.js';
import { createReceiveHttp, type ReceiveHttpExports } from '../receive-http/component.js';

/**
 * `otlp.receive_http`: OTLP/HTTP metrics (`POST /v1/metrics`) translated to Prometheus series
 * and pushed into `forward_to` receivers, typically `prometheus.remote_write` endpoints whose
 * `tenant` block splits them by tenant. The server, limits and `auth` are receive_http's.
 */
export function createOtlpReceiveHttpDefinition(deps: {
  readonly metrics: MetricsRegistry;
}): ComponentDefinition<ReceiveHttpArgs, ReceiveHttpExports> {
  return {
    kind: 'otlp.receive_http',
    args: otlpReceiveHttpArgsSchema as never,
    async build(options, args) {
      const c = createReceiveHttp(options, deps.metrics, 'otlp');
      await c.update(args);
      return c;
    },
  };
}
