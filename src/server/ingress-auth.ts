import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthOutcome } from '../auth/credential-store.js';
import type { Logger } from '../logger.js';
import type { TenantRights, WriteAnswer } from '../protocol/write-types.js';
import { AUTH_CHALLENGES } from './error-answer.js';
import { headerValue, sendAnswer } from './send-answer.js';

/** Why a request was refused at the edge; the label of `tenantwire_ingress_refused_total`. */
export type RefusalReason =
  | 'missing_credentials'
  | 'malformed_credentials'
  | 'wrong_credentials'
  | 'forbidden_tenant_header'
  | 'forbidden_tenant';

/** Ingress authentication as the routes use it (auth.ingress.users). */
export interface IngressAuth {
  authenticate(authorization: string | undefined): AuthOutcome;
  /** prefix_prefer_source is on: the incoming tenant header names a tenant and must be allowed. */
  readonly checkSourceTenant: boolean;
  /** Called once per refused request, for metrics. */
  readonly onRefused?: (reason: RefusalReason) => void;
}

const rightsByRequest = new WeakMap<FastifyRequest, TenantRights>();

/** The rights the hook found for this request (undefined: no ingress auth configured). */
export function rightsOf(request: FastifyRequest): TenantRights | undefined {
  return rightsByRequest.get(request);
}

/**
 * Adds the credential check to a route plugin's scope, as an `onRequest` hook: it runs before
 * the body is read, so a sender without valid credentials is answered 401 (and a tenant header
 * its credential may not write 403) without a byte of its body being buffered. Routes outside
 * the plugin (/alive, /ready, /metrics) are not affected. `onStatus` sees each refusal's status.
 */
export function requireCredentials(
  scope: FastifyInstance,
  auth: IngressAuth,
  tenantHeader: string,
  logger: Logger,
  onStatus?: (status: number) => void,
): void {
  const header = tenantHeader.toLowerCase();
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const outcome = auth.authenticate(headerValue(request.headers.authorization));
    if (!outcome.ok) {
      const reason = `${outcome.problem}_credentials` as RefusalReason;
      logger.debug({ client: request.ip, url: request.url, reason }, 'request refused: no valid credentials');
      return refuse(reply, reason, {
        status: 401,
        headers: { 'www-authenticate': AUTH_CHALLENGES },
        body: `authentication required: ${outcome.message}\n`,
      });
    }
    const source = headerValue(request.headers[header]);
    if (auth.checkSourceTenant && source !== undefined && source !== '' && !outcome.rights.allows(source)) {
      return refuse(reply, 'forbidden_tenant_header', {
        status: 403,
        body:
          `${outcome.rights.credential} may not write tenant ${JSON.stringify(source)} named by the ` +
          `${tenantHeader} header (prefix_prefer_source): nothing of this request was forwarded\n`,
      });
    }
    rightsByRequest.set(request, outcome.rights);
    return undefined;
  });

  function refuse(reply: FastifyReply, reason: RefusalReason, answer: WriteAnswer): FastifyReply {
    auth.onRefused?.(reason);
    onStatus?.(answer.status);
    // The body is never read: node:http discards it once the answer is sent.
    return sendAnswer(reply, answer);
  }
}

/** After the handler: a 403 from it is a forbidden tenant (on_forbidden: reject), counted here. */
export function noteForbidden(auth: IngressAuth | undefined, answer: WriteAnswer): void {
  if (auth && answer.status === 403) auth.onRefused?.('forbidden_tenant');
}
