import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import { isTenantwireError, LimitError } from '../errors.js';
import { answerForError } from './error-answer.js';
import type { ReceiveBudget, WriteAnswer } from '../protocol/write-types.js';
import { readRawBody } from './raw-body.js';

/** The first value of a header that may arrive repeated. */
export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Sends a handler's answer: status, headers, and a body (text as text/plain, bytes as they
 * are); a 204 or an empty body sends nothing.
 */
export function sendAnswer(reply: FastifyReply, answer: WriteAnswer): FastifyReply {
  reply.code(answer.status);
  if (answer.headers) {
    for (const [k, v] of Object.entries(answer.headers)) reply.header(k, v);
  }
  if (answer.body === undefined || answer.body.length === 0 || answer.status === 204) return reply.send();
  if (typeof answer.body === 'string') return reply.type('text/plain; charset=utf-8').send(answer.body);
  return reply.send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
}

/** The request's raw body as the scoped parser took it (empty when there was none). */
export function rawBodyOf(request: FastifyRequest): Uint8Array {
  return request.body instanceof Uint8Array ? request.body : new Uint8Array(0);
}

/** The 413 answer for a body of `bytes` over `maxBytes`, or undefined when it fits. */
export function oversizeAnswer(bytes: number, maxBytes: number): WriteAnswer | undefined {
  if (bytes <= maxBytes) return undefined;
  return answerForError(
    new LimitError('body_too_large', `request body of ${bytes} bytes is larger than the limit of ${maxBytes} bytes`),
  );
}

/**
 * Runs a handler for one request with a signal that aborts when the sender goes away (the
 * response closing before we answered), and maps what it throws to the sender's answer; an
 * unexpected error is logged with `what` (e.g. "a remote write").
 */
export async function runHandler(
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
  what: string,
  handle: (signal: AbortSignal) => Promise<WriteAnswer>,
): Promise<WriteAnswer> {
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) abort.abort();
  });
  try {
    return await handle(abort.signal);
  } catch (error) {
    const mapped = answerForError(error);
    if (mapped.unexpected) logger.error({ err: error, url: request.url }, `unexpected error handling ${what}`);
    return mapped;
  }
}

/**
 * Scopes a plugin to raw bodies: every content type is taken as bytes up to `maxRequestBytes`
 * (the handler decides what they are), a body over it gets 413, a body past the shared `budget`
 * 503 + Retry-After (and its connection closed), other fastify errors their 4xx (or 500) with the
 * message. `onAnswer` sees the status of each such answer.
 */
export function acceptRawBodies(
  scope: FastifyInstance,
  maxRequestBytes: number,
  onAnswer?: (status: number, receivedBytes: number) => void,
  budget?: ReceiveBudget,
): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => {
    readRawBody(payload, maxRequestBytes, budget, done);
  });
  scope.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    if (isTenantwireError(error)) {
      const answer = answerForError(error);
      onAnswer?.(answer.status, 0);
      // The rest of a refused body is not worth reading on this connection.
      if (answer.status === 503) reply.header('connection', 'close');
      return sendAnswer(reply, answer);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      onAnswer?.(413, 0);
      return sendAnswer(reply, {
        status: 413,
        body: `request body larger than the limit of ${maxRequestBytes} bytes\n`,
      });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    onAnswer?.(status, 0);
    return sendAnswer(reply, { status, body: `${error.message}\n` });
  });
}

/**
 * The other methods on a POST-only path: 405 with `Allow: POST`, the body saying what the path
 * takes (`what`, e.g. "remote write takes POST").
 */
export function postOnly(scope: FastifyInstance, url: string, what: string): void {
  scope.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url,
    handler: async (request: FastifyRequest, reply: FastifyReply) =>
      sendAnswer(reply, {
        status: 405,
        headers: { allow: 'POST' },
        body: `method ${request.method} not allowed: ${what}\n`,
      }),
  });
}
