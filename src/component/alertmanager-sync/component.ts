/**
 * `alerting.cortex_sync`: watches the alerting model file, rebuilds the clusters a change
 * touches, and keeps Cortex's per-tenant Alertmanager configs in step through the syncer.
 * Exports one immutable object for its whole life: `ensureTenant` (for the remote-write side),
 * `status`.
 */
import { readFile, stat } from 'node:fs/promises';
import { createAlertmanagerApi } from '../../alerting/alertmanager-api.js';
import { buildDefaultConfig } from '../../alerting/build-cluster.js';
import { createCortexConfigClient } from '../../alerting/cortex-config-client.js';
import { createIncrementalBuilder } from '../../alerting/incremental-builder.js';
import type { IncrementalBuilder } from '../../alerting/incremental-builder.js';
import { parseAlertingModel } from '../../alerting/model.js';
import type { FetchLike } from '../../alerting/http-call.js';
import type { ClusterSyncStatus } from '../../alerting/sync-plan.js';
import { createAlertingSyncer } from '../../alerting/syncer.js';
import { createFileSyncLedger } from '../../alerting/sync-ledger.js';
import type { AlertingSyncer } from '../../alerting/syncer.js';
import { ConfigError } from '../../errors.js';
import { realSleep } from '../../transport/sleep.js';
import { configErrorFromZodSummary } from '../../zod-errors.js';
import type { Component, ComponentHealth, ComponentOptions } from '../types.js';
import { alertingCortexSyncArgsSchema } from './arguments.js';
import type { AlertingCortexSyncArgs } from './arguments.js';

export interface AlertingCortexSyncExports {
  /** Gives a tenant seen by remote-write a default config when Cortex has none. */
  readonly ensureTenant: (tenant: string) => Promise<void>;
  readonly status: () => ClusterSyncStatus[];
}

interface Wiring {
  readonly args: AlertingCortexSyncArgs;
  readonly syncer: AlertingSyncer;
  readonly builder: IncrementalBuilder;
  mtimeMs: number;
}

export function createAlertingCortexSync(
  options: ComponentOptions<AlertingCortexSyncExports>,
  deps: { fetch?: FetchLike } = {},
): Component<AlertingCortexSyncArgs, AlertingCortexSyncExports> {
  let wiring: Wiring | undefined;
  let health: ComponentHealth = { state: 'unknown', message: 'not started' };
  let running: AbortController | undefined;
  const log = options.logger;

  async function loadInto(w: Wiring): Promise<void> {
    const text = await readFile(w.args.model_file, 'utf8');
    const delta = w.builder.load(parseAlertingModel(text));
    w.syncer.setDesired(w.builder.all());
    log.info(
      { rebuilt: delta.rebuilt, changed: delta.changed.length, removed: delta.removed.length },
      'alerting model loaded',
    );
  }

  async function wire(args: AlertingCortexSyncArgs): Promise<Wiring> {
    const builder = createIncrementalBuilder();
    let defaultHook = '';
    const syncer = createAlertingSyncer({
      configClient: createCortexConfigClient({
        baseUrl: args.cortex_url,
        fetch: deps.fetch,
        timeoutMs: args.request_timeout,
        headers: args.headers,
      }),
      api: createAlertmanagerApi({
        mode: 'cortex',
        baseUrl: args.cortex_url,
        prefix: args.alertmanager_prefix,
        fetch: deps.fetch,
        timeoutMs: args.request_timeout,
        headers: args.headers,
      }),
      defaultConfig: (t) => buildDefaultConfig(t, defaultHook),
      ...(args.state_file !== undefined ? { ledger: createFileSyncLedger(args.state_file) } : {}),
      concurrency: args.concurrency,
      retry: { attempts: args.retry.attempts, baseDelayMs: args.retry.base_delay, maxDelayMs: args.retry.max_delay },
      logger: log,
    });
    const w: Wiring = { args, syncer, builder, mtimeMs: (await stat(args.model_file)).mtimeMs };
    await loadInto(w);
    defaultHook = builder.model().default_hook;
    return w;
  }

  async function watch(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await realSleep(wiring?.args.watch_interval ?? 1_000, signal);
      const w = wiring;
      if (!w || signal.aborted) continue;
      try {
        const m = (await stat(w.args.model_file)).mtimeMs;
        if (m === w.mtimeMs) continue;
        w.mtimeMs = m;
        await loadInto(w);
        health = { state: 'healthy', message: 'model reloaded' };
        w.syncer.wake();
      } catch (e) {
        health = {
          state: 'unhealthy',
          message: `model not reloaded, keeping the last good one: ${(e as Error).message}`,
        };
        log.error({ err: e }, 'alerting model reload failed');
      }
    }
  }

  const exports: AlertingCortexSyncExports = Object.freeze({
    ensureTenant: (tenant: string) =>
      wiring
        ? wiring.syncer.ensureTenant(tenant)
        : Promise.reject(new ConfigError('component_not_ready', 'alerting.cortex_sync has no arguments yet')),
    status: () => wiring?.syncer.status() ?? [],
  });

  return {
    exports,
    health: () => health,
    async update(raw) {
      const r = alertingCortexSyncArgsSchema.safeParse(raw);
      if (!r.success)
        throw configErrorFromZodSummary('component_arguments_invalid', `${options.id}: invalid arguments`, r.error);
      wiring = await wire(r.data); // throws (keeping the old wiring) when the model is invalid
      health = { state: 'healthy', message: 'model loaded' };
      running?.abort(); // restart the loop on the new wiring
      options.onStateChange(exports);
    },
    async run(signal) {
      const watcher = watch(signal);
      while (!signal.aborted) {
        const current = new AbortController();
        running = current;
        const stop = (): void => current.abort();
        signal.addEventListener('abort', stop, { once: true });
        const w = wiring;
        if (w)
          await w.syncer.run(current.signal, {
            intervalMs: w.args.sync_interval,
            resyncIntervalMs: w.args.resync_interval,
          });
        else await realSleep(1_000, current.signal);
        signal.removeEventListener('abort', stop);
      }
      await watcher;
    },
  };
}
