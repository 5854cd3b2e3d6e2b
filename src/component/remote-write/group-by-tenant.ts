import type { TenantOptions } from '../../tenant/options.js';
import { resolveSeriesTenant, tenantPrefixFor } from '../../tenant/resolve.js';
import type { Label, TimeSeries } from '../../wire/types.js';
import { chunkSeries, type QueuedSeries } from './queue/index.js';
import { labelsHash } from './series-hash.js';

/**
 * The native split of one endpoint: each series' tenant resolved (and its tenant label removed
 * when configured) before serialisation, cut into chunks of at most `max` items, grouped per
 * tenant ('' when the endpoint has no tenant rule). Throws TenantError for a series without one.
 */
export function groupByTenant(
  series: readonly TimeSeries[],
  tenantOptions: TenantOptions | undefined,
  sourceTenant: string | undefined,
  max: number,
): Map<string, QueuedSeries[]> {
  const out = new Map<string, QueuedSeries[]>();
  const prefix = tenantOptions ? tenantPrefixFor(tenantOptions, sourceTenant) : '';
  for (const s of series) {
    let tenant = '';
    let labels: readonly Label[] = s.labels;
    if (tenantOptions) {
      const r = resolveSeriesTenant(tenantOptions, prefix, labels);
      tenant = r.tenant;
      if (tenantOptions.labelRemove && r.labelIndex >= 0) labels = labels.filter((_, i) => i !== r.labelIndex);
    }
    let list = out.get(tenant);
    if (!list) out.set(tenant, (list = []));
    for (const c of chunkSeries(labels, s, max, labelsHash(labels))) list.push(c);
  }
  return out;
}
