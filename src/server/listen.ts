import type { FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';

export interface ListeningServer {
  /** `host:port` actually bound (port 0 resolved). */
  readonly address: string;
  /**
   * Stops listening and lets the requests in flight finish for at most `drainMs` (the value
   * given to listenApp); past it their connections are closed unanswered, so their senders
   * retry (nothing unanswered was acknowledged). Resolves true when it had to force.
   */
  close(): Promise<boolean>;
}

export interface ListenOptions {
  /** Longest wait for in-flight requests on close (ms). */
  readonly drainMs: number;
  readonly logger?: Logger;
}

/** `host:port`, `:port` or `[v6]:port`, as Go's net.Listen takes them. */
export function splitHostPort(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim());
  if (!m) throw new Error(`listen address ${JSON.stringify(listen)} is not host:port`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port: Number(m[3]) };
}

/** Listens on `listen` and reports the bound address; `close()` drains in-flight requests. */
export async function listenApp(
  app: FastifyInstance,
  listen: string,
  options: ListenOptions,
): Promise<ListeningServer> {
  const { host, port } = splitHostPort(listen);
  await app.listen({ host, port });
  const addr = app.server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return { address: `${host.includes(':') ? `[${host}]` : host}:${bound}`, close: () => closeWithin(app, options) };
}

/** fastify's close (idle connections at once, in-flight requests finish), bounded by `drainMs`. */
export async function closeWithin(app: FastifyInstance, options: ListenOptions): Promise<boolean> {
  const closing = Promise.resolve(app.close());
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), options.drainMs);
  });
  const forced = await Promise.race([closing.then(() => false), expired]);
  clearTimeout(timer);
  if (forced) {
    options.logger?.warn(
      { drain_ms: options.drainMs },
      'requests still in flight at the shutdown deadline: their connections are closed unanswered (the senders retry)',
    );
    app.server.closeAllConnections();
    await closing;
  }
  return forced;
}
