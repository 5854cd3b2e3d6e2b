import { readFile } from 'node:fs/promises';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createDefaultRegistry } from '../component/default-registry.js';
import { createHost, type Host } from '../component/host.js';
import type { Logger } from '../logger.js';
import { flushDeadlineFrom, STOP_SLACK_MS } from './flush-deadline.js';
import { announceBuild } from '../build-info.js';
import { watchFile } from './watch-file.js';

/** The component kinds a pipeline file may use, sharing one metrics registry. */
export function createPipelineHost(
  logger: Logger,
  metrics: Registry,
  options: { flushDeadlineMs?: number; onCrash?: (id: string, reason: string) => void } = {},
): Host {
  const remoteWrite = options.flushDeadlineMs === undefined ? {} : { flushDeadlineMs: options.flushDeadlineMs };
  return createHost({
    registry: createDefaultRegistry({ metrics, remoteWrite }),
    logger,
    ...(options.onCrash ? { onCrash: options.onCrash } : {}),
  });
}

/**
 * `tenantwire --config pipeline.yaml`: load the pipeline, run it until SIGTERM/SIGINT, re-apply
 * the file on SIGHUP (and on change with `watch`). A file that does not validate on reload is
 * logged and the running pipeline is kept.
 */
export async function servePipeline(
  text: string,
  path: string,
  logger: Logger,
  options: { watch?: boolean } = {},
): Promise<number> {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  announceBuild(metrics, logger);
  const flushDeadlineMs = flushDeadlineFrom(process.env);
  // A component that fails (a receive_http whose port is taken) stops the whole pipeline with
  // exit 1 and the reason on stderr: a process that keeps running without its listener looks
  // alive to its supervisor while every sender gets connection refused.
  let exitCode = 0;
  const onCrash = (id: string, reason: string) => {
    if (controller.signal.aborted) return;
    exitCode = 1;
    process.stderr.write(`tenantwire: ${id}: ${reason}; stopping the pipeline\n`);
    logger.error({ component: id, reason }, 'a component failed: stopping the pipeline');
    stop('a component failed');
  };
  const controller = new AbortController();
  const host = createPipelineHost(logger, metrics, { flushDeadlineMs, onCrash });
  await host.reload(text);
  logger.info({ config: path, components: host.ids() }, 'pipeline loaded');

  const reload = (why: string) => {
    readFile(path, 'utf8')
      .then((next) => host.reload(next))
      .then(
        () => logger.info({ config: path, why, components: host.ids() }, 'pipeline reloaded'),
        (e: Error) =>
          logger.error({ config: path, why, err: e.message }, 'reload refused; the running pipeline is kept'),
      );
  };
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  // Shutdown: receive_http stops first (in-flight requests get read_timeout + 1 s; new ones are
  // refused), then every queue sends what it holds for at most the flush deadline; what is
  // still queued then is dropped, counted in prometheus_remote_storage_samples_failed_total and
  // logged. Should anything hang past that, the process still ends (exit 1, logged).
  function stop(signal: string): void {
    if (controller.signal.aborted) return;
    logger.info({ signal, flush_deadline_ms: flushDeadlineMs }, 'stopping the pipeline');
    controller.abort();
    setTimeout(() => {
      logger.error({ waited_ms: flushDeadlineMs + STOP_SLACK_MS }, 'the pipeline did not stop in time; exiting');
      process.exit(1);
    }, flushDeadlineMs + STOP_SLACK_MS).unref();
  }
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  if (options.watch) {
    // `initial`: a change made between the first read and the watch starting still fires.
    const watchErrors = (e: Error) => logger.warn({ config: path, err: e.message }, 'watching the config file');
    watchFile(path, controller.signal, () => reload('file changed'), { initial: text, onError: watchErrors }).catch(
      watchErrors,
    );
  }

  await host.run(controller.signal);
  process.off('SIGHUP', onHup);
  logger.info('pipeline stopped');
  return exitCode;
}
