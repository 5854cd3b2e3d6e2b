import type { Label, MetricMetadata, TimeSeries, WriteRequest } from '../wire/types.js';
import { createMetadataRouter } from './metadata-route.js';
import type { TenantOptions } from './options.js';
import { createTenantResolver, defaultTenantFor, resolveSeriesTenant, tenantPrefixFor } from './resolve.js';

/**
 * Splitting a decoded 1.0 WriteRequest by tenant: the pipeline path and the full-decode
 * baseline (cortex-tenant's algorithm). Same semantics as split-wire.ts: tenants in first-seen
 * order, the label that named the tenant removed with `label_remove` (the others keep their
 * order), metadata routed as metadata-route.ts describes. Any series without a tenant (and no
 * default) or with an invalid tenant fails the whole request with a TenantError.
 */

export interface SplitCounts {
  readonly series: number;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
  readonly metadata: number;
}

export interface TenantWriteRequest extends SplitCounts {
  readonly tenant: string;
  readonly request: WriteRequest;
}

export interface ObjectSplitResult {
  /** One per tenant, in first-seen order (a metadata-only batch for the default tenant last). */
  readonly batches: readonly TenantWriteRequest[];
  /** Metadata entries forwarded to nobody. */
  readonly metadataDropped: number;
  /** Series dropped for want of a tenant label (`on_missing: drop`). */
  readonly seriesDropped: number;
  /** Samples plus histograms of those series. */
  readonly samplesDropped: number;
}

interface Builder {
  readonly tenant: string;
  readonly timeseries: TimeSeries[];
  readonly metadata: MetricMetadata[];
  samples: number;
  histograms: number;
  exemplars: number;
}

export function splitWriteRequest(req: WriteRequest, options: TenantOptions, sourceTenant?: string): ObjectSplitResult {
  const prefix = tenantPrefixFor(options, sourceTenant);
  const builders: Builder[] = [];
  const index = new Map<string, number>();
  const builderFor = (tenant: string): number => {
    let i = index.get(tenant);
    if (i === undefined) {
      i = builders.length;
      index.set(tenant, i);
      builders.push({ tenant, timeseries: [], metadata: [], samples: 0, histograms: 0, exemplars: 0 });
    }
    return i;
  };

  const routeMetadata = options.metadata && req.metadata.length > 0;
  const router = routeMetadata ? createMetadataRouter() : undefined;
  const resolver = createTenantResolver(options, prefix);
  let seriesDropped = 0;
  let samplesDropped = 0;
  for (const series of req.timeseries) {
    const { tenant, labelIndex } = resolveSeriesTenant(options, prefix, series.labels, resolver);
    if (tenant === undefined) {
      seriesDropped++;
      samplesDropped += series.samples.length + series.histograms.length;
      continue;
    }
    const i = builderFor(tenant);
    const b = builders[i]!;
    const out =
      options.labelRemove && labelIndex >= 0 ? { ...series, labels: without(series.labels, labelIndex) } : series;
    b.timeseries.push(out);
    b.samples += series.samples.length;
    b.histograms += series.histograms.length;
    b.exemplars += series.exemplars.length;
    if (router) router.addSeries(nameOf(series.labels), i);
  }

  let metadataDropped = 0;
  if (!routeMetadata) {
    metadataDropped = req.metadata.length;
  } else {
    const defaultTenant = defaultTenantFor(options, prefix);
    for (const m of req.metadata) {
      const targets = router!.route(m.metricFamilyName);
      if (targets.length > 0) {
        for (const t of targets) builders[t]!.metadata.push(m);
      } else if (defaultTenant !== undefined) {
        builders[builderFor(defaultTenant)]!.metadata.push(m);
      } else {
        metadataDropped += 1;
      }
    }
  }

  const batches = builders.map<TenantWriteRequest>((b) => ({
    tenant: b.tenant,
    request: { timeseries: b.timeseries, metadata: b.metadata },
    series: b.timeseries.length,
    samples: b.samples,
    histograms: b.histograms,
    exemplars: b.exemplars,
    metadata: b.metadata.length,
  }));
  return { batches, metadataDropped, seriesDropped, samplesDropped };
}

function without(labels: readonly Label[], index: number): Label[] {
  const out: Label[] = [];
  for (let i = 0; i < labels.length; i++) if (i !== index) out.push(labels[i]!);
  return out;
}

function nameOf(labels: readonly Label[]): string {
  for (const l of labels) if (l.name === '__name__') return l.value;
  return '';
}
