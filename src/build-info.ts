import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { activeSnappyBackend, napiSnappyLoadError, type SnappyBackendName } from './wire/snappy.js';
import { VERSION } from './version.js';

/**
 * What this process runs with: `tenantwire_build_info{version, node_version, snappy_backend} 1`
 * on /metrics, and a warning at start when snappy runs on the portable fallback (the napi
 * `snappy` package, an optional dependency, did not load), which decompresses about 5x slower.
 */
export interface BuildInfo {
  readonly version: string;
  readonly nodeVersion: string;
  readonly snappyBackend: SnappyBackendName;
}

export const currentBuildInfo = (): BuildInfo => ({
  version: VERSION,
  nodeVersion: process.version,
  snappyBackend: activeSnappyBackend(),
});

/** Registers `tenantwire_build_info` on `registry`, set to 1 with this process's labels. */
export function registerBuildInfo(registry: Registry, info: BuildInfo = currentBuildInfo()): void {
  const gauge = new Gauge({
    name: 'tenantwire_build_info',
    help:
      'Always 1; the labels say which tenantwire, Node.js and snappy backend (napi, or js: the portable ' +
      'fallback) this process runs.',
    labelNames: ['version', 'node_version', 'snappy_backend'],
    registers: [registry],
    // Cluster mode: every worker reports the same series; summed it would read 2, 3, ...
    aggregator: 'max',
  });
  gauge.set({ version: info.version, node_version: info.nodeVersion, snappy_backend: info.snappyBackend }, 1);
  // 1 per process; summed over the workers of a cluster, it is how many are serving.
  new Gauge({
    name: 'tenantwire_workers',
    help: 'Processes serving: 1 per process, summed over the workers of a cluster (workers > 1).',
    registers: [registry],
    aggregator: 'sum',
  }).set(1);
}

/** The warning for the portable snappy fallback; undefined when the napi backend is active. */
export function snappyFallbackWarning(backend: SnappyBackendName, loadError: string | undefined): string | undefined {
  if (backend === 'napi') return undefined;
  return (
    'snappy runs on the portable JavaScript fallback, about 5x slower than the native `snappy` package: ' +
    `the optional dependency \`snappy\` did not load${loadError ? ` (${loadError})` : ''}. ` +
    'Install it for this platform (`npm install snappy`, without --omit=optional or --no-optional) and restart.'
  );
}

/** Logs the fallback warning when it applies (call once at start). */
export function warnIfSnappyFallback(logger: Logger): void {
  const warning = snappyFallbackWarning(activeSnappyBackend(), napiSnappyLoadError);
  if (warning) logger.warn({ snappy_backend: activeSnappyBackend() }, warning);
}

/** For a host with a registry of its own (the pipeline): build info on it, and the warning. */
export function announceBuild(registry: Registry, logger: Logger): void {
  registerBuildInfo(registry);
  warnIfSnappyFallback(logger);
}
