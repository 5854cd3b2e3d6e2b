import { readFile } from 'node:fs/promises';
import cluster from 'node:cluster';
import {
  cortexTenantConfigFromDocument,
  embeddedDefaultConfig,
  looksLikeCortexTenantConfig,
  redactConfig,
  type CortexTenantConfig,
} from '../config/cortex-tenant.js';
import { parseYaml } from '../config/yaml-source.js';
import { isTenantwireError } from '../errors.js';
import { createLogger, type Logger, type LogLevel } from '../logger.js';
import { runPrimary } from './cluster.js';
import { VERSION } from '../version.js';

const USAGE = `usage:
  tenantwire                          run the embedded default: listen on 127.0.0.1:8080 and
                                      split into ./data/<tenant>/ (read it with \`tenantwire inspect\`)
  tenantwire --config FILE            run a cortex-tenant config file, or a pipeline file
             [--log-level LEVEL]      override log_level (error, warn, info, debug)
             [--watch]                pipeline files: re-apply the file when it changes (SIGHUP always does)
  tenantwire inspect FILE|- [--json] [--tenant-label NAME]
  tenantwire alerting render --model FILE --out DIR
  tenantwire alerting sync --model FILE --cortex URL [--once] [--prefix /alertmanager]
  tenantwire --help | --version
`;

const io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: async (path: string) => new Uint8Array(await readFile(path)),
};

/** Dispatches argv; resolves with the exit code. Errors with a code print their message only. */
export async function runCli(args: string[]): Promise<number> {
  try {
    return await dispatch(args);
  } catch (error) {
    if (isTenantwireError(error)) {
      process.stderr.write(`tenantwire: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function dispatch(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`tenantwire ${VERSION}\n`);
    return 0;
  }
  // Commands load what they need when they run (a cluster primary loads none of the proxy).
  if (first === 'inspect') return (await import('./inspect.js')).runInspect(rest, io);
  if (first === 'alerting') return (await import('./alerting.js')).runAlertingCli(rest, { stdout: process.stdout, stderr: process.stderr });

  let configPath: string | undefined;
  let logLevel: string | undefined;
  let watchConfig = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--config' || a === '-config' || a === '--config.file') configPath = value();
    else if (a?.startsWith('--config=')) configPath = a.slice('--config='.length);
    else if (a === '--log-level') logLevel = value();
    else if (a === '--watch') watchConfig = true;
    else throw new Error(`unknown argument ${JSON.stringify(a)}\n${USAGE}`);
  }

  if (configPath === undefined) {
    const config = embeddedDefaultConfig();
    return serveCortexTenant(config, loggerFor(logLevel ?? 'info'));
  }
  const text = await readFile(configPath, 'utf8').catch((e: Error) => {
    throw new Error(`cannot read ${configPath}: ${e.message}`);
  });
  const doc = parseYaml({ text, name: configPath });
  if (looksLikeCortexTenantConfig(doc) || doc === null || doc === undefined) {
    const config: CortexTenantConfig = cortexTenantConfigFromDocument(doc, { text, name: configPath });
    return serveCortexTenant(config, loggerFor(logLevel ?? config.logLevel));
  }
  const { servePipeline } = await import('./serve-pipeline.js');
  return servePipeline(text, configPath, loggerFor(logLevel ?? 'info'), { watch: watchConfig });
}

function loggerFor(level: string) {
  const known: Record<string, LogLevel> = { error: 'error', fatal: 'error', warn: 'warn', warning: 'warn', info: 'info', debug: 'debug', trace: 'debug' };
  const logger = createLogger(known[level] ?? 'info');
  return cluster.isWorker ? logger.child({ worker: cluster.worker?.id }) : logger;
}

/**
 * `tenantwire --config cortex-tenant.yml`: the drop-in proxy. With `workers` > 1 the primary
 * forks that many processes sharing the port, each running the whole proxy; the primary only
 * forks, forwards signals and aggregates metrics, so it never loads the proxy's modules (about
 * 35 MiB less memory than a worker).
 */
async function serveCortexTenant(config: CortexTenantConfig, logger: Logger): Promise<number> {
  if (cluster.isPrimary) logger.info({ config: redactConfig(config) }, 'effective configuration');
  if (config.workers > 1 && cluster.isPrimary) {
    logger.info({ workers: config.workers, listen: config.listen }, 'starting workers');
    return runPrimary({
      workers: config.workers,
      logger,
      drainTimeoutMs: config.timeoutShutdownMs + config.timeoutMs,
      metricsAddress: config.listenMetricsAddress,
    });
  }
  const { serveProxyWorker } = await import('./serve-proxy-worker.js');
  return serveProxyWorker(config, logger);
}
