/**
 * Sidecar Syncer v2: reconciles `(cluster id, config)` pairs into Cortex's Alertmanager. POSTs
 * what changed, DELETEs clusters that are gone, reads every store back with GET, confirms
 * "applied" through the hash marker receiver in the tenant's `/api/v2/receivers`, retries
 * network errors and 5xx with backoff and jitter, runs a full resync on an interval, and gives
 * tenants seen by remote-write a default config. Clock, sleep and randomness are injected.
 */
import type { Logger } from '../logger.js';
import { createSilentLogger } from '../logger.js';
import { AlertingError } from '../errors.js';
import type { AlertmanagerApi } from './alertmanager-api.js';
import { cortexBodyYaml } from './build-cluster.js';
import type { BuiltCluster } from './build-cluster.js';
import { markerReceiverName } from './condition-types.js';
import type { CortexConfigClient } from './cortex-config-client.js';
import { parseCortexBody } from './cortex-config-client.js';
import { describeAnswer, isOk } from './http-call.js';
import type { HttpAnswer } from './http-call.js';
import { realSleep } from '../transport/sleep.js';
import { DEFAULT_RETRY, withRetry } from './retry-policy.js';
import type { RetryPolicy, Sleep } from './retry-policy.js';
import { forEachLimited, planSync } from './sync-plan.js';
import type { ClusterSyncStatus } from './sync-plan.js';
import { tenantIdProblem } from '../tenant/tenant-id.js';
import type { SyncLedger } from './sync-ledger.js';

export interface SyncerOptions {
  readonly configClient: CortexConfigClient;
  /** A Cortex-mode API option; `forTenant` picks the tenant. */
  readonly api: AlertmanagerApi;
  /** The config a tenant unknown to the model gets. */
  readonly defaultConfig: (tenant: string) => BuiltCluster;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly logger?: Logger;
  /** Remembers the clusters stored across restarts, so that ones removed meanwhile get deleted. */
  readonly ledger?: SyncLedger;
}

export interface SyncReport {
  readonly full: boolean;
  readonly posted: string[];
  readonly deleted: string[];
  readonly applied: string[];
  readonly failed: { clusterId: string; error: string }[];
}

export interface RunOptions {
  readonly intervalMs: number;
  readonly resyncIntervalMs: number;
}

export interface AlertingSyncer {
  setDesired(configs: ReadonlyMap<string, BuiltCluster>): void;
  reconcile(options?: { full?: boolean; signal?: AbortSignal }): Promise<SyncReport>;
  /** Gives a tenant the default config when Cortex has none for it. Cheap when already known. */
  ensureTenant(tenant: string): Promise<void>;
  status(): ClusterSyncStatus[];
  /** Reconciles every interval (a full resync every resync interval) until the signal aborts. */
  run(signal: AbortSignal, options: RunOptions): Promise<void>;
  /** Cuts the current wait of `run` short. */
  wake(): void;
}

