import type { Logger } from '../logger.js';

/**
 * SIGHUP for the drop-in. Node's default for it is to exit at once (code 129, nothing logged),
 * so a `systemctl reload`, a supervisor's "reload" or a closed terminal used to stop the proxy
 * silently, dropping the requests in flight. A cortex-tenant config is read once at start: the
 * process says so and keeps serving; what it reads again is the ingress secret files and the
 * `limits` block (serve-proxy-worker.ts). Cluster workers do not log it (their primary forwards it and logs it once).
 */
export function keepServingOnHangup(logger: Logger, options: { readonly quiet: boolean }): () => void {
  const onHangup = () => {
    if (options.quiet) return;
    logger.warn(
      'SIGHUP: a cortex-tenant config is read only at start (restart the process to apply a change); ' +
        'the auth.ingress secret files and the limits block are read again',
    );
  };
  process.on('SIGHUP', onHangup);
  return () => process.off('SIGHUP', onHangup);
}
