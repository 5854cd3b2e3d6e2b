import type { Registry as MetricsRegistry } from 'prom-client';
import type { ComponentDefinition } from '../types.js';
import type { ReceiveHttpArgs } from './arguments.js';
import { receiveHttpArgsSchema } from './arguments.js';
import { createReceiveHttp, type ReceiveHttpExports } from './component.js';

/**
 * The registry entry of `prometheus.receive_http`. The self-metrics registry it serves is not
 * an argument: the program that builds the registry binds it here.
 */
export function createReceiveHttpDefinition(deps: {
  readonly metrics: MetricsRegistry;
}): ComponentDefinition<ReceiveHttpArgs, ReceiveHttpExports> {
  return {
    kind: 'prometheus.receive_http',
    args: receiveHttpArgsSchema as never,
    async build(options, args) {
      const c = createReceiveHttp(options, deps.metrics);
      await c.update(args);
      return c;
    },
  };
}
