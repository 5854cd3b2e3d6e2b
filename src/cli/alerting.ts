/**
 * `tenantwire alerting render --model FILE --out DIR` writes, per cluster id,
 * `DIR/<id>/alertmanager.yaml`, its template files beside it and `DIR/<id>/cortex-body.yaml`.
 * `tenantwire alerting sync --model FILE --cortex URL [--once] [--prefix P] [--state FILE]`
 * reconciles Cortex once (exit 1 when a cluster failed) or until SIGINT/SIGTERM.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAlertmanagerApi, DEFAULT_CORTEX_PREFIX } from '../alerting/alertmanager-api.js';
import { buildDefaultConfig, cortexBodyYaml } from '../alerting/build-cluster.js';
import { createCortexConfigClient } from '../alerting/cortex-config-client.js';
import { createIncrementalBuilder } from '../alerting/incremental-builder.js';
import { parseAlertingModel } from '../alerting/model.js';
import type { AlertingModel } from '../alerting/model.js';
import { createAlertingSyncer } from '../alerting/syncer.js';
import { createFileSyncLedger } from '../alerting/sync-ledger.js';
import { isTenantwireError } from '../errors.js';
import { parseFlags, required } from './alerting-args.js';

export interface AlertingCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const USAGE = `usage:
  tenantwire alerting render --model FILE --out DIR
  tenantwire alerting sync --model FILE --cortex URL [--once] [--prefix P] [--interval MS] [--resync-interval MS]
                          [--state FILE]   remember the clusters stored, so that ones removed from
                                           the model while sync was down are deleted on the next start
`;

async function loadModel(path: string): Promise<AlertingModel> {
  return parseAlertingModel(await readFile(path, 'utf8'));
}

async function render(args: string[], io: AlertingCliIo): Promise<number> {
  const flags = parseFlags(args, ['model', 'out'], []);
  const out = required(flags, 'out');
  const builder = createIncrementalBuilder();
  builder.load(await loadModel(required(flags, 'model')));
  for (const [id, b] of [...builder.all()].sort(([a], [c]) => (a < c ? -1 : 1))) {
    const dir = join(out, id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'alertmanager.yaml'), b.configYaml);
    for (const [name, text] of Object.entries(b.templateFiles)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, 'cortex-body.yaml'), cortexBodyYaml(b));
    io.stdout.write(`${id} ${b.hash}\n`);
  }
  return 0;
}

async function sync(args: string[], io: AlertingCliIo): Promise<number> {
  const flags = parseFlags(args, ['model', 'cortex', 'prefix', 'interval', 'resync-interval', 'state'], ['once']);
  const model = await loadModel(required(flags, 'model'));
  const cortex = required(flags, 'cortex');
  const builder = createIncrementalBuilder();
  builder.load(model);
  const syncer = createAlertingSyncer({
    configClient: createCortexConfigClient({ baseUrl: cortex }),
    api: createAlertmanagerApi({ mode: 'cortex', baseUrl: cortex, prefix: flags.values.get('prefix') ?? DEFAULT_CORTEX_PREFIX }),
    defaultConfig: (t) => buildDefaultConfig(t, model.default_hook),
    ...(flags.values.has('state') ? { ledger: createFileSyncLedger(required(flags, 'state')) } : {}),
  });
  syncer.setDesired(builder.all());
  if (flags.booleans.has('once')) {
    const report = await syncer.reconcile({ full: true });
    io.stdout.write(`${JSON.stringify({ report, status: syncer.status() }, null, 2)}\n`);
    return report.failed.length > 0 ? 1 : 0;
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await syncer.run(stop.signal, {
      intervalMs: Number(flags.values.get('interval') ?? 30_000),
      resyncIntervalMs: Number(flags.values.get('resync-interval') ?? 600_000),
    });
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
    if (command === undefined || command === '--help' || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    io.stderr.write(`tenantwire alerting: unknown command ${JSON.stringify(command)}\n${USAGE}`);
    return 2;
  } catch (e) {
    if (isTenantwireError(e)) {
      io.stderr.write(`tenantwire alerting: ${e.message}\n`);
      return 2;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr.write(`tenantwire alerting: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}
