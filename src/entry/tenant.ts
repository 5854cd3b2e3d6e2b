// `tenantwire/tenant`: the tenant options (cortex-tenant's `tenant:` block) and tenant id rules.
// The splitters behind them are reached through `withTenantSplit` and `createTenantProxy`.

export { TenantError } from '../errors.js';
export type { TenantErrorCode } from '../errors.js';
export {
  tenantOptionsSchema,
  normalizeTenantOptions,
  compileTenantOptions,
  tenantOptionsFrom,
} from '../tenant/options.js';
export type { TenantOptions, TenantOptionsInput, CompiledTenantOptions } from '../tenant/options.js';
export { tenantIdProblem, isValidTenantId, MAX_TENANT_ID_BYTES } from '../tenant/tenant-id.js';
