/**
 * A Cortex stand-in for tests: the Alertmanager config API (`/api/v1/alerts` with
 * `X-Scope-OrgID`) with Cortex's validation, and the tenant-scoped Alertmanager API under
 * `/alertmanager` and `/api/prom/alertmanager`, delegated to one real Alertmanager per tenant.
 * Configs are applied before the 201 answers (Cortex itself polls its store; tests wait less).
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import yaml from 'js-yaml';
import { join } from 'node:path';
import { checkWithAmtool, startTenantAlertmanager, writeTenantFiles } from './cortex-stand-in-am.js';
import type { TenantAlertmanager, TenantFiles } from './cortex-stand-in-am.js';
import { tempDir } from './peers.js';

export interface StandInLimits {
  readonly maxConfigSizeBytes?: number;
  readonly maxTemplatesCount?: number;
  readonly maxTemplateSizeBytes?: number;
}

export interface CortexStandIn {
  readonly url: string;
  /** Stored configs by tenant (what Cortex keeps in its object store). */
  readonly store: Map<string, TenantFiles>;
  /** The next `count` config-API requests answer `status` (default 503). */
  failNext(count: number, status?: number): void;
  /** Requests seen on the config API, e.g. `POST c1`. */
  readonly calls: string[];
  runningTenants(): string[];
  /** Stops listening (the store and the Alertmanagers stay unless `wipe`). */
  stop(options?: { wipe?: boolean }): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function fileKeys(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => fileKeys(x, `${path}[${i}]`));
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [
    ...(k.endsWith('_file') ? [`${path}${k}`] : []),
    ...fileKeys(x, `${path}${k}.`),
  ]);
}

