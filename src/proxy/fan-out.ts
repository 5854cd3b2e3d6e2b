/**
 * The fan-out bounds live with the transports (src/transport/fan-out.ts) so that the tenant
 * split wrapper, below the proxy, applies the same ones; the proxy's imports stay as they were.
 */
export { checkTenantCount, DEFAULT_FAN_OUT, mapBounded, type FanOutLimits } from '../transport/fan-out.js';
