// `tenantwire/transport`: the transport seam, its implementations and middlewares.

export type * from '../transport/types.js';
export { TransportError } from '../errors.js';
export type { TransportErrorCode, SystemErrorCode } from '../errors.js';
export { createUndiciTransport } from '../transport/undici-transport.js';
export type { UndiciTransportOptions } from '../transport/undici-transport.js';
export { createFetchTransport } from '../transport/fetch-transport.js';
export type { FetchLike } from '../transport/fetch-transport.js';
export { createDirectoryTransport } from '../transport/directory-transport.js';
export { withHeaders, withBasicAuth, withBearerToken, composeTransport } from '../transport/auth-middlewares.js';
export { withRetry } from '../transport/with-retry.js';
export { createRetryPolicy } from '../transport/retry-policy.js';
export type { RetryPolicy, RetryPolicyOptions } from '../transport/retry-policy.js';
export { withTenantSplit } from '../proxy/tenant-split-transport.js';
