/**
 * An in-memory Cortex behind a `fetch` function, for wiring tests that need no processes:
 * the config API, and `/api/v2/receivers` answered from the stored config's receivers.
 */
import yaml from 'js-yaml';
import type { FetchLike } from '../../src/alerting/http-call.js';

export interface FakeCortex {
  readonly fetch: FetchLike;
  readonly store: Map<string, { alertmanager_config: string; template_files: Record<string, string> }>;
  readonly requests: string[];
}

export function createFakeCortex(): FakeCortex {
  const store: FakeCortex['store'] = new Map();
  const requests: string[] = [];
  const fetchFn: FetchLike = async (input, init) => {
    const url = new URL(input);
    const tenant = new Headers(init.headers).get('x-scope-orgid') ?? '';
    const method = init.method ?? 'GET';
    requests.push(`${method} ${url.pathname} ${tenant}`);
    if (url.pathname === '/api/v1/alerts') {
      if (method === 'POST') {
        store.set(tenant, yaml.load(String(init.body)) as never);
        return new Response(null, { status: 201 });
      }
      if (method === 'DELETE') {
        store.delete(tenant);
        return new Response(null, { status: 200 });
      }
      const v = store.get(tenant);
      return v
        ? new Response(yaml.dump(v), { status: 200 })
        : new Response('alertmanager config not found', { status: 404 });
    }
    const v = store.get(tenant);
    if (!v) return new Response('the Alertmanager is not configured', { status: 404 });
    if (url.pathname.endsWith('/api/v2/receivers')) {
      const cfg = yaml.load(v.alertmanager_config) as { receivers: { name: string }[] };
      return Response.json(cfg.receivers.map((r) => ({ name: r.name })));
    }
    return Response.json({ path: url.pathname, query: url.search, tenant, method, body: init.body ?? null });
  };
  return { fetch: fetchFn, store, requests };
}
