/**
 * Where the cortex-tenant binary for the proxy suite's peer rows is: the `--cortex-tenant` flag,
 * else TENANTWIRE_BENCH_CORTEX_TENANT, else ../shared/peers/cortex-tenant beside the repository.
 * The first one given is the one used: a flag or variable naming a missing file is reported,
 * not silently replaced by another binary.
 */
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';

export const CORTEX_TENANT_ENV = 'TENANTWIRE_BENCH_CORTEX_TENANT';

export type CortexTenantSource = 'flag' | 'env' | 'default';

export type CortexTenantLocation =
  | { readonly found: true; readonly path: string; readonly source: CortexTenantSource }
  | { readonly found: false; readonly path: string; readonly source: CortexTenantSource; readonly note: string };

export interface CortexTenantLookup {
  readonly repoRoot: string;
  /** `--cortex-tenant`. */
  readonly flag?: string;
  /** The environment to read TENANTWIRE_BENCH_CORTEX_TENANT from; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether a path is an executable file; the real check by default (tests pass their own). */
  readonly executable?: (path: string) => boolean;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const HOW = {
  flag: '--cortex-tenant',
  env: CORTEX_TENANT_ENV,
  default: 'the default place',
} as const;

export function locateCortexTenant(lookup: CortexTenantLookup): CortexTenantLocation {
  const env = lookup.env ?? process.env;
  const fromEnv = env[CORTEX_TENANT_ENV];
  const [given, source]: [string, CortexTenantSource] =
    lookup.flag !== undefined && lookup.flag !== ''
      ? [lookup.flag, 'flag']
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv, 'env']
        : [resolve(lookup.repoRoot, '../shared/peers/cortex-tenant'), 'default'];
  const path = resolve(lookup.repoRoot, given);
  if ((lookup.executable ?? isExecutable)(path)) return { found: true, path, source };
  return {
    found: false,
    path,
    source,
    note:
      `cortex-tenant is not installed: no executable at ${path} (${HOW[source]}); its rows are missing. ` +
      `Name one with \`--cortex-tenant PATH\` or ${CORTEX_TENANT_ENV}.`,
  };
}