export function createAlertingSyncer(options: SyncerOptions): AlertingSyncer {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const retry = options.retry ?? DEFAULT_RETRY;
  const concurrency = options.concurrency ?? 8;
  const log = options.logger ?? createSilentLogger();
  const statuses = new Map<string, ClusterSyncStatus>();
  let desired: ReadonlyMap<string, BuiltCluster> = new Map();
  const ensuring = new Map<string, Promise<void>>();
  let queue: Promise<unknown> = Promise.resolve();
  let wakeUp: (() => void) | undefined;

  const retried = (call: () => Promise<HttpAnswer>, signal?: AbortSignal) =>
    withRetry(call, retry, sleep, random, signal);
  const patch = (id: string, source: ClusterSyncStatus['source'], p: Partial<ClusterSyncStatus>): void => {
    const prev = statuses.get(id) ?? { clusterId: id, source, stored: false, applied: false };
    const next: ClusterSyncStatus = { ...prev, source, ...p };
    if (!('error' in p)) delete (next as { error?: string }).error;
    statuses.set(id, next);
  };
  const fail = (id: string, source: ClusterSyncStatus['source'], error: string, report?: SyncReport): void => {
    patch(id, source, { error });
    report?.failed.push({ clusterId: id, error });
    log.warn({ clusterId: id, error }, 'alerting sync failed');
  };

  async function confirm(
    id: string,
    source: ClusterSyncStatus['source'],
    hash: string,
    report?: SyncReport,
    signal?: AbortSignal,
  ): Promise<void> {
    const a = await retried(() => options.api.forTenant(id).raw('GET', 'receivers'), signal);
    if (!isOk(a)) {
      if (a.kind === 'response' && a.status === 404) return; // not loaded yet: Cortex polls its store
      return fail(id, source, `receivers: ${describeAnswer(a)}`, report);
    }
    const names = (JSON.parse(a.body) as { name: string }[]).map((r) => r.name);
    if (names.includes(markerReceiverName(hash))) {
      patch(id, source, { applied: true, lastSyncedAt: clock() });
      report?.applied.push(id);
    }
  }

  async function store(
    b: BuiltCluster,
    source: ClusterSyncStatus['source'],
    report?: SyncReport,
    signal?: AbortSignal,
  ): Promise<void> {
    const id = b.clusterId;
    patch(id, source, {
      desiredHash: b.hash,
      applied: statuses.get(id)?.hash === b.hash && (statuses.get(id)?.applied ?? false),
    });
    const posted = await retried(() => options.configClient.set(id, cortexBodyYaml(b), signal), signal);
    if (!isOk(posted)) return fail(id, source, `store: ${describeAnswer(posted)}`, report);
    const read = await retried(() => options.configClient.get(id, signal), signal);
    if (!isOk(read)) return fail(id, source, `read back: ${describeAnswer(read)}`, report);
    if (parseCortexBody(read.body).alertmanager_config !== b.configYaml)
      return fail(id, source, 'read back: Cortex holds a different config', report);
    patch(id, source, { stored: true, hash: b.hash, lastSyncedAt: clock(), applied: false });
    report?.posted.push(id);
    await confirm(id, source, b.hash, report, signal);
  }

  /** Full resync of one tenant: read what Cortex holds; store only when it differs. */
  async function verify(b: BuiltCluster, report: SyncReport, signal?: AbortSignal): Promise<void> {
    const read = await retried(() => options.configClient.get(b.clusterId, signal), signal);
    if (isOk(read) && parseCortexBody(read.body).alertmanager_config === b.configYaml) {
      patch(b.clusterId, 'model', { stored: true, hash: b.hash, desiredHash: b.hash });
      return confirm(b.clusterId, 'model', b.hash, report, signal);
    }
    if (!isOk(read) && !(read.kind === 'response' && read.status === 404))
      return fail(b.clusterId, 'model', `read: ${describeAnswer(read)}`, report);
    return store(b, 'model', report, signal);
  }

  async function remove(id: string, report: SyncReport, signal?: AbortSignal): Promise<void> {
    const a = await retried(() => options.configClient.delete(id, signal), signal);
    if (!isOk(a)) return fail(id, 'model', `delete: ${describeAnswer(a)}`, report);
    statuses.delete(id);
    report.deleted.push(id);
  }

  let ledgerLoaded = false;
  let ledgerSaved = '';
  /** Clusters an earlier run stored and this one has not seen yet count as stored (so: deletable). */
  async function loadLedger(): Promise<void> {
    if (ledgerLoaded || !options.ledger) return;
    const ids = await options.ledger.load();
    ledgerLoaded = true;
    ledgerSaved = JSON.stringify([...ids].sort());
    for (const id of ids)
      if (!statuses.has(id)) statuses.set(id, { clusterId: id, source: 'model', stored: true, applied: false });
  }
  async function saveLedger(): Promise<void> {
    if (!options.ledger) return;
    const ids = [...statuses.values()]
      .filter((s) => s.source === 'model' && s.stored)
      .map((s) => s.clusterId)
      .sort();
    const text = JSON.stringify(ids);
    if (text === ledgerSaved) return;
    await options.ledger.save(ids);
    ledgerSaved = text;
  }

  async function reconcileNow(full: boolean, signal?: AbortSignal): Promise<SyncReport> {
    await loadLedger();
    const report: SyncReport = { full, posted: [], deleted: [], applied: [], failed: [] };
    const plan = planSync(desired, statuses, full);
    const work: (() => Promise<void>)[] = [
      ...plan.post.map((id) => () => store(desired.get(id) as BuiltCluster, 'model', report, signal)),
      ...plan.verify.map((id) => () => verify(desired.get(id) as BuiltCluster, report, signal)),
      ...plan.confirm.map((id) => () => confirm(id, 'model', desired.get(id)?.hash ?? '', report, signal)),
      ...plan.remove.map((id) => () => remove(id, report, signal)),
    ];
    if (full) {
      for (const s of statuses.values())
        if (s.source === 'default') work.push(() => ensureDefault(s.clusterId, report, signal));
    }
    await forEachLimited(work, concurrency, async (w) => {
      try {
        await w();
      } catch (e) {
        log.error({ err: e }, 'alerting sync step failed');
      }
    });
    try {
      await saveLedger();
    } catch (e) {
      log.warn({ err: e }, 'alerting sync state not saved');
    }
    log.debug({ ...report, failed: report.failed.length }, 'alerting reconcile done');
    return report;
  }

  async function ensureDefault(tenant: string, report?: SyncReport, signal?: AbortSignal): Promise<void> {
    const read = await retried(() => options.configClient.get(tenant, signal), signal);
    if (isOk(read)) {
      const cfg = parseCortexBody(read.body).alertmanager_config;
      const mine = options.defaultConfig(tenant);
      patch(tenant, 'default', {
        stored: true,
        ...(cfg === mine.configYaml ? { hash: mine.hash, desiredHash: mine.hash } : {}),
      });
      if (cfg === mine.configYaml && !statuses.get(tenant)?.applied)
        await confirm(tenant, 'default', mine.hash, report, signal);
      return;
    }
    if (read.kind === 'response' && read.status === 404)
      return store(options.defaultConfig(tenant), 'default', report, signal);
    fail(tenant, 'default', `read: ${describeAnswer(read)}`, report);
  }

  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f, f);
    queue = p.catch(() => undefined);
    return p;
  };

  return {
    setDesired(configs) {
      desired = configs;
    },
    reconcile: (o = {}) => serial(() => reconcileNow(o.full ?? false, o.signal)),
    ensureTenant(tenant) {
      const problem = tenantIdProblem(tenant);
      if (problem)
        return Promise.reject(new AlertingError('alerting_bad_tenant', `tenant ${JSON.stringify(tenant)} ${problem}`));
      if (desired.has(tenant) || statuses.get(tenant)?.stored) return Promise.resolve();
      const inflight = ensuring.get(tenant);
      if (inflight) return inflight;
      const p = ensureDefault(tenant).finally(() => ensuring.delete(tenant));
      ensuring.set(tenant, p);
      return p;
    },
    status: () => [...statuses.values()].sort((a, b) => (a.clusterId < b.clusterId ? -1 : 1)),
    wake: () => wakeUp?.(),
    async run(signal, o) {
      let lastFull: number | undefined;
      while (!signal.aborted) {
        const full = lastFull === undefined || clock() - lastFull >= o.resyncIntervalMs;
        if (full) lastFull = clock();
        try {
          await serial(() => reconcileNow(full, signal));
        } catch (e) {
          log.error({ err: e }, 'alerting reconcile failed');
        }
        if (signal.aborted) break;
        const local = new AbortController();
        wakeUp = () => local.abort();
        const onAbort = (): void => local.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        await sleep(o.intervalMs, local.signal);
        signal.removeEventListener('abort', onAbort);
        wakeUp = undefined;
      }
    },
  };
}
