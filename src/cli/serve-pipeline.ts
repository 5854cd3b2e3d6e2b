import { readFile } from 'node:fs/promises';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createDefaultRegistry } from '../component/default-registry.js';
import { createHost, type Host } from '../component/host.js';
import type { Logger } from '../logger.js';
import { watchFile } from './watch-file.js';

/** The component kinds a pipeline file may use, sharing one metrics registry. */
export function createPipelineHost(logger: Logger, metrics: Registry): Host {
  return createHost({ registry: createDefaultRegistry({ metrics }), logger });
}

/**
 * `tenantwire --config pipeline.yaml`: load the pipeline, run it until SIGTERM/SIGINT, re-apply
 * the file on SIGHUP (and on change with `watch`). A file that does not validate on reload is
 * logged and the running pipeline is kept.
 */
export async function servePipeline(text: string, path: string, logger: Logger, options: { watch?: boolean } = {}): Promise<number> {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const host = createPipelineHost(logger, metrics);
  await host.reload(text);
  logger.info({ config: path, components: host.ids() }, 'pipeline loaded');

  const controller = new AbortController();
  const reload = (why: string) => {
    readFile(path, 'utf8')
      .then((next) => host.reload(next))
      .then(
        () => logger.info({ config: path, why, components: host.ids() }, 'pipeline reloaded'),
        (e: Error) => logger.error({ config: path, why, err: e.message }, 'reload refused; the running pipeline is kept'),
      );
  };
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping the pipeline');
    controller.abort();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  if (options.watch) void watchFile(path, controller.signal, () => reload('file changed'));

  await host.run(controller.signal);
  process.off('SIGHUP', onHup);
  logger.info('pipeline stopped');
  return 0;
}
