import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import { encodeStatus, OTLP_CONTENT_TYPES, rpcCodeForHttpStatus } from '../otlp/answer.js';
import { negotiateOtlp, otlpEncodingOf } from '../protocol/otlp-negotiation.js';
import type { OtlpBodyEncoding, OtlpExportHandler } from '../protocol/otlp-types.js';
import type { ReceiveBudget, WriteAnswer } from '../protocol/write-types.js';
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

/** OTLP/HTTP's default path for metrics. */
export const OTLP_METRICS_PATH = '/v1/metrics';

export interface OtlpRouteOptions {
  readonly handler: OtlpExportHandler;
  /** Largest body accepted as received (compressed); larger gets 413. */
  readonly maxRequestBytes: number;
  /** Incoming header that may carry the source tenant (prefix_prefer_source). */
  readonly tenantHeader: string;
  readonly logger: Logger;
  /** Called once per answer with its HTTP status (refusals at the edge included), for metrics. */
  readonly onAnswer?: (status: number) => void;
  /** Bytes that bodies being received may hold, shared with the requests being handled. */
  readonly receiveBudget?: ReceiveBudget;
  /** Ingress authentication (auth.ingress.users): checked before the body is read. */
  readonly auth?: IngressAuth;
}

/**
 * `POST /v1/metrics` as a fastify plugin, with the same body limit, receive budget and ingress
 * authentication as the remote-write routes. Every refusal is answered as OTLP/HTTP asks: a
 * `google.rpc.Status` in the request's encoding (JSON when its type is not one OTLP knows); the
 * shared helpers answer in text, and an `onSend` hook of this scope re-encodes those answers.
 */
export async function otlpRoutes(scope: FastifyInstance, options: OtlpRouteOptions): Promise<void> {
  const { handler, maxRequestBytes, logger, onAnswer } = options;
  const tenantHeader = options.tenantHeader.toLowerCase();
  acceptRawBodies(scope, maxRequestBytes, undefined, options.receiveBudget);
  if (options.auth) requireCredentials(scope, options.auth, options.tenantHeader, logger);
  scope.addHook('onSend', async (request, reply, payload) => asStatus(request, reply, payload));
  if (onAnswer) scope.addHook('onResponse', async (_request, reply) => onAnswer(reply.statusCode));

  scope.post(OTLP_METRICS_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const negotiated = negotiateOtlp(
      headerValue(request.headers['content-type']),
      headerValue(request.headers['content-encoding']),
    );
    if (!negotiated.ok) {
      return sendStatus(reply, negotiated.answerEncoding, {
        status: 415,
        // RFC 9110: a refused content coding is answered with the codings that would do.
        ...(negotiated.refused === 'encoding' ? { headers: { 'accept-encoding': 'gzip, deflate' } } : {}),
        body: negotiated.message,
      });
    }
    const body = rawBodyOf(request);
    const oversize = oversizeAnswer(body.byteLength, maxRequestBytes);
    if (oversize) return sendStatus(reply, negotiated.encoding, oversize);
    const answer = await runHandler(request, reply, logger, 'an OTLP metrics export', (signal) =>
      handler({
        encoding: negotiated.encoding,
        coding: negotiated.coding,
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

  postOnly(scope, OTLP_METRICS_PATH, 'OTLP/HTTP metrics take POST');
}

/** A refusal as a `google.rpc.Status` in `encoding`. */
function sendStatus(reply: FastifyReply, encoding: OtlpBodyEncoding, answer: WriteAnswer): FastifyReply {
  const message = typeof answer.body === 'string' ? answer.body.trim() : '';
  return sendAnswer(reply, {
    ...answer,
    headers: { ...answer.headers, 'content-type': OTLP_CONTENT_TYPES[encoding] },
    body: encodeStatus({ code: rpcCodeForHttpStatus(answer.status), message }, encoding),
  });
}

/**
 * The shared helpers (credentials, body limit, receive budget, a handler that threw) answer in
 * text/plain; an OTLP client reads a `google.rpc.Status`, so their text becomes its message. A
 * 5xx other than OTLP's retryable 502/503/504 cannot come from here: the handler maps those.
 */
function asStatus(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (reply.statusCode < 400) return payload;
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.startsWith('text/plain')) return payload;
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
  const encoding = otlpEncodingOf(headerValue(request.headers['content-type'])) ?? 'json';
  reply.header('content-type', OTLP_CONTENT_TYPES[encoding]);
  const status = encodeStatus({ code: rpcCodeForHttpStatus(reply.statusCode), message: text.trim() }, encoding);
  return Buffer.from(status.buffer, status.byteOffset, status.byteLength);
}
