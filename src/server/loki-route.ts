import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import type { ReceiveBudget } from '../protocol/write-types.js';
import type { LokiPushHandler } from '../protocol/write-types.js';
import {
  acceptRawBodies,
  headerValue,
  oversizeAnswer,
  postOnly,
  rawBodyOf,
  runHandler,
  sendAnswer,
} from './send-answer.js';
import { noteForbidden, requireCredentials, type IngressAuth } from './ingress-auth.js';
import { withRights } from './remote-write-route.js';

export const LOKI_PUSH_PATH = '/loki/push';

export interface LokiRouteOptions {
  readonly handler: LokiPushHandler;
  /** Largest body accepted as received (compressed); larger gets 413. */
  readonly maxRequestBytes: number;
  /** Incoming header that may carry the source tenant (prefix_prefer_source). */
  readonly tenantHeader: string;
  readonly logger: Logger;
  /** Bytes that bodies being received may hold, shared with the requests being handled. */
  readonly receiveBudget?: ReceiveBudget;
  /** Ingress authentication (auth.ingress.users): checked before the body is read. */
  readonly auth?: IngressAuth;
}

/**
 * cortex-tenant's `POST /loki/push` as a fastify plugin. The body is taken raw (protobuf or
 * JSON, compressed or not: the handler decides) by a parser scoped to this plugin, with its
 * own size limit; other methods get 405.
 */
export async function lokiRoutes(scope: FastifyInstance, options: LokiRouteOptions): Promise<void> {
  const { handler, maxRequestBytes, logger } = options;
  const tenantHeader = options.tenantHeader.toLowerCase();
  acceptRawBodies(scope, maxRequestBytes, undefined, options.receiveBudget);
  if (options.auth) requireCredentials(scope, options.auth, options.tenantHeader, logger);

  scope.post(LOKI_PUSH_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = rawBodyOf(request);
    const oversize = oversizeAnswer(body.byteLength, maxRequestBytes);
    if (oversize) return sendAnswer(reply, oversize);
    const answer = await runHandler(request, reply, logger, 'a Loki push', (signal) =>
      handler({
        contentType: headerValue(request.headers['content-type']),
        contentEncoding: headerValue(request.headers['content-encoding']),
        body,
        sourceTenant: headerValue(request.headers[tenantHeader]),
        clientAddress: request.ip,
        ...withRights(request),
        signal,
      }),
    );
    noteForbidden(options.auth, answer);
    return sendAnswer(reply, answer);
  });

  postOnly(scope, LOKI_PUSH_PATH, 'Loki push takes POST');
}
