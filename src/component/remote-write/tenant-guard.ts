import { TenantLimitError } from '../../errors.js';
import { createSeriesHasher } from '../../limits/series-hash.js';
import type { TenantLimiter } from '../../limits/tenant-limiter.js';
import type { TenantRights } from '../../protocol/write-types.js';
import { forbiddenTenantError } from '../../proxy/tenant-rights.js';
import { retryAfterSeconds, type TenantLimitName } from '../../proxy/tenant-limits.js';
import type { Label } from '../../wire/types.js';
import type { TenantGroups } from './group-by-tenant.js';
import type { QueuedSeries } from './queue/index.js';

/**
 * The guardrails of one pipeline endpoint, on its series grouped by FINAL tenant: the sender's
 * rights (receive_http `auth`), then the endpoint's `tenant.limits`, with the drop-in's rules
 * (proxy/tenant-limits.ts): a tenant over `max_series_per_request` is cut whole, new series past
 * `max_active_series` are cut, a tenant whose bucket cannot hold its samples is held back whole.
 * Deciding takes nothing: tokens are taken and series recorded by `commit`, once the push is
 * accepted into the queues, so a push refused for a full queue (and sent again) costs nothing.
 */

export interface LimitedPart {
  readonly tenant: string;
  readonly limit: TenantLimitName;
  /** Samples and histograms held back or cut. */
  readonly samples: number;
  readonly waitMs?: number;
  readonly message: string;
}

export interface GuardOutcome {
  /** What may be queued. */
  readonly groups: TenantGroups;
  /** Samples of tenants the credential may not write, dropped (`on_forbidden: drop`). */
  readonly forbiddenSamples: number;
  readonly rateLimited: readonly LimitedPart[];
  readonly refused: readonly LimitedPart[];
  /** True when something was limited and nothing is left to queue: the push is refused whole. */
  readonly nothingLeft: boolean;
  /** Takes the tokens and records the series of what is queued. */
  commit(): void;
}

const hasher = createSeriesHasher();

/** Throws AuthError (403) for a forbidden tenant with `on_forbidden: reject`. */
export function guardTenants(
  groups: TenantGroups,
  rights: TenantRights | undefined,
  limiter: TenantLimiter | undefined,
): GuardOutcome {
  let forbiddenSamples = 0;
  let allowed = groups;
  if (rights !== undefined) {
    const forbidden = [...groups.keys()].filter((t) => !rights.allows(t));
    if (forbidden.length > 0) {
      if (rights.onForbidden === 'reject') throw forbiddenTenantError(rights.credential, forbidden);
      allowed = withDropped(new Map([...groups].filter(([t]) => !forbidden.includes(t))), groups);
      for (const t of forbidden) forbiddenSamples += samplesOf(groups.get(t) ?? []);
    }
  }
  const rateLimited: LimitedPart[] = [];
  const refused: LimitedPart[] = [];
  if (limiter === undefined) {
    return { groups: allowed, forbiddenSamples, rateLimited, refused, nothingLeft: false, commit: () => {} };
  }

  const now = limiter.now();
  const out: TenantGroups = new Map<string, QueuedSeries[]>();
  const commits: (() => void)[] = [];
  for (const [tenant, chunks] of allowed) {
    const s = limiter.settings(tenant);
    const series = distinctSeries(chunks);
    const total = samplesOf(chunks);
    if (s.maxSeriesPerRequest > 0 && series.size > s.maxSeriesPerRequest) {
      refused.push({
        tenant,
        limit: 'max_series_per_request',
        samples: total,
        message: `${series.size} series, more than max_series_per_request (${s.maxSeriesPerRequest})`,
      });
      continue;
    }
    let kept = chunks;
    const tracker = limiter.tracker(tenant);
    if (tracker !== undefined && series.size > 0) {
      const n = series.size;
      const hi = new Uint32Array(n);
      const lo = new Uint32Array(n);
      const order = [...series.keys()];
      order.forEach((labels, i) => {
        hasher.reset();
        for (const l of labels) {
          hasher.updateString(l.name);
          hasher.updateString(l.value);
        }
        hi[i] = hasher.hi();
        lo[i] = hasher.lo();
      });
      const keep = new Uint8Array(n);
      const cut = tracker.admit(hi, lo, n, now, keep);
      if (cut > 0) {
        const keptLabels = new Set(order.filter((_, i) => keep[i] === 1));
        kept = chunks.filter((c) => keptLabels.has(c.labels));
        refused.push({
          tenant,
          limit: 'max_active_series',
          samples: total - samplesOf(kept),
          message: `${cut} new series past max_active_series (${s.maxActiveSeries} within ${s.activeSeriesWindowMs / 1000}s)`,
        });
        if (kept.length === 0) continue;
      }
      commits.push(() => tracker.record(hi, lo, n, now, keep));
    }
    const bucket = limiter.bucket(tenant);
    const need = samplesOf(kept);
    if (bucket !== undefined && need > 0) {
      const waitMs = bucket.waitMs(need, now);
      if (waitMs > 0) {
        if (tracker !== undefined) commits.pop();
        rateLimited.push({
          tenant,
          limit: 'ingestion_rate',
          samples: need,
          waitMs,
          message: `${need} samples over ingestion_rate (${s.ingestionRate}/s, burst ${s.ingestionBurst}); retry in ${retryAfterSeconds(waitMs)}s`,
        });
        continue;
      }
      commits.push(() => bucket.take(need, now));
    }
    out.set(tenant, kept);
  }
  const limited = rateLimited.length + refused.length > 0;
  return {
    groups: limited ? withDropped(out, groups) : allowed,
    forbiddenSamples,
    rateLimited,
    refused,
    nothingLeft: limited && out.size === 0,
    commit: () => {
      for (const c of commits) c();
    },
  };
}

/** The error for a push with nothing left to queue, or one whose rate-limited parts make it retried. */
export function limitError(rateLimited: readonly LimitedPart[], refused: readonly LimitedPart[]): TenantLimitError {
  const all = [...rateLimited, ...refused];
  const parts = all.slice(0, 10).map((l) => `tenant ${l.tenant}: ${l.message}`);
  const more = all.length > parts.length ? `; and ${all.length - parts.length} more` : '';
  const message = `per-tenant limits: ${parts.join('; ')}${more}`;
  if (rateLimited.length === 0) return new TenantLimitError('over_series_limit', message);
  const waitMs = Math.max(...rateLimited.map((l) => l.waitMs ?? 0));
  return new TenantLimitError('rate_limited', message, retryAfterSeconds(waitMs) * 1000);
}

/** Keeps what `on_missing: drop` dropped (counted when the push is committed). */
function withDropped(next: Map<string, QueuedSeries[]>, from: TenantGroups): TenantGroups {
  const out: TenantGroups = next;
  if (from.droppedSamples !== undefined) out.droppedSamples = from.droppedSamples;
  return out;
}

/** The distinct series of a tenant's chunks: a series cut in chunks shares its labels array. */
function distinctSeries(chunks: readonly QueuedSeries[]): Map<readonly Label[], number> {
  const out = new Map<readonly Label[], number>();
  for (const c of chunks) out.set(c.labels, (out.get(c.labels) ?? 0) + c.samples.length + c.histograms.length);
  return out;
}

function samplesOf(chunks: readonly QueuedSeries[]): number {
  let n = 0;
  for (const c of chunks) n += c.samples.length + c.histograms.length;
  return n;
}
