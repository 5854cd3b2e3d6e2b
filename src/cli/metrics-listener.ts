import { createServer, type Server } from 'node:http';
import type { Logger } from '../logger.js';

/**
 * cortex-tenant's `listen_metrics_address`: a second, minimal listener that serves only
 * `/metrics`. A busy port is logged, not fatal: the main listener serves `/metrics` too.
 */
export async function startMetricsListener(
  address: string,
  render: () => Promise<{ contentType: string; text: string }>,
  logger: Logger,
): Promise<Server | undefined> {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address.trim());
  if (!m) {
    logger.warn({ listen_metrics_address: address }, 'listen_metrics_address is not host:port; not serving it');
    return undefined;
  }
  const host = m[1] ?? m[2] ?? '';
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: this listener serves GET /metrics\n');
      return;
    }
    render().then(
      ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${e.message}\n`),
    );
  });
  return new Promise((resolve) => {
    server.once('error', (e: Error) => {
      logger.warn(
        { listen_metrics_address: address, err: e.message },
        'cannot listen on listen_metrics_address; /metrics stays on the main listener',
      );
      resolve(undefined);
    });
    server.listen(Number(m[3]), host === '' ? '0.0.0.0' : host, () => {
      logger.info({ listen_metrics_address: address }, 'serving /metrics');
      resolve(server);
    });
  });
}
