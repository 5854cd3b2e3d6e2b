/**
 * Embedding prometheus.remote_write in your own program.
 *
 *   node --import tsx examples/embed-host.ts [http://127.0.0.1:9090/api/v1/write]
 *
 * Without a URL it starts a tiny loopback sink (node:http on 127.0.0.1, any port) that counts
 * the requests per tenant, so it runs standalone.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createRemoteWrite } from '../src/component/remote-write/component.js';
import { createLogger } from '../src/logger.js';
import { STALE_NAN_BITS, type TimeSeries } from '../src/wire/types.js';

async function startSink(): Promise<{ url: string; seen: Map<string, number>; close(): Promise<void> }> {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const tenant = String(req.headers['x-scope-orgid'] ?? '(none)');
    req.resume();
    req.on('end', () => {
      seen.set(tenant, (seen.get(tenant) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/push`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function series(tenant: string, name: string, value: number, timestamp: number): TimeSeries {
  return {
    labels: [
      { name: '__name__', value: name },
      { name: 'instance', value: 'embed' },
      { name: 'tenant', value: tenant },
    ],
    samples: [{ value, timestamp }],
    exemplars: [],
    histograms: [],
  };
}

async function main(): Promise<void> {
  const sink = process.argv[2] ? undefined : await startSink();
  const url = process.argv[2] ?? sink!.url;
  const registry = new Registry();
  const remoteWrite = createRemoteWrite(
    {
      endpoint: [{ url, tenant: { label: 'tenant', default: 'anonymous', label_remove: true } }],
      queue_config: { max_samples_per_send: 500, batch_send_deadline: '200ms' },
    },
    { logger: createLogger('warn'), registry },
  );
  const stop = new AbortController();
  const running = remoteWrite.run(stop.signal);

  const now = Date.now();
  for (let i = 0; i < 10; i++) {
    await remoteWrite.exports.receiver.append([
      series('team-a', 'embed_requests_total', i, now - (10 - i) * 1000),
      series('team-b', 'embed_requests_total', i * 2, now - (10 - i) * 1000),
    ]);
  }
  // A stale marker: the series ended (the NaN's exact bits are what Prometheus recognises).
  await remoteWrite.exports.receiver.append([
    {
      ...series('team-b', 'embed_requests_total', Number.NaN, now),
      samples: [{ value: Number.NaN, valueBits: STALE_NAN_BITS, timestamp: now }],
    },
  ]);

  stop.abort(); // flushes what is queued, then resolves
  await running;
  const sent = (await registry.getSingleMetric('prometheus_remote_storage_samples_total')?.get())?.values ?? [];
  for (const v of sent)
    console.log(`sent ${v.value} samples to tenant ${String(v.labels.tenant)} at ${String(v.labels.url)}`);
  if (sink) {
    console.log('requests seen by the sink per tenant:', Object.fromEntries(sink.seen));
    await sink.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
