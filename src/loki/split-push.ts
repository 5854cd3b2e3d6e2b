/**
 * Splitting a Loki push by tenant, cortex-tenant's rule applied to streams: the tenant comes
 * from the stream's labels (the first of `label_list`/`label` present with a non-empty value),
 * mapped by `mapping`; without one `on_missing` decides: `default`, `drop` (the stream is
 * dropped, counted in the result) or `reject` (the whole push is refused, TenantError naming the
 * stream); the prefix and the tenant id check are resolve.ts's. With `label_remove` the label that named the
 * tenant is removed from the labels string (the others keep their order) and the stream hash,
 * computed over the old labels, is dropped. Tenants come out in first-seen order, streams in
 * input order. Streams without entries are dropped (there is nothing to forward).
 *
 * `passthrough`: one tenant, nothing rewritten, nothing dropped: the caller may forward the
 * original body.
 */
import type { TenantOptions } from '../tenant/options.js';
import { createTenantResolver, describeLabels, findTenantLabel, tenantPrefixFor } from '../tenant/resolve.js';
import { parseStreamLabels, printStreamLabels } from './labels-string.js';
import type { LokiPushRequest, LokiStream } from './types.js';

export interface LokiTenantBatch {
  readonly tenant: string;
  readonly request: LokiPushRequest;
  readonly streams: number;
  readonly entries: number;
}

export interface LokiSplitResult {
  readonly batches: readonly LokiTenantBatch[];
  readonly passthrough: boolean;
  /** Streams dropped because they had no entries. */
  readonly emptyStreams: number;
  /** Streams whose tenant label was removed. */
  readonly labelsRemoved: number;
  /** Streams dropped for want of a tenant label (`on_missing: drop`), and their entries. */
  readonly streamsDropped: number;
  readonly entriesDropped: number;
}

interface Builder {
  readonly tenant: string;
  readonly streams: LokiStream[];
  entries: number;
}

export function splitPushRequest(req: LokiPushRequest, options: TenantOptions, sourceTenant?: string): LokiSplitResult {
  const prefix = tenantPrefixFor(options, sourceTenant);
  const builders: Builder[] = [];
  const byTenant = new Map<string, Builder>();
  let emptyStreams = 0;
  let labelsRemoved = 0;
  let streamsDropped = 0;
  let entriesDropped = 0;
  const resolver = createTenantResolver(options, prefix);

  req.streams.forEach((stream, i) => {
    if (stream.entries.length === 0) {
      emptyStreams++;
      return;
    }
    const labels = parseStreamLabels(stream.labels);
    const at = findTenantLabel(options, labels);
    const raw = at >= 0 ? labels[at]?.value : undefined;
    const tenant = resolver.resolve(raw, () => `${describeLabels(labels)} (log stream ${i})`);
    if (tenant === undefined) {
      streamsDropped++;
      entriesDropped += stream.entries.length;
      return;
    }
    let b = byTenant.get(tenant);
    if (b === undefined) {
      b = { tenant, streams: [], entries: 0 };
      byTenant.set(tenant, b);
      builders.push(b);
    }
    let out = stream;
    if (options.labelRemove && at >= 0) {
      const kept = labels.filter((_, j) => j !== at);
      out = { labels: printStreamLabels(kept), entries: stream.entries, hash: 0n };
      labelsRemoved++;
    }
    b.streams.push(out);
    b.entries += stream.entries.length;
  });

  const batches = builders.map((b) => ({
    tenant: b.tenant,
    request: { streams: b.streams, format: req.format },
    streams: b.streams.length,
    entries: b.entries,
  }));
  return {
    batches,
    passthrough: batches.length === 1 && emptyStreams === 0 && labelsRemoved === 0 && streamsDropped === 0,
    emptyStreams,
    labelsRemoved,
    streamsDropped,
    entriesDropped,
  };
}
