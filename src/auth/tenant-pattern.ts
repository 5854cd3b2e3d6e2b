/**
 * The tenants a credential may write, as patterns over the FINAL tenant id (the one sent
 * upstream as X-Scope-OrgID, after `prefix` or the source tenant prefix). A pattern without `*`
 * matches that id exactly (case-sensitive); each `*` matches any run of characters, the empty
 * run included, so `team-a-*` matches `team-a-x` and `team-a-` but not `team-a`, and `*` alone
 * matches every tenant. `*` is always a wildcard: there is no escape for a literal `*`.
 */

export type TenantMatcher = (tenant: string) => boolean;

/** One pattern as a matcher; the pattern was validated by the config schema. */
export function compileTenantPattern(pattern: string): TenantMatcher {
  if (!pattern.includes('*')) return (tenant) => tenant === pattern;
  if (pattern === '*') return () => true;
  const parts = pattern.split('*');
  return (tenant) => globMatch(parts, tenant);
}

/** Any of `patterns` (an empty list matches nothing). */
export function compileTenantPatterns(patterns: readonly string[]): TenantMatcher {
  const matchers = patterns.map(compileTenantPattern);
  return (tenant) => matchers.some((m) => m(tenant));
}

/**
 * `parts` is the pattern split at each `*`. The first part must be a prefix and the last a
 * suffix; the middle ones are found left to right, each at its earliest position, which is
 * enough for `*` (a greedy-free scan: linear in the tenant for each part, no backtracking).
 */
function globMatch(parts: readonly string[], tenant: string): boolean {
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (tenant.length < first.length + last.length) return false;
  if (!tenant.startsWith(first) || !tenant.endsWith(last)) return false;
  let at = first.length;
  const end = tenant.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    if (part === '') continue;
    const found = tenant.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
