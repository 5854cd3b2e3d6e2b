import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import type { HealthState } from './health.js';
import type { LokiPushHandler } from './write-handler.js';
import { lokiRoutes } from './loki-route.js';
import { remoteWriteRoutes, type RemoteWriteRouteOptions } from './remote-write-route.js';

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export interface AppOptions extends Omit<RemoteWriteRouteOptions, 'logger'> {
  readonly health: HealthState;
  readonly metrics: MetricsSource;
  readonly logger: Logger;
  /** Ingress TLS (cortex-tenant's auth.ingress.tls_config), PEM contents. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Idle keep-alive timeout for client connections (ms). */
  readonly keepAliveTimeoutMs?: number;
  /** Per-request timeout (ms) for reading the request; 0 disables. */
  readonly requestTimeoutMs?: number;
  /** Handles `POST /loki/push`; the route exists only when given. */
  readonly lokiHandler?: LokiPushHandler;
  /** Body limit of `/loki/push` (default: `maxRequestBytes`). */
  readonly maxLokiRequestBytes?: number;
}

/**
 * Builds the HTTP app (remote-write routes, /alive, /ready, /metrics) without listening: the
 * CLI calls `listen()`, tests call `inject()`.
 */
export function buildApp(options: AppOptions): FastifyInstance {
  const base = {
    loggerInstance: options.logger as never,
    logController: new LogController({ disableRequestLogging: true }),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 60_000,
    requestTimeout: options.requestTimeoutMs ?? 0,
    // The route plugin sets its own body limit; this is the default for everything else.
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  };
  const app: FastifyInstance = (options.tls ? Fastify({ ...base, https: options.tls }) : Fastify(base)) as unknown as FastifyInstance;
  const { health, metrics } = options;

  // cortex-tenant's /alive and /ready, and Prometheus's and Alloy's /-/healthy and /-/ready.
  app.get('/alive', alive);
  app.get('/-/healthy', alive);
  app.get('/ready', ready);
  app.get('/-/ready', ready);
  async function alive(_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (health.shuttingDown) return reply.code(503).type('text/plain').send('shutting down\n');
    return reply.code(200).type('text/plain').send('ok\n');
  }
  async function ready(_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const r = await health.ready();
    return reply.code(r.ok ? 200 : 503).type('text/plain').send(`${r.message}\n`);
  }
  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.render();
    return reply.code(200).header('content-type', metrics.contentType).send(text);
  });
  void app.register(remoteWriteRoutes, {
    handler: options.handler,
    maxRequestBytes: options.maxRequestBytes,
    tenantHeader: options.tenantHeader,
    logger: options.logger,
    onAnswer: options.onAnswer,
  });
  if (options.lokiHandler) {
    void app.register(lokiRoutes, {
      handler: options.lokiHandler,
      maxRequestBytes: options.maxLokiRequestBytes ?? options.maxRequestBytes,
      tenantHeader: options.tenantHeader,
      logger: options.logger,
    });
  }
  return app;
}
