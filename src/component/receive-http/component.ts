import type { Registry as MetricsRegistry } from 'prom-client';
import { beginDrain, buildApp } from '../../server/app.js';
import { createHealthState } from '../../server/health.js';
import { listenApp, type ListeningServer } from '../../server/listen.js';
import type { Component, ComponentOptions } from '../types.js';
import { DEFAULT_WIRE_LIMITS } from '../../wire/types.js';
import { otlpReceiveHttpArgsSchema, receiveHttpArgsSchema, type ReceiveHttpArgs } from './arguments.js';
import { createReceiveHandler } from './handler.js';
import { createReceiveIngress } from './ingress.js';
import { createPipelineOtlp } from './otlp.js';

/** Exports nothing, like Alloy's prometheus.receive_http; `address` tells where it listens. */
export interface ReceiveHttpExports {
  readonly address: string | undefined;
}

/**
 * `prometheus.receive_http`: the drop-in remote-write target as a pipeline component. The
 * server keeps running across updates that only change `forward_to` or limits; a new `listen`
 * restarts it. Self-metrics are served from `metrics` at /metrics.
 */
export function createReceiveHttp(
  options: ComponentOptions<ReceiveHttpExports>,
  metrics: MetricsRegistry,
  /** `remote_write`: prometheus.receive_http; `otlp`: otlp.receive_http (POST /v1/metrics only). */
  protocol: 'remote_write' | 'otlp' = 'remote_write',
): Component<ReceiveHttpArgs, ReceiveHttpExports> & { exports: ReceiveHttpExports } {
  let args: ReceiveHttpArgs | undefined;
  let server: ListeningServer | undefined;
  let listening: string | undefined;
  let exportsValue: ReceiveHttpExports = { address: undefined };
  let restart: (() => void) | undefined;
  /** Begins a graceful stop of the open server (503 on /alive, Connection: close, idle closed). */
  let drain: (() => void) | undefined;
  const health = createHealthState();
  const ingress = createReceiveIngress(metrics, options.logger);
  const handler = createReceiveHandler(() => ({
    receivers: args?.forward_to ?? [],
    limits: {
      maxDecodedBytes: args?.max_decoded_bytes ?? DEFAULT_WIRE_LIMITS.maxDecodedBytes,
      maxElements: args?.max_decoded_elements ?? DEFAULT_WIRE_LIMITS.maxElements,
    },
  }));
  const otlp = protocol === 'otlp' ? createPipelineOtlp(handler, metrics, options.logger) : undefined;

  async function open(a: ReceiveHttpArgs): Promise<void> {
    const app = buildApp({
      handler,
      health,
      logger: options.logger,
      maxRequestBytes: a.max_request_bytes,
      tenantHeader: a.tenant_header,
      metrics: { contentType: metrics.contentType, render: () => metrics.metrics() },
      requestTimeoutMs: a.read_timeout,
      keepAliveTimeoutMs: a.idle_timeout,
      maxConnections: a.max_connections,
      ...(ingress.auth() ? { auth: ingress.auth()! } : {}),
      ...(otlp ? { remoteWrite: false, otlpHandler: otlp.handler, onOtlpAnswer: otlp.onAnswer } : {}),
    });
    // A request in flight is being read (bounded by read_timeout) or queued (no upstream wait).
    server = await listenApp(app, a.listen, { drainMs: drainMsFor(a), logger: options.logger });
    drain = () => beginDrain(app, health);
    exportsValue = { address: server.address };
    listening = a.listen;
    options.logger.info({ address: exportsValue.address }, otlp ? 'receiving OTLP metrics' : 'receiving remote write');
    options.onStateChange(exportsValue);
  }

  return {
    get exports() {
      return exportsValue;
    },
    async update(next) {
      const parsed: ReceiveHttpArgs = (protocol === 'otlp' ? otlpReceiveHttpArgsSchema : receiveHttpArgsSchema).parse(
        next,
      );
      otlp?.apply(parsed);
      const hadAuth = ingress.auth() !== undefined;
      await ingress.apply(parsed);
      // The credential check is part of the server: turning it on or off opens it again.
      const relisten =
        args !== undefined && (parsed.listen !== args.listen || hadAuth !== (ingress.auth() !== undefined));
      args = parsed;
      if (relisten) restart?.();
    },
    async run(signal) {
      while (!signal.aborted) {
        await open(args!);
        await new Promise<void>((resolve) => {
          restart = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        restart = undefined;
        if (signal.aborted) drain?.();
        await server?.close();
        server = undefined;
        drain = undefined;
        listening = undefined;
      }
    },
    refresh: () => ingress.refresh(),
    health() {
      return listening
        ? { state: 'healthy', message: `listening on ${exportsValue.address}` }
        : { state: 'unknown', message: 'not listening' };
    },
  };
}

/**
 * How long a stopping receive_http waits for the requests in flight: one read timeout plus a
 * second (30 s + 1 s by default; 5 s when reads are unbounded). Their answers come once the data
 * is queued, so reading is what can take long.
 */
export function drainMsFor(a: Pick<ReceiveHttpArgs, 'read_timeout'>): number {
  return (a.read_timeout > 0 ? a.read_timeout : 4_000) + 1_000;
}
