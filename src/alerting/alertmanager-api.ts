/**
 * The AlertManagerApiOption: one client for a vanilla Alertmanager (`<base>/api/v2/...`,
 * readiness at `/-/ready`) and for Cortex's multi-tenant Alertmanager (`<base><prefix>/api/v2/...`
 * with `X-Scope-OrgID`, prefix `/alertmanager` or the legacy `/api/prom/alertmanager`, readiness
 * at Cortex's own `/ready`). Cortex fans out to replicas itself: one endpoint, never a fan-out.
 */
import { AlertingError, type AlertingErrorCode } from '../errors.js';
import { DEFAULT_TENANT_HEADER } from '../protocol/headers.js';
import { describeAnswer, httpCall, isOk, joinUrl } from './http-call.js';
import type { FetchLike, HttpAnswer, HttpRequest } from './http-call.js';

export type AlertmanagerMode = 'vanilla' | 'cortex';

export interface AlertmanagerApiOptions {
  readonly mode: AlertmanagerMode;
  readonly baseUrl: string;
  /** Cortex only: where Cortex mounts the Alertmanager; default `/alertmanager`. */
  readonly prefix?: string;
  /** Cortex only: the tenant (cluster id). */
  readonly tenant?: string;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export const DEFAULT_CORTEX_PREFIX = '/alertmanager';
export const LEGACY_CORTEX_PREFIX = '/api/prom/alertmanager';

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface PostableSilence {
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  id?: string;
}

export interface AlertmanagerApi {
  readonly mode: AlertmanagerMode;
  /** The same API for another tenant (Cortex). */
  forTenant(tenant: string): AlertmanagerApi;
  /** The URL of `/api/v2/<path>` for this option. */
  apiUrl(path: string): string;
  /** A raw `/api/v2/<path>` exchange, for proxies. */
  raw(method: HttpRequest['method'], path: string, body?: string, query?: string): Promise<HttpAnswer>;
  status(): Promise<unknown>;
  receivers(): Promise<{ name: string }[]>;
  getAlerts(filter?: string[]): Promise<unknown[]>;
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  alertGroups(): Promise<unknown[]>;
  silences(): Promise<{ id: string; status: { state: string } }[]>;
  postSilence(s: PostableSilence): Promise<string>;
  getSilence(id: string): Promise<{ id: string; status: { state: string } }>;
  deleteSilence(id: string): Promise<void>;
  ready(): Promise<boolean>;
}

export function createAlertmanagerApi(options: AlertmanagerApiOptions): AlertmanagerApi {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const root =
    options.mode === 'cortex' ? joinUrl(options.baseUrl, options.prefix ?? DEFAULT_CORTEX_PREFIX) : options.baseUrl;
  const headers = (json: boolean): Record<string, string> => {
    const h: Record<string, string> = { ...options.headers };
    if (json) h['Content-Type'] = 'application/json';
    if (options.mode === 'cortex') {
      if (!options.tenant)
        throw new AlertingError('alertmanager_no_tenant', 'a Cortex Alertmanager request needs a tenant');
      h[DEFAULT_TENANT_HEADER] = options.tenant;
    }
    return h;
  };
  const apiUrl = (path: string): string => joinUrl(root, `/api/v2/${path.replace(/^\/+/, '')}`);
  const raw: AlertmanagerApi['raw'] = (method, path, body, query) =>
    httpCall(fetchFn, {
      method,
      url: `${apiUrl(path)}${query ? `?${query}` : ''}`,
      headers: headers(body !== undefined),
      body,
      timeoutMs: options.timeoutMs,
    });

  async function json<T>(method: HttpRequest['method'], path: string, body?: unknown, query?: string): Promise<T> {
    const a = await raw(method, path, body === undefined ? undefined : JSON.stringify(body), query);
    if (!isOk(a)) {
      const code: AlertingErrorCode = a.kind === 'error' ? a.error.code : `alertmanager_http_${a.status}`;
      throw new AlertingError(code, `${method} ${apiUrl(path)}: ${describeAnswer(a)}`);
    }
    return (a.body ? JSON.parse(a.body) : undefined) as T;
  }

  return {
    mode: options.mode,
    forTenant: (tenant) => createAlertmanagerApi({ ...options, tenant }),
    apiUrl,
    raw,
    status: () => json('GET', 'status'),
    receivers: () => json('GET', 'receivers'),
    getAlerts: (filter = []) =>
      json('GET', 'alerts', undefined, filter.map((f) => `filter=${encodeURIComponent(f)}`).join('&') || undefined),
    postAlerts: async (alerts) => {
      await json('POST', 'alerts', alerts);
    },
    alertGroups: () => json('GET', 'alerts/groups'),
    silences: () => json('GET', 'silences'),
    postSilence: async (s) => (await json<{ silenceID: string }>('POST', 'silences', s)).silenceID,
    getSilence: (id) => json('GET', `silence/${encodeURIComponent(id)}`),
    deleteSilence: async (id) => {
      await json('DELETE', `silence/${encodeURIComponent(id)}`);
    },
    async ready() {
      const url = options.mode === 'cortex' ? joinUrl(options.baseUrl, '/ready') : joinUrl(options.baseUrl, '/-/ready');
      const a = await httpCall(fetchFn, {
        method: 'GET',
        url,
        headers: { ...options.headers },
        timeoutMs: options.timeoutMs,
      });
      return isOk(a);
    },
  };
}
