import { DEFAULT_MAX_TENANTS_PER_REQUEST } from '../defaults.js';
import { TenantError } from '../errors.js';

/**
 * Bounds on one request's fan-out to its tenants. A request is cheap to make and its fan-out is
 * not: 500 KB of snappy can name 100,000 tenants, which without a bound became 100,000 upstream
 * requests queued at once (1.2 GB of memory, every one timing out in the queue). So a request
 * may name at most `maxTenants` distinct tenants (400 past it, naming the count and the key),
 * and at most `parallel` of its upstream requests are started at once, so that each one's
 * timeout measures the upstream rather than the queue in front of it.
 */
export interface FanOutLimits {
  /** 0: no limit. */
  readonly maxTenants: number;
  readonly parallel: number;
}

/** What a proxy built without limits gets: the config defaults (`max_conns_per_host` is 64). */
export const DEFAULT_FAN_OUT: FanOutLimits = { maxTenants: DEFAULT_MAX_TENANTS_PER_REQUEST, parallel: 64 };

/** Throws TenantError `too_many_tenants` when `tenants` is past the limit. */
export function checkTenantCount(tenants: number, limits: FanOutLimits, what = 'request'): void {
  if (limits.maxTenants > 0 && tenants > limits.maxTenants) {
    throw new TenantError(
      'too_many_tenants',
      `the ${what} names ${tenants} tenants, more than max_tenants_per_request (${limits.maxTenants}); split ` +
        `it or raise the limit`,
    );
  }
}

/** `Promise.all(items.map(fn))` with at most `parallel` calls of `fn` pending at once; order kept. */
export async function mapBounded<T, R>(
  items: readonly T[],
  parallel: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (items.length <= parallel) return Promise.all(items.map(fn));
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, lane));
  return results;
}