export async function startCortexStandIn(options: { limits?: StandInLimits } = {}): Promise<CortexStandIn> {
  const dir = tempDir('cortex-stand-in');
  const store = new Map<string, TenantFiles>();
  const ams = new Map<string, TenantAlertmanager>();
  const calls: string[] = [];
  const limits = options.limits ?? {};
  let failures = { count: 0, status: 503 };
  let port = 0;
  let app: FastifyInstance | undefined;

  async function apply(tenant: string, files: TenantFiles): Promise<void> {
    const am = ams.get(tenant);
    if (am) await am.reload(files);
    else ams.set(tenant, await startTenantAlertmanager(dir.path, tenant, files));
  }

  function validate(tenant: string, files: TenantFiles): string | undefined {
    if (!files.alertmanager_config)
      return (
        "configuration provided is empty, if you'd like to remove your configuration please use the delete " +
        'configuration endpoint'
      );
    if (limits.maxConfigSizeBytes && Buffer.byteLength(files.alertmanager_config) > limits.maxConfigSizeBytes)
      return `Alertmanager configuration is too big, limit: ${limits.maxConfigSizeBytes} bytes`;
    const names = Object.keys(files.template_files);
    if (limits.maxTemplatesCount && names.length > limits.maxTemplatesCount)
      return `too many templates in the configuration: ${names.length} (limit: ${limits.maxTemplatesCount})`;
    for (const [name, text] of Object.entries(files.template_files)) {
      if (name.includes('/') || name === '.' || name === '..')
        return `invalid template name "${name}": the template name cannot contain any path`;
      if (limits.maxTemplateSizeBytes && Buffer.byteLength(text) > limits.maxTemplateSizeBytes)
        return `template ${name} is too big, limit: ${limits.maxTemplateSizeBytes} bytes`;
    }
    let parsed: unknown;
    try {
      parsed = yaml.load(files.alertmanager_config);
    } catch (e) {
      return (e as Error).message;
    }
    const found = fileKeys(parsed);
    if (found.length > 0) return `${found[0]}: setting file paths is not allowed`;
    for (const t of (parsed as { templates?: unknown[] } | null)?.templates ?? []) {
      if (typeof t !== 'string' || t.includes('/'))
        return `invalid template name "${String(t)}": the template name cannot contain any path`;
    }
    return checkWithAmtool(writeTenantFiles(join(dir.path, 'staging', tenant), files));
  }

  const tenantOf = (req: FastifyRequest, reply: FastifyReply): string | undefined => {
    const t = req.headers['x-scope-orgid'];
    if (typeof t === 'string' && t !== '') return t;
    void reply.code(401).type('text/plain').send('no org id');
    return undefined;
  };

  function build(): FastifyInstance {
    const f = Fastify({ logger: false });
    f.removeAllContentTypeParsers();
    f.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    f.addHook('onRequest', async (req, reply) => {
      if (req.url.startsWith('/api/v1/alerts') && failures.count > 0) {
        failures.count -= 1;
        return reply.code(failures.status).type('text/plain').send('injected failure');
      }
      return undefined;
    });
    f.get('/ready', async (_req, reply) => reply.type('text/plain').send('ready'));
    f.post('/api/v1/alerts', async (req, reply) => {
      const tenant = tenantOf(req, reply);
      if (!tenant) return reply;
      calls.push(`POST ${tenant}`);
      let files: TenantFiles;
      try {
        const v = (yaml.load(String(req.body ?? '')) ?? {}) as Partial<TenantFiles>;
        files = {
          alertmanager_config: typeof v.alertmanager_config === 'string' ? v.alertmanager_config : '',
          template_files: v.template_files ?? {},
        };
      } catch (e) {
        return reply
          .code(400)
          .type('text/plain')
          .send(`error marshalling YAML Alertmanager config: ${(e as Error).message}`);
      }
      const problem = validate(tenant, files);
      if (problem) return reply.code(400).type('text/plain').send(`error validating Alertmanager config: ${problem}`);
      store.set(tenant, files);
      await apply(tenant, files);
      return reply.code(201).send();
    });
    f.get('/api/v1/alerts', async (req, reply) => {
      const tenant = tenantOf(req, reply);
      if (!tenant) return reply;
      calls.push(`GET ${tenant}`);
      const files = store.get(tenant);
      if (!files) return reply.code(404).type('text/plain').send('alertmanager config not found');
      return reply
        .type('application/yaml')
        .send(yaml.dump({ template_files: files.template_files, alertmanager_config: files.alertmanager_config }));
    });
    f.delete('/api/v1/alerts', async (req, reply) => {
      const tenant = tenantOf(req, reply);
      if (!tenant) return reply;
      calls.push(`DELETE ${tenant}`);
      store.delete(tenant);
      await ams.get(tenant)?.stop();
      ams.delete(tenant);
      return reply.code(200).send();
    });
    for (const prefix of ['/alertmanager', '/api/prom/alertmanager']) {
      f.all(`${prefix}/api/v2/*`, async (req, reply) => {
        const tenant = tenantOf(req, reply);
        if (!tenant) return reply;
        const am = ams.get(tenant);
        if (!am) return reply.code(404).type('text/plain').send('the Alertmanager is not configured');
        const rest = req.url.slice(prefix.length);
        const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : String(req.body ?? '');
        const r = await fetch(`${am.url}${rest}`, {
          method: req.method,
          body,
          headers: body ? { 'content-type': 'application/json' } : {},
          signal: AbortSignal.timeout(10_000),
        });
        return reply
          .code(r.status)
          .type(r.headers.get('content-type') ?? 'application/json')
          .send(await r.text());
      });
    }
    return f;
  }

  const start = async (): Promise<void> => {
    app = build();
    await app.listen({ host: '127.0.0.1', port });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : port;
  };
  const stopAms = async (): Promise<void> => {
    await Promise.all([...ams.values()].map((a) => a.stop()));
    ams.clear();
  };
  await start();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    store,
    calls,
    failNext(count, status = 503) {
      failures = { count, status };
    },
    runningTenants: () => [...ams.keys()].sort(),
    async stop(o = {}) {
      await app?.close();
      app = undefined;
      if (o.wipe) {
        store.clear();
        await stopAms();
      }
    },
    start,
    async close() {
      await app?.close();
      await stopAms();
      dir.remove();
    },
  };
}
