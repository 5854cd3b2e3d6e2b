/**
 * Defaults shared by more than one layer (the drop-in's file, the pipeline arguments, the proxy,
 * the HTTP server), defined once here below all of them. A default used by one module alone
 * stays beside that module (wire limits in wire/types.ts, retry timings in transport/).
 */

/**
 * Most distinct tenants one request may fan out to (the drop-in's `max_tenants_per_request`,
 * `withTenantSplit`) and most tenant queues one remote_write endpoint holds (`max_tenants`).
 */
export const DEFAULT_MAX_TENANTS_PER_REQUEST = 1000;

/** Most open client connections per process (`max_connections`, receive_http's too). */
export const DEFAULT_MAX_CONNECTIONS = 4096;
