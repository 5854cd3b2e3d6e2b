import { Gauge, type Registry } from 'prom-client';
import type { TenantLimiter } from '../limits/tenant-limiter.js';

/**
 * What the per-tenant limits hold, read when /metrics is scraped: the series tracked for
 * max_active_series (over every tenant of this process) and the bytes of their tables, so the
 * memory bound in the README can be watched.
 */
export function registerLimiterGauges(registry: Registry, limiter: TenantLimiter): void {
  new Gauge({
    name: 'tenantwire_active_series_tracked',
    help: 'Series held by the max_active_series trackers (active ones plus expired ones not yet swept).',
    registers: [registry],
    collect() {
      this.set(limiter.tracked().series);
    },
  });
  new Gauge({
    name: 'tenantwire_active_series_tracker_bytes',
    help: 'Bytes of the max_active_series tracker tables.',
    registers: [registry],
    collect() {
      this.set(limiter.tracked().bytes);
    },
  });
}
