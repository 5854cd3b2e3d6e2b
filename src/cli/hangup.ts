import type { Logger } from '../logger.js';

/**
 * SIGHUP for the drop-in. Node's default for it is to exit at once (code 129, nothing logged),
 * so a `systemctl reload`, a supervisor's "reload" or a closed terminal used to stop the proxy
 * silently, dropping the requests in flight. A cortex-tenant config is read once at start, so
 * there is nothing to re-apply: the process says so and keeps serving. Cluster workers ignore
 * it quietly (a signal to the process group reaches them too); their primary logs it once.
 */
export function keepServingOnHangup(logger: Logger, options: { readonly quiet: boolean }): () => void {
  const onHangup = () => {
    if (options.quiet) return;
    logger.warn('SIGHUP ignored: a cortex-tenant config is read only at start; restart the process to apply a change');
  };
  process.on('SIGHUP', onHangup);
  return () => process.off('SIGHUP', onHangup);
}
