/**
 * Cortex's Alertmanager config API (`alertmanager.enable_api: true`): one tenant per request in
 * `X-Scope-OrgID`. POST stores `{template_files, alertmanager_config}` (201), GET reads it back
 * (200, or 404 when the tenant has none), DELETE removes it (200 even when nothing existed).
 */
import yaml from 'js-yaml';
import { AlertingError } from '../errors.js';
import { DEFAULT_TENANT_HEADER } from '../protocol/headers.js';
import type { CortexConfigBody } from './build-cluster.js';
import { httpCall, joinUrl } from './http-call.js';
import type { FetchLike, HttpAnswer } from './http-call.js';

export interface CortexConfigClientOptions {
  /** Cortex's base URL, e.g. http://cortex:9009 */
  readonly baseUrl: string;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  /** Extra headers (auth) sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CortexConfigClient {
  get(tenant: string, signal?: AbortSignal): Promise<HttpAnswer>;
  set(tenant: string, bodyYaml: string, signal?: AbortSignal): Promise<HttpAnswer>;
  delete(tenant: string, signal?: AbortSignal): Promise<HttpAnswer>;
}

export const CONFIG_API_PATH = '/api/v1/alerts';

export function createCortexConfigClient(options: CortexConfigClientOptions): CortexConfigClient {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const url = joinUrl(options.baseUrl, CONFIG_API_PATH);
  const headers = (tenant: string, extra: Record<string, string> = {}) => ({
    ...options.headers,
    ...extra,
    [DEFAULT_TENANT_HEADER]: tenant,
  });
  const base = { url, timeoutMs: options.timeoutMs };
  return {
    get: (tenant, signal) => httpCall(fetchFn, { ...base, method: 'GET', headers: headers(tenant), signal }),
    set: (tenant, bodyYaml, signal) =>
      httpCall(fetchFn, {
        ...base,
        method: 'POST',
        headers: headers(tenant, { 'Content-Type': 'application/yaml' }),
        body: bodyYaml,
        signal,
      }),
    delete: (tenant, signal) => httpCall(fetchFn, { ...base, method: 'DELETE', headers: headers(tenant), signal }),
  };
}

/** Reads the body a GET returned (YAML, or JSON which is YAML). */
export function parseCortexBody(text: string): CortexConfigBody {
  const v = yaml.load(text) as Partial<CortexConfigBody> | null;
  if (!v || typeof v !== 'object' || typeof v.alertmanager_config !== 'string') {
    throw new AlertingError('cortex_body_invalid', 'Cortex answered a config without alertmanager_config');
  }
  return { alertmanager_config: v.alertmanager_config, template_files: v.template_files ?? {} };
}
