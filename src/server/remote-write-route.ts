import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import { negotiate } from '../protocol/negotiation.js';
import type { ReceiveBudget } from '../protocol/write-types.js';
import type { TenantRights, WriteHandler } from '../protocol/write-types.js';
import {
  acceptRawBodies,
  headerValue,
  oversizeAnswer,
  postOnly,
  rawBodyOf,
  runHandler,
  sendAnswer,
} from './send-answer.js';
import { noteForbidden, requireCredentials, rightsOf, type IngressAuth } from './ingress-auth.js';

/** cortex-tenant's path, Cortex's and Prometheus's, and Alloy's prometheus.receive_http path. */
export const REMOTE_WRITE_PATHS = ['/push', '/api/v1/push', '/api/v1/write', '/api/v1/metrics/write'] as const;

export interface RemoteWriteRouteOptions {
  readonly handler: WriteHandler;
  /** Largest compressed body accepted; larger gets 413. */
  readonly maxRequestBytes: number;
  /** Incoming header that may carry the source tenant (prefix_prefer_source). */
  readonly tenantHeader: string;
  readonly logger: Logger;
  /** Called once per request with its outcome, for metrics. */
  readonly onAnswer?: (status: number, receivedBytes: number) => void;
  /** Bytes that bodies being received may hold, shared with the requests being handled. */
  readonly receiveBudget?: ReceiveBudget;
  /** Ingress authentication (auth.ingress.users): checked before the body is read. */
  readonly auth?: IngressAuth;
}

/**
 * The remote-write routes as a fastify plugin. The protobuf body parser and its size limit are
 * scoped to this plugin, so the rest of the server keeps fastify's defaults.
 */
export async function remoteWriteRoutes(scope: FastifyInstance, options: RemoteWriteRouteOptions): Promise<void> {
  const { handler, maxRequestBytes, logger, onAnswer, auth } = options;
  const tenantHeader = options.tenantHeader.toLowerCase();
  acceptRawBodies(scope, maxRequestBytes, onAnswer, options.receiveBudget);
  if (options.auth) requireCredentials(scope, options.auth, options.tenantHeader, logger, (s) => onAnswer?.(s, 0));

  const post = async (request: FastifyRequest, reply: FastifyReply) => {
    const negotiated = negotiate(request.headers['content-type'], headerValue(request.headers['content-encoding']));
    if (!negotiated.ok) {
      onAnswer?.(415, 0);
      return sendAnswer(reply, { status: 415, body: `${negotiated.message}\n` });
    }
    const compressed = rawBodyOf(request);
    const oversize = oversizeAnswer(compressed.byteLength, maxRequestBytes);
    if (oversize) {
      onAnswer?.(413, compressed.byteLength);
      return sendAnswer(reply, oversize);
    }
    const answer = await runHandler(request, reply, logger, 'a remote write', (signal) =>
      handler({
        version: negotiated.version,
        compressed,
        sourceTenant: headerValue(request.headers[tenantHeader]),
        clientAddress: request.ip,
        signal,
        // Last: keys after a spread cost a runtime call each on Node 20. No ingress auth: no lookup.
        ...(auth ? withRights(request) : undefined),
      }),
    );
    noteForbidden(auth, answer);
    onAnswer?.(answer.status, compressed.byteLength);
    return sendAnswer(reply, answer);
  };

  for (const url of REMOTE_WRITE_PATHS) {
    scope.post(url, post);
    postOnly(scope, url, 'remote write takes POST');
  }
}

/** The credential's rights for the handler, when the request went through the check. */
export function withRights(request: FastifyRequest): { rights?: TenantRights } {
  const rights = rightsOf(request);
  return rights ? { rights } : {};
}
