import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TENANT_HEADER } from '../protocol/headers.js';
import { failure, failureFrom } from './transport-error.js';
import { createDirectoryNumbering } from './directory-numbering.js';
import { getHeader } from './headers.js';
import type { Transport, TransportRequest, TransportResult } from './types.js';

/**
 * A transport that answers like a remote-write receiver but keeps every request on disk:
 * `<dir>/<tenant>/<seq>-<timestamp>.snappy`, the exact body bytes received; `<seq>` is unique
 * and ordered across processes and restarts (directory-numbering.ts). The embedded
 * default target of `tenantwire` with no arguments (`dir://./data`), so the split can be seen
 * (and read back with `tenantwire inspect`). An edge: it does fs I/O.
 */
export interface DirectoryTransportOptions {
  /** Root directory. When absent, each request's URL must be `dir://PATH`. */
  readonly dir?: string;
  /** Header carrying the tenant. Default `X-Scope-OrgID`. */
  readonly tenantHeader?: string;
  /** Directory for requests without the tenant header; when absent they get 400. */
  readonly defaultTenant?: string;
  /** Clock for file names. Default Date.now. */
  readonly now?: () => number;
}

const TENANT_SEGMENT = /^[a-zA-Z0-9!\-_.*'()]{1,150}$/;

/** `dir:///abs/path`, `dir://./rel/path`, `dir://rel` -> a filesystem path; undefined otherwise. */
export function directoryFromUrl(url: string): string | undefined {
  if (!url.startsWith('dir://')) return undefined;
  const rest = url.slice('dir://'.length);
  if (rest.startsWith('/')) return fileURLToPath(`file://${rest}`);
  return rest === '' ? undefined : resolve(decodeURIComponent(rest));
}

/** A tenant usable as one path segment: the Cortex tenant alphabet, never `.` or `..`. */
export function isSafeTenantSegment(tenant: string): boolean {
  return TENANT_SEGMENT.test(tenant) && tenant !== '.' && tenant !== '..';
}

function answer(status: number, text = ''): TransportResult {
  return {
    kind: 'response',
    status,
    headers: text ? { 'content-type': 'text/plain; charset=utf-8' } : {},
    body: Buffer.from(text),
  };
}

export function createDirectoryTransport(options: DirectoryTransportOptions = {}): Transport {
  const tenantHeader = options.tenantHeader ?? DEFAULT_TENANT_HEADER;
  const now = options.now ?? Date.now;
  const numbering = createDirectoryNumbering(now);
  let closed = false;

  async function send(request: TransportRequest): Promise<TransportResult> {
    if (closed) return failure('closed', 'transport is closed');
    const root = options.dir ?? directoryFromUrl(request.url);
    if (root === undefined) return failure('bad_url', `not a dir:// URL: ${request.url}`);
    if ((request.method ?? 'POST') !== 'POST') return answer(405, 'only POST is accepted\n');
    const tenant = getHeader(request.headers, tenantHeader) ?? options.defaultTenant;
    if (tenant === undefined || tenant === '') return answer(400, `missing ${tenantHeader} header\n`);
    if (!isSafeTenantSegment(tenant)) return answer(400, `invalid tenant ${JSON.stringify(tenant)}\n`);
    const path = join(root, tenant);
    try {
      // Every time: the directory may have been removed while we run.
      await mkdir(path, { recursive: true });
      await numbering.write(path, request.body ?? new Uint8Array(0));
      return answer(204);
    } catch (e) {
      numbering.forget(path);
      return failureFrom(e);
    }
  }

  return {
    send,
    async close() {
      closed = true;
    },
  };
}
