import type { TenantOptions } from '../../tenant/options.js';
import { createTenantResolver, resolveSeriesTenant, tenantPrefixFor } from '../../tenant/resolve.js';
import type { Label, TimeSeries } from '../../wire/types.js';
import { chunkSeries, type QueuedSeries } from './queue/index.js';
import { labelsHash } from './series-hash.js';

/** Series grouped per tenant, and what `on_missing: drop` dropped (samples plus histograms). */
export interface TenantGroups extends Map<string, QueuedSeries[]> {
  droppedSamples?: number;
}

/**
 * The native split of one endpoint: each series' tenant resolved (mapped, and its tenant label
 * removed when configured) before serialisation, cut into chunks of at most `max` items, grouped
 * per tenant ('' when the endpoint has no tenant rule). A series without a tenant label is
 * dropped with `on_missing: drop` (counted in `droppedSamples`); otherwise it throws TenantError
 * for a series without one, as for an invalid tenant.
 */
export function groupByTenant(
  series: readonly TimeSeries[],
  tenantOptions: TenantOptions | undefined,
  sourceTenant: string | undefined,
  max: number,
): TenantGroups {
  const out: TenantGroups = new Map<string, QueuedSeries[]>();
  const prefix = tenantOptions ? tenantPrefixFor(tenantOptions, sourceTenant) : '';
  const resolver = tenantOptions ? createTenantResolver(tenantOptions, prefix) : undefined;
  let dropped = 0;
  for (const s of series) {
    let tenant = '';
    let labels: readonly Label[] = s.labels;
    if (tenantOptions) {
      const r = resolveSeriesTenant(tenantOptions, prefix, labels, resolver);
      if (r.tenant === undefined) {
        dropped += s.samples.length + s.histograms.length;
        continue;
      }
      tenant = r.tenant;
      if (tenantOptions.labelRemove && r.labelIndex >= 0) labels = labels.filter((_, i) => i !== r.labelIndex);
    }
    let list = out.get(tenant);
    if (!list) out.set(tenant, (list = []));
    for (const c of chunkSeries(labels, s, max, labelsHash(labels))) list.push(c);
  }
  if (dropped > 0) out.droppedSamples = dropped;
  return out;
}
