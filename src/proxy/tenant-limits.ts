import type { TenantLimiter } from '../limits/tenant-limiter.js';
import { writtenHeaders } from '../protocol/headers.js';
import type { WriteAnswer } from '../protocol/write-types.js';
import type { TenantOutcome } from '../tenant/fold.js';
import type { TenantSend } from './forward.js';
import type { ProxyMetrics } from './metrics.js';
import type { SendPlan } from './plan.js';
import { seriesOf } from './tenant-limits-series.js';

/**
 * The per-tenant limits (the `limits:` block) applied to a split request, after the tenant-
 * rights check and before anything is sent or queued. Per send (one tenant), in this order:
 * - max_series_per_request: more series than that refuses the send whole;
 * - max_active_series: series new to the tenant past its bound are cut from the send (the
 *   series it has already are never refused), the send refused when none is left;
 * - ingestion_rate: a send whose samples the tenant's bucket cannot hold now is held back
 *   whole, with the wait until it could.
 * Tokens are taken and series recorded only for the sends that go out, so a send held back for
 * one limit, or another tenant's refusal, costs nothing.
 *
 * The answer (README "Per-tenant limits"): the other tenants' sends go out either way; a rate-
 * limited tenant makes it a 429 with Retry-After (the sender resends the whole request, so the
 * tenants already written get duplicates, which Cortex and Mimir accept), a series limit never
 * turns it into a 400 unless nothing was left to send (a 400 makes the sender drop the others'
 * data too): the refused samples are counted as dropped instead.
 */

export type TenantLimitName = 'ingestion_rate' | 'max_series_per_request' | 'max_active_series';

export interface LimitedSend {
  readonly tenant: string;
  readonly limit: TenantLimitName;
  /** Samples and histograms held back. */
  readonly samples: number;
  /** For ingestion_rate: ms until the tenant's bucket would hold them. */
  readonly waitMs?: number;
  readonly message: string;
}

export interface LimitsResult {
  /** The plan without what was held back. */
  readonly plan: SendPlan;
  /** Sends held back whole by the rate limit: the answer is retryable. */
  readonly rateLimited: readonly LimitedSend[];
  /** Series refused by a series limit (whole sends or part of one). */
  readonly refused: readonly LimitedSend[];
  /** Set when something was limited and nothing is left to send: the whole answer. */
  readonly answer?: WriteAnswer;
}

/** Pure but for the limiter's state: decides every send of `plan`, takes tokens, records series. */
export function applyTenantLimits(plan: SendPlan, limiter: TenantLimiter): LimitsResult {
  const now = limiter.now();
  const sends: TenantSend[] = [];
  const rateLimited: LimitedSend[] = [];
  const refused: LimitedSend[] = [];
  for (const original of plan.sends) {
    const s = limiter.settings(original.tenant);
    let send = original;
    const total = samplesOf(send);
    if (s.maxSeriesPerRequest > 0 && send.series > s.maxSeriesPerRequest) {
      refused.push({
        tenant: send.tenant,
        limit: 'max_series_per_request',
        samples: total,
        message: `${send.series} series, more than max_series_per_request (${s.maxSeriesPerRequest})`,
      });
      continue;
    }
    const tracker = limiter.tracker(send.tenant);
    let commitSeries: (() => void) | undefined;
    if (tracker !== undefined && send.series > 0) {
      const ids = seriesOf(send);
      const keep = new Uint8Array(ids.n);
      const cut = tracker.admit(ids.hi, ids.lo, ids.n, now, keep);
      if (cut > 0) {
        const kept = cut < ids.n ? ids.keepOnly(keep) : undefined;
        refused.push({
          tenant: send.tenant,
          limit: 'max_active_series',
          samples: total - (kept ? samplesOf(kept) : 0),
          message: `${cut} new series past max_active_series (${s.maxActiveSeries} within ${s.activeSeriesWindowMs / 1000}s)`,
        });
        if (kept === undefined) continue;
        send = kept;
      }
      commitSeries = () => tracker.record(ids.hi, ids.lo, ids.n, now, keep);
    }
    const bucket = limiter.bucket(send.tenant);
    const need = samplesOf(send);
    if (bucket !== undefined && need > 0) {
      const waitMs = bucket.waitMs(need, now);
      if (waitMs > 0) {
        rateLimited.push({
          tenant: send.tenant,
          limit: 'ingestion_rate',
          samples: need,
          waitMs,
          message:
            `${need} samples over ingestion_rate (${round(s.ingestionRate)}/s, burst ${round(s.ingestionBurst)}); ` +
            `retry in ${retryAfterSeconds(waitMs)}s`,
        });
        continue;
      }
      bucket.take(need, now);
    }
    commitSeries?.();
    sends.push(send);
  }
  if (rateLimited.length === 0 && refused.length === 0) return { plan, rateLimited, refused };
  const limitedPlan: SendPlan = {
    ...plan,
    sends,
    passthrough: plan.passthrough && sends.length === 1 && sends[0] === plan.sends[0],
  };
  const result = { plan: limitedPlan, rateLimited, refused };
  return sends.length > 0 ? result : { ...result, answer: wholeAnswer(result) };
}

