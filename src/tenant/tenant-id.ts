/**
 * Tenant ids as Cortex and Mimir accept them: at most 150 bytes of `[a-zA-Z0-9!\-_.*'()]`, not
 * `.` or `..`, never `|` (the query federation separator), never `__mimir_cluster` (Mimir keeps
 * that id for its own cluster-wide data). cortex-tenant forwards whatever a
 * label holds; we refuse anything else, so that a CR or LF never reaches a header. The one
 * implementation: the splitter checks tenant labels with it, alerting checks cluster ids (a
 * cluster id becomes the `X-Scope-OrgID` of its Alertmanager config) through `tenantIdSchema`.
 */
import { z } from 'zod';

export const MAX_TENANT_ID_BYTES = 150;

/** The tenant id Mimir reserves for itself. */
export const MIMIR_RESERVED_TENANT = '__mimir_cluster';

/** Allowed bytes, indexed by char code (ASCII only). */
const ALLOWED: Uint8Array = (() => {
  const table = new Uint8Array(128);
  const mark = (from: string, to: string): void => {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) table[c] = 1;
  };
  mark('a', 'z');
  mark('A', 'Z');
  mark('0', '9');
  for (const c of "!-_.*'()") table[c.charCodeAt(0)] = 1;
  return table;
})();

/**
 * Why `id` is not a valid tenant id, or `undefined` when it is. The reason is a phrase that
 * completes "tenant ... ", e.g. "contains '|', the query federation separator".
 */
export function tenantIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 128 && ALLOWED[c] === 1) continue;
    if (c === 0x7c) return `contains "|" at position ${i}: '|', the query federation separator, is never allowed`;
    if (c === 0x0d || c === 0x0a) return 'contains a line break (CR or LF)';
    if (c < 0x20 || c === 0x7f) return `contains the control character ${escapeChar(c)} at position ${i}`;
    return (
      `contains ${JSON.stringify(String.fromCodePoint(id.codePointAt(i) ?? c))} at position ${i}; allowed are ` +
      `a-z A-Z 0-9 and !-_.*'()`
    );
  }
  // Every char is ASCII here, so chars are bytes.
  if (id.length > MAX_TENANT_ID_BYTES) return `is ${id.length} bytes long, more than ${MAX_TENANT_ID_BYTES}`;
  if (id === '.' || id === '..') return `may not be "${id}"`;
  if (id === MIMIR_RESERVED_TENANT) return `may not be "${id}": Mimir reserves it`;
  return undefined;
}

export const isValidTenantId = (id: string): boolean => tenantIdProblem(id) === undefined;

/** A zod string that must be a tenant id; the issue reads "not a valid Cortex tenant id: ...". */
export const tenantIdSchema = z.string().superRefine((id, ctx) => {
  const problem = tenantIdProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: `not a valid Cortex tenant id: ${problem}` });
});

function escapeChar(c: number): string {
  if (c === 0x0a) return '\\n';
  if (c === 0x0d) return '\\r';
  if (c === 0x09) return '\\t';
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

/**
 * A value made safe for an error message, a log line or a response body: control characters
 * and quotes escaped, cut to `max` characters with an ellipsis. Never throws.
 */
export function escapeForMessage(value: string, max = 200): string {
  let out = '';
  const end = Math.min(value.length, max);
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) out += escapeChar(c);
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else out += value[i];
  }
  if (value.length > max) out += `...(${value.length} chars)`;
  return out;
}
