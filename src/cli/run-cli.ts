import { readFile } from 'node:fs/promises';
import { shutdownDeadlineMs } from './shutdown-deadline.js';
import cluster from 'node:cluster';
import {
  cortexTenantConfigFromDocument,
  embeddedDefaultConfig,
  looksLikeCortexTenantConfig,
  type CortexTenantConfig,
} from '../config/cortex-tenant.js';
import { parseYaml } from '../config/yaml-source.js';
import { ConfigError, isTenantwireError } from '../errors.js';
import { createLogger, type Logger, type LogLevel } from '../logger.js';
import { VERSION } from '../version.js';
import { runPrimary } from './cluster.js';
import { keepServingOnHangup } from './hangup.js';
import { parseCommandLine, type CommandLine, type FlagSpec } from './command-line.js';
import { effectiveConfigDocument } from './effective-config.js';
import { logLevelFlag } from './flag-values.js';
import { describeStartupError } from './startup-error.js';
import { topLevelUsage } from './usage.js';

/** The flags of a run (no command); Go's single dash is accepted too, as cortex-tenant's `-config FILE`. */
const RUN_FLAGS: FlagSpec = { config: 'string', 'config.file': 'string', 'log-level': 'string', watch: 'boolean' };

const io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: async (path: string) => new Uint8Array(await readFile(path)),
};

/**
 * Dispatches argv; resolves with the exit code: 0, 2 for bad usage or a bad config, 1 for any
 * other failure to start (a busy port, an unreadable certificate). A failure to start is one
 * line on stderr, `tenantwire: <reason>`, plus the structured log line.
 */
export async function runCli(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  // Commands load what they need when they run (a cluster primary loads none of the proxy).
  if (first === 'inspect') return (await import('./inspect.js')).runInspect(rest, io);
  if (first === 'alerting') {
    return (await import('./alerting.js')).runAlertingCli(rest, {
      stdout: process.stdout,
      stderr: process.stderr,
      log: process.stderr,
    });
  }
  if (first === 'help') {
    process.stdout.write(topLevelUsage());
    return 0;
  }
  let line: CommandLine;
  let level: LogLevel | undefined;
  try {
    line = parseCommandLine(args, RUN_FLAGS, { goSingleDash: true });
    const flagLevel = line.values.get('log-level');
    level = flagLevel === undefined ? undefined : logLevelFlag(flagLevel);
  } catch (e) {
    if (!isTenantwireError(e)) throw e;
    process.stderr.write(`tenantwire: ${e.message}\n${topLevelUsage()}`);
    return 2;
  }
  if (line.help) {
    process.stdout.write(topLevelUsage());
    return 0;
  }
  if (line.version) {
    process.stdout.write(`tenantwire ${VERSION}\n`);
    return 0;
  }
  let logger: Logger | undefined;
  try {
    return await run(line, level, (l) => (logger = l));
  } catch (error) {
    const reason = describeStartupError(error);
    (logger ?? loggerFor(level ?? 'info')).error(
      { err: reason, ...(isTenantwireError(error) ? { code: error.code } : {}) },
      'failed to start',
    );
    // A cluster worker hands its reason to the primary, which prints the one line and stops the rest.
    if (cluster.isWorker) throw new Error(reason, { cause: error });
    process.stderr.write(`tenantwire: ${reason}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
}

async function run(line: CommandLine, level: LogLevel | undefined, use: (logger: Logger) => void): Promise<number> {
  const configPath = line.values.get('config') ?? line.values.get('config.file');
  // --watch re-applies pipeline files only; accepting it elsewhere would promise reloads that never happen.
  const watchRefused = (what: string) =>
    new ConfigError(
      'cli_usage',
      `--watch works with pipeline files only: ${what} is read once at start (restart to apply a change)`,
    );
  if (configPath === undefined) {
    if (line.flags.has('watch')) throw watchRefused('the embedded default');
    const config = embeddedDefaultConfig();
    return serveCortexTenant(config, useLogger(use, loggerFor(level ?? config.logLevel)));
  }
  const text = await readFile(configPath, 'utf8').catch((e: Error) => {
    throw new ConfigError('config_unreadable', `cannot read ${configPath}: ${e.message}`, { cause: e });
  });
  const doc = parseYaml({ text, name: configPath });
  if (looksLikeCortexTenantConfig(doc) || doc === null || doc === undefined) {
    if (line.flags.has('watch')) throw watchRefused(`${configPath}, a cortex-tenant config,`);
    const config: CortexTenantConfig = cortexTenantConfigFromDocument(doc, { text, name: configPath });
    return serveCortexTenant(config, useLogger(use, loggerFor(level ?? config.logLevel)));
  }
  const { servePipeline } = await import('./serve-pipeline.js');
  return servePipeline(text, configPath, useLogger(use, loggerFor(level ?? 'info')), {
    watch: line.flags.has('watch'),
  });
}

function useLogger(use: (logger: Logger) => void, logger: Logger): Logger {
  use(logger);
  return logger;
}

function loggerFor(level: LogLevel): Logger {
  const logger = createLogger(level);
  return cluster.isWorker ? logger.child({ worker: cluster.worker?.id }) : logger;
}

/**
 * `tenantwire --config cortex-tenant.yml`: the drop-in proxy. With `workers` > 1 the primary
 * forks that many processes sharing the port, each running the whole proxy; the primary only
 * forks, forwards signals and aggregates metrics, so it never loads the proxy's modules (about
 * 35 MiB less memory than a worker).
 */
async function serveCortexTenant(config: CortexTenantConfig, logger: Logger): Promise<number> {
  keepServingOnHangup(logger, { quiet: cluster.isWorker });
  if (cluster.isPrimary) {
    logger.info(
      { version: VERSION, source: config.source, config: effectiveConfigDocument(config) },
      'effective configuration',
    );
    logger.info(
      { workers: config.workers, ...workersBasis(config), listen: config.listen },
      config.workers > 1 ? 'starting workers' : 'serving in one process',
    );
  }
  if (config.workers > 1 && cluster.isPrimary) {
    return runPrimary({
      workers: config.workers,
      logger,
      drainTimeoutMs: shutdownDeadlineMs(config),
      ...(config.listenMetricsAddress !== undefined ? { metricsAddress: config.listenMetricsAddress } : {}),
    });
  }
  const { serveProxyWorker } = await import('./serve-proxy-worker.js');
  return serveProxyWorker(config, logger);
}

/** Why `workers` is what it is: set in the config, or the CPU quota or the cores available. */
function workersBasis(config: CortexTenantConfig): Record<string, unknown> {
  const from = config.workersFrom;
  if (typeof from === 'string') return { workers_from: from };
  return {
    workers_from: from.basis,
    cores: from.cores,
    ...(from.cpuQuota !== undefined ? { cpu_quota: from.cpuQuota } : {}),
  };
}