/** The answer when nothing is left to send: 429 when any tenant may retry, else 400. */
function wholeAnswer(r: Omit<LimitsResult, 'answer'>): WriteAnswer {
  const headers: Record<string, string> =
    r.plan.answerProtocol === '2.0' ? writtenHeaders({ samples: 0, histograms: 0, exemplars: 0 }) : {};
  if (r.rateLimited.length > 0) {
    headers['Retry-After'] = String(retryAfterSeconds(Math.max(...r.rateLimited.map((l) => l.waitMs ?? 0))));
    return { status: 429, headers, body: describe([...r.rateLimited, ...r.refused]) };
  }
  return { status: 400, headers, body: describe(r.refused) };
}

/** Whole seconds, at least one: what Retry-After says. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

function describe(limited: readonly LimitedSend[]): string {
  const parts = limited.slice(0, 10).map((l) => `tenant ${l.tenant}: ${l.message}`);
  const more = limited.length > parts.length ? `; and ${limited.length - parts.length} more` : '';
  return `per-tenant limits: ${parts.join('; ')}${more}`;
}

/** What the fold sees for a rate-limited tenant: a 429 with its wait. */
export function limitOutcomes(r: LimitsResult, outcomes: TenantOutcome[]): TenantOutcome[] {
  if (r.rateLimited.length === 0) return outcomes;
  const extra = r.rateLimited.map<TenantOutcome>((l) => {
    const ms = retryAfterSeconds(l.waitMs ?? 0) * 1000;
    return { kind: 'response', tenant: l.tenant, status: 429, headers: {}, body: new Uint8Array(0), retryAfterMs: ms };
  });
  return [...outcomes, ...extra];
}

/**
 * Counts what was limited once the answer is known: every limited send in
 * `tenantwire_tenant_limited_total` / `_samples_total`; the refused samples as dropped too when
 * the rest of the request went out and the answer does not make the sender retry. A 429 answer
 * says why in its body.
 */
export function settleLimits(
  r: LimitsResult,
  a: WriteAnswer,
  metrics: Pick<ProxyMetrics, 'samplesDropped' | 'tenantLimited' | 'tenantLimitedSamples' | 'tenantLabel'>,
): WriteAnswer {
  if (r.rateLimited.length === 0 && r.refused.length === 0) return a;
  // Dropped: refused here while the request as a whole is not (refused whole, the sender knows;
  // answered 429/5xx, it sends everything again).
  const dropped = r.answer === undefined && a.status !== 429 && a.status < 500;
  for (const l of [...r.rateLimited, ...r.refused]) {
    const labels = { tenant: metrics.tenantLabel(l.tenant), limit: l.limit };
    metrics.tenantLimited.inc(labels);
    if (l.samples > 0) metrics.tenantLimitedSamples.inc(labels, l.samples);
    const reason = l.limit === 'ingestion_rate' ? 'rate_limited' : l.limit;
    if (dropped && l.samples > 0) metrics.samplesDropped.inc({ reason }, l.samples);
  }
  if (a.status === 429 && r.rateLimited.length > 0) return { ...a, body: describe([...r.rateLimited, ...r.refused]) };
  return a;
}

/**
 * What the proxies call right after the rights check: no limiter, the plan as it is (the
 * result's other calls then do nothing); else `applyTenantLimits`, and when nothing is left to
 * send the answer, counted.
 */
export function enforceTenantLimits(
  plan: SendPlan,
  limiter: TenantLimiter | undefined,
  metrics: Pick<ProxyMetrics, 'samplesDropped' | 'tenantLimited' | 'tenantLimitedSamples' | 'tenantLabel' | 'answers'>,
): LimitsResult {
  if (limiter === undefined) return { plan, rateLimited: [], refused: [] };
  const r = applyTenantLimits(plan, limiter);
  if (r.answer === undefined) return r;
  metrics.answers.inc({ code: String(r.answer.status) });
  return { ...r, answer: settleLimits(r, r.answer, metrics) };
}

const samplesOf = (s: TenantSend): number => s.sent.samples + s.sent.histograms;
const round = (v: number): number => Math.round(v * 100) / 100;

/** Queue mode's answer once the rest is queued: 204, or 429 + Retry-After when a tenant was rate limited. */
export function queuedLimitAnswer(r: LimitsResult, headers: Readonly<Record<string, string>>): WriteAnswer {
  if (r.rateLimited.length === 0) return { status: 204, headers };
  const waitMs = Math.max(...r.rateLimited.map((l) => l.waitMs ?? 0));
  return {
    status: 429,
    headers: { ...headers, 'Retry-After': String(retryAfterSeconds(waitMs)) },
    body: describe([...r.rateLimited, ...r.refused]),
  };
}
