/**
 * `/alerting/<cluster id>/api/v2/*`: reaches that cluster's Alertmanager through the
 * AlertManagerApiOption (Cortex: prefix + `X-Scope-OrgID`; vanilla: the one Alertmanager).
 */
import type { FastifyInstance } from 'fastify';
import type { AlertmanagerApi } from '../../alerting/alertmanager-api.js';
import { tenantIdProblem } from '../../tenant/tenant-id.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export function registerAlertmanagerProxy(app: FastifyInstance, api: AlertmanagerApi): void {
  app.route<{ Params: { clusterId: string; '*': string } }>({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    url: '/alerting/:clusterId/api/v2/*',
    handler: async (req, reply) => {
      const { clusterId } = req.params;
      const problem = tenantIdProblem(clusterId);
      if (problem) return reply.code(400).send({ error: 'bad_cluster_id', message: `clusterId: ${problem}` });
      const q = req.url.indexOf('?');
      const query = q === -1 ? undefined : req.url.slice(q + 1);
      const body =
        req.body === undefined || req.body === null
          ? undefined
          : typeof req.body === 'string'
            ? req.body
            : JSON.stringify(req.body);
      const target = api.mode === 'cortex' ? api.forTenant(clusterId) : api;
      const answer = await target.raw(req.method as Method, req.params['*'], body, query);
      if (answer.kind === 'error')
        return reply.code(502).send({ error: answer.error.code, message: answer.error.message });
      return reply
        .code(answer.status)
        .type(answer.contentType || 'text/plain')
        .send(answer.body);
    },
  });
}
