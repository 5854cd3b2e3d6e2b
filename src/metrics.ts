/**
 * Moved to proxy/metrics.ts. Kept only as the import path of src/index.ts and of tests outside
 * this change; delete once they import proxy/metrics.js.
 */
export { createProxyMetrics, type ProxyMetrics } from './proxy/metrics.js';
