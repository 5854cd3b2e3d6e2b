import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { DEFAULT_MAX_CONNECTIONS } from '../defaults.js';

/**
 * The Node HTTP server under the fastify app, built here so that every client-side bound is set
 * on purpose instead of inherited from Node's defaults (whose header timeout is checked only
 * every 30 s, so `timeout: 5s` used to cut a trickling sender after about 30 s):
 * - `readTimeoutMs`: a sender gets this long from the first byte of a request to its last
 *   (headers and body; 408 past it), checked every `checkIntervalMs(readTimeoutMs)`;
 * - `idleTimeoutMs`: an idle keep-alive connection is closed after this;
 * - `maxConnections`: open client connections; past it a new connection is closed at once,
 *   before anything is read (the sender sees a connection error and retries);
 * - a connection that sends nothing within `readTimeoutMs` is closed.
 */
export interface ConnectionLimits {
  /** ms; 0: no read deadline. */
  readonly readTimeoutMs: number;
  /** ms. */
  readonly idleTimeoutMs: number;
  /** 0: no limit. */
  readonly maxConnections: number;
}

/** Defaults of receive_http and of embedders; the drop-in takes its own from the config. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  readTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  maxConnections: DEFAULT_MAX_CONNECTIONS,
};

/** How often Node checks read deadlines: a quarter of the deadline, between 100 ms and 1 s. */
export function checkIntervalMs(readTimeoutMs: number): number {
  if (readTimeoutMs <= 0) return 1_000;
  return Math.min(1_000, Math.max(100, Math.floor(readTimeoutMs / 4)));
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ServerFactoryOptions {
  readonly limits: ConnectionLimits;
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Told of each connection closed for being past `maxConnections` (for a throttled log). */
  readonly onRefused?: (open: number) => void;
}

/** A fastify `serverFactory` building the server with `limits`. */
export function serverFactoryWith(options: ServerFactoryOptions): (handler: Handler) => Server {
  const { limits } = options;
  return (handler) => {
    const serverOptions = {
      // Node refuses a header deadline longer than the request deadline; both are the read timeout.
      headersTimeout: limits.readTimeoutMs,
      requestTimeout: limits.readTimeoutMs,
      connectionsCheckingInterval: checkIntervalMs(limits.readTimeoutMs),
      keepAliveTimeout: limits.idleTimeoutMs,
    };
    // A TLS handshake is bounded by the read timeout too: Node's default (120 s) let a client
    // that sends half a ClientHello hold a connection, and a place under max_connections, that long.
    const tlsOptions = limits.readTimeoutMs > 0 ? { handshakeTimeout: limits.readTimeoutMs } : {};
    const server: Server = options.tls
      ? (createHttpsServer(
          { ...serverOptions, ...tlsOptions, cert: options.tls.cert, key: options.tls.key },
          handler,
        ) as unknown as Server)
      : createHttpServer(serverOptions, handler);
    server.keepAliveTimeout = limits.idleTimeoutMs;
    server.headersTimeout = limits.readTimeoutMs;
    server.requestTimeout = limits.readTimeoutMs;
    guardConnections(server, limits, options.onRefused);
    return server;
  };
}

/**
 * Counts open connections and closes a new one past `max` as soon as it is accepted, and
 * closes a connection that sends nothing within the read timeout (Node's read deadlines start
 * with the first byte, so a silent connection would otherwise hold its place forever). The
 * count is kept here rather than with `server.maxConnections`: in a cluster worker Node hands a
 * refused connection back to the primary, which offers it to the next worker, and round again
 * while every worker is full.
 */
function guardConnections(server: Server, limits: ConnectionLimits, onRefused?: (open: number) => void): void {
  let open = 0;
  server.on('connection', (socket: Socket) => {
    if (limits.maxConnections > 0 && open >= limits.maxConnections) {
      socket.destroy();
      onRefused?.(open);
      return;
    }
    open++;
    const silent =
      limits.readTimeoutMs > 0
        ? setTimeout(() => {
            if (socket.bytesRead === 0) socket.destroy();
          }, limits.readTimeoutMs).unref()
        : undefined;
    socket.once('close', () => {
      open--;
      clearTimeout(silent);
    });
  });
}
