/**
 * AlertingAdmin v2 on fastify: the cluster configuration (validated), its rendered Cortex
 * config, per-cluster sync status, a forced resync, and the Alertmanager proxy. Building is
 * separate from listening; tests use `inject()`.
 */
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AlertmanagerApi } from '../../alerting/alertmanager-api.js';
import { renderCortexConfigYaml } from '../../alerting/cluster-config/render-cortex.js';
import type { AlertingSyncer } from '../../alerting/syncer.js';
import { ConfigError, isTenantwireError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ClusterConfigurationStore } from './cluster-configuration-store.js';
import { registerAlertmanagerProxy } from './proxy-route.js';

export interface AlertingAdminOptions {
  readonly store: ClusterConfigurationStore;
  readonly syncer: Pick<AlertingSyncer, 'status' | 'reconcile'>;
  readonly api: AlertmanagerApi;
  readonly logger?: Logger;
}

export function buildAlertingAdminServer(options: AlertingAdminOptions): FastifyInstance {
  const app: FastifyInstance = options.logger
    ? Fastify({ loggerInstance: options.logger as unknown as FastifyBaseLogger, disableRequestLogging: true })
    : Fastify({ logger: false });
  app.setErrorHandler((error, _req, reply) => {
    if (error instanceof ConfigError) return reply.code(400).send({ error: error.code, message: error.message });
    if (isTenantwireError(error)) return reply.code(500).send({ error: error.code, message: error.message });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status)
      .send({ error: status < 500 ? 'bad_request' : 'internal', message: (error as Error).message });
  });

  app.get('/alerting/cluster-configuration', async (_req, reply) => {
    const c = options.store.get();
    if (!c) return reply.code(404).send({ error: 'not_configured', message: 'no cluster configuration yet' });
    return c;
  });
  app.put('/alerting/cluster-configuration', async (req) => options.store.put(req.body));
  app.get('/alerting/cluster-configuration/cortex-config', async (_req, reply) => {
    const c = options.store.get();
    if (!c) return reply.code(404).send({ error: 'not_configured', message: 'no cluster configuration yet' });
    if (c.mode !== 'cortex')
      return reply.code(409).send({ error: 'vanilla_mode', message: 'mode: vanilla has no Cortex config' });
    return reply.type('application/yaml').send(renderCortexConfigYaml(c));
  });
  app.get('/alerting/sync-status', async () => ({ clusters: options.syncer.status() }));
  app.post('/alerting/resync', async () => options.syncer.reconcile({ full: true }));
  registerAlertmanagerProxy(app, options.api);
  return app;
}
