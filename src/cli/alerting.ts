/**
 * `tenantwire alerting render --model FILE --out DIR` writes, per cluster id,
 * `DIR/<id>/alertmanager.yaml`, its template files beside it and `DIR/<id>/cortex-body.yaml`.
 * `tenantwire alerting sync --model FILE --cortex URL [--once] [--prefix P] [--state FILE]
 * [--interval 30s] [--resync-interval 10m] [--log-level info]` reconciles Cortex once (exit 1
 * when a cluster failed) or until SIGINT/SIGTERM, logging each reconcile (JSON lines on stderr).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAlertmanagerApi } from '../alerting/alertmanager-api.js';
import { buildDefaultConfig, cortexBodyYaml } from '../alerting/build-cluster.js';
import { createCortexConfigClient } from '../alerting/cortex-config-client.js';
import { createIncrementalBuilder } from '../alerting/incremental-builder.js';
import { parseAlertingModel } from '../alerting/model.js';
import type { AlertingModel } from '../alerting/model.js';
import { createAlertingSyncer } from '../alerting/syncer.js';
import { createFileSyncLedger } from '../alerting/sync-ledger.js';
import { formatGoDuration } from '../config/duration.js';
import { isTenantwireError } from '../errors.js';
import { createLogger } from '../logger.js';
import { VERSION } from '../version.js';
import { RENDER_FLAGS, renderArgs, SYNC_FLAGS, syncArgs } from './alerting-args.js';
import { logSyncReport, runSyncLoop } from './alerting-sync-loop.js';
import { parseCommandLine, type FlagSpec } from './command-line.js';

export interface AlertingCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Where `sync` writes its log lines. Default: process.stderr (stdout carries `--once`'s report). */
  readonly log?: NodeJS.WritableStream;
}

export const ALERTING_USAGE = `usage:
  tenantwire alerting render --model FILE --out DIR
  tenantwire alerting sync --model FILE --cortex URL [--once] [--prefix /alertmanager] [--state FILE]
                           [--interval 30s] [--resync-interval 10m] [--log-level info]
    --once              reconcile once, print the report as JSON, exit 1 when a cluster failed
    --state FILE        remember the clusters stored, so that ones removed from the model while
                        sync was down are deleted on the next start
    --interval D        time between reconciles (Go duration, at least 100ms; default 30s)
    --resync-interval D time between full resyncs that read every cluster back (default 10m)
    --log-level LEVEL   error, warn, info (default: each reconcile's outcome), debug, trace
`;

async function loadModel(path: string): Promise<AlertingModel> {
  return parseAlertingModel(await readFile(path, 'utf8'));
}

/** --help and --version of a subcommand; undefined when neither was asked. */
function helpOrVersion(args: readonly string[], spec: FlagSpec, io: AlertingCliIo): number | undefined {
  const line = parseCommandLine(args, spec);
  if (line.help) io.stdout.write(ALERTING_USAGE);
  else if (line.version) io.stdout.write(`tenantwire ${VERSION}\n`);
  else return undefined;
  return 0;
}

async function render(args: string[], io: AlertingCliIo): Promise<number> {
  const early = helpOrVersion(args, RENDER_FLAGS, io);
  if (early !== undefined) return early;
  const o = renderArgs(parseCommandLine(args, RENDER_FLAGS));
  const builder = createIncrementalBuilder();
  builder.load(await loadModel(o.model));
  for (const [id, b] of [...builder.all()].sort(([a], [c]) => (a < c ? -1 : 1))) {
    const dir = join(o.out, id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'alertmanager.yaml'), b.configYaml);
    for (const [name, text] of Object.entries(b.templateFiles)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, 'cortex-body.yaml'), cortexBodyYaml(b));
    io.stdout.write(`${id} ${b.hash}\n`);
  }
  return 0;
}

async function sync(args: string[], io: AlertingCliIo): Promise<number> {
  const early = helpOrVersion(args, SYNC_FLAGS, io);
  if (early !== undefined) return early;
  const o = syncArgs(parseCommandLine(args, SYNC_FLAGS));
  const logger = createLogger(o.logLevel, io.log ?? process.stderr);
  const model = await loadModel(o.model);
  const builder = createIncrementalBuilder();
  builder.load(model);
  const syncer = createAlertingSyncer({
    configClient: createCortexConfigClient({ baseUrl: o.cortex }),
    api: createAlertmanagerApi({ mode: 'cortex', baseUrl: o.cortex, prefix: o.prefix }),
    defaultConfig: (t) => buildDefaultConfig(t, model.default_hook),
    logger,
    ...(o.state !== undefined ? { ledger: createFileSyncLedger(o.state) } : {}),
  });
  syncer.setDesired(builder.all());
  logger.info(
    {
      version: VERSION,
      model: o.model,
      cortex: o.cortex,
      prefix: o.prefix,
      clusters: builder.all().size,
      once: o.once,
      interval: formatGoDuration(o.intervalMs),
      resync_interval: formatGoDuration(o.resyncIntervalMs),
      ...(o.state !== undefined ? { state: o.state } : {}),
    },
    'alerting sync starting',
  );
  if (o.once) {
    const report = await syncer.reconcile({ full: true });
    logSyncReport(logger, report);
    io.stdout.write(`${JSON.stringify({ report, status: syncer.status() }, null, 2)}\n`);
    return report.failed.length > 0 ? 1 : 0;
  }
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'alerting sync stopping');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runSyncLoop(syncer, stop.signal, { intervalMs: o.intervalMs, resyncIntervalMs: o.resyncIntervalMs, logger });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

export async function runAlertingCli(args: string[], io: AlertingCliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === 'render') return await render(rest, io);
    if (command === 'sync') return await sync(rest, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(ALERTING_USAGE);
      return 0;
    }
    if (command === '--version') {
      io.stdout.write(`tenantwire ${VERSION}\n`);
      return 0;
    }
    const problem =
      command === undefined ? 'missing command (render or sync)' : `unknown command ${JSON.stringify(command)}`;
    io.stderr.write(`tenantwire alerting: ${problem}\n${ALERTING_USAGE}`);
    return 2;
  } catch (e) {
    if (isTenantwireError(e)) {
      io.stderr.write(
        `tenantwire alerting${command ? ` ${command}` : ''}: ` +
          `${e.message}\n${e.code === 'cli_usage' ? ALERTING_USAGE : ''}`,
      );
      return 2;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr.write(`tenantwire alerting: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}
