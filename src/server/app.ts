import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import type { HealthState } from './health.js';
import { DEFAULT_CONNECTION_LIMITS, serverFactoryWith, type ConnectionLimits } from './http-server.js';
import type { LokiPushHandler } from '../protocol/write-types.js';
import { lokiRoutes } from './loki-route.js';
import type { OtlpExportHandler } from '../protocol/otlp-types.js';
import { otlpRoutes } from './otlp-route.js';
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
  /** Idle keep-alive timeout for client connections (ms). Default 60 s. */
  readonly keepAliveTimeoutMs?: number;
  /** A sender's deadline (ms) to deliver a whole request, headers and body; 0 disables. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Most open client connections; past it a new one is closed at once; 0: no limit. Default 4096. */
  readonly maxConnections?: number;
  /** Handles `POST /loki/push`; the route exists only when given. */
  readonly lokiHandler?: LokiPushHandler;
  /** Body limit of `/loki/push` (default: `maxRequestBytes`). */
  readonly maxLokiRequestBytes?: number;
  /** Handles `POST /v1/metrics` (OTLP/HTTP); the route exists only when given. */
  readonly otlpHandler?: OtlpExportHandler;
  /** Sees the HTTP status of every `/v1/metrics` answer, for metrics. */
  readonly onOtlpAnswer?: (status: number) => void;
  /** Serve the remote-write routes (default true; an OTLP-only receiver turns them off). */
  readonly remoteWrite?: boolean;
}

/**
 * Builds the HTTP app (remote-write routes, /alive, /ready, /metrics) without listening: the
 * CLI calls `listen()`, tests call `inject()`.
 */
export function buildApp(options: AppOptions): FastifyInstance {
  const limits: ConnectionLimits = {
    readTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.readTimeoutMs,
    idleTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.idleTimeoutMs,
    maxConnections: options.maxConnections ?? DEFAULT_CONNECTION_LIMITS.maxConnections,
  };
  let refusedAt = 0;
  const onRefused = (open: number) => {
    // At most one line per 10 s: a flood of connections must not become a flood of logs.
    const now = Date.now();
    if (now - refusedAt < 10_000) return;
    refusedAt = now;
    options.logger.warn(
      { open, max_connections: limits.maxConnections },
      'connection limit reached: new connections are closed at once',
    );
  };
  const base = {
    loggerInstance: options.logger as never,
    logController: new LogController({ disableRequestLogging: true }),
    serverFactory: serverFactoryWith({ limits, onRefused, ...(options.tls ? { tls: options.tls } : {}) }),
    // With a serverFactory fastify closes only idle connections on close (in-flight ones finish).
    forceCloseConnections: 'idle' as const,
    // The route plugin sets its own body limit; this is the default for everything else.
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  };
  const app: FastifyInstance = Fastify(base) as unknown as FastifyInstance;
  const { health, metrics } = options;

  // Once shutdown begins every answer closes its connection, so a keep-alive sender's
  // connection does not hold the stopping process open until idle_timeout.
  // A callback hook, not an async one: no promise and no microtask hop on every answer.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (health.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });

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
    return reply
      .code(r.ok ? 200 : 503)
      .type('text/plain')
      .send(`${r.message}\n`);
  }
  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.render();
    return reply.code(200).header('content-type', metrics.contentType).send(text);
  });
  if (options.remoteWrite !== false) {
    void app.register(remoteWriteRoutes, {
      handler: options.handler,
      maxRequestBytes: options.maxRequestBytes,
      tenantHeader: options.tenantHeader,
      logger: options.logger,
      onAnswer: options.onAnswer,
      ...(options.receiveBudget ? { receiveBudget: options.receiveBudget } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
    });
  }
  if (options.lokiHandler) {
    void app.register(lokiRoutes, {
      handler: options.lokiHandler,
      maxRequestBytes: options.maxLokiRequestBytes ?? options.maxRequestBytes,
      tenantHeader: options.tenantHeader,
      logger: options.logger,
      ...(options.receiveBudget ? { receiveBudget: options.receiveBudget } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
    });
  }
  if (options.otlpHandler) {
    void app.register(otlpRoutes, {
      handler: options.otlpHandler,
      maxRequestBytes: options.maxRequestBytes,
      tenantHeader: options.tenantHeader,
      logger: options.logger,
      ...(options.onOtlpAnswer ? { onAnswer: options.onOtlpAnswer } : {}),
      ...(options.receiveBudget ? { receiveBudget: options.receiveBudget } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
    });
  }
  return app;
}

/**
 * The first step of a graceful stop: /alive and /ready answer 503, every later answer carries
 * `Connection: close`, and idle keep-alive connections are closed now (their senders reconnect,
 * to this process while it still listens or to another).
 */
export function beginDrain(app: FastifyInstance, health: HealthState): void {
  health.beginShutdown();
  app.server.closeIdleConnections();
}
