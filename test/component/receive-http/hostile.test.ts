/**
 * prometheus.receive_http decodes whole requests into objects for the pipeline, so it is the
 * path most exposed to hostile bodies: 1,500 corrupted 1.0 and 2.0 bodies over real HTTP into a
 * receive_http -> remote_write pipeline answer 204 or 400 with a message, never 500, and the
 * component keeps serving.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../../src/component/default-registry.js';
import { createHost, type Host } from '../../../src/component/host.js';
import { createSilentLogger } from '../../../src/logger.js';
import { v1ToV2 } from '../../../src/wire/convert.js';
import { encodeWriteRequest } from '../../../src/wire/encode-v1.js';
import { encodeRequestV2 } from '../../../src/wire/encode-v2.js';
import { snappyCompress } from '../../../src/wire/snappy.js';
import { eventually } from '../../helpers/eventually.js';
import { recordingTransport } from '../remote-write/recording-transport.js';

let host: Host;
const controller = new AbortController();
let running: Promise<void>;
let address = '';

beforeAll(async () => {
  const { transport } = recordingTransport();
  host = createHost({
    registry: createDefaultRegistry({ metrics: new Registry(), remoteWrite: { transport } }),
    logger: createSilentLogger(),
  });
  await host.reload(`
prometheus.receive_http:
  in:
    listen: 127.0.0.1:0
    forward_to: [prometheus.remote_write.out.receiver]
prometheus.remote_write:
  out:
    endpoint:
      - url: http://127.0.0.1:9/push
        tenant: { label: tenant, default: fallback }
    queue_config: { batch_send_deadline: 50ms }
`);
  running = host.run(controller.signal);
  address = await eventually(
    () => (host.exports('prometheus.receive_http.in')?.address as string | undefined) || false,
    {
      timeoutMs: 10_000,
      message: 'prometheus.receive_http.in to listen',
    },
  );
});
afterAll(async () => {
  controller.abort();
  await running;
});

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const request = {
  timeseries: Array.from({ length: 10 }, (_, i) => ({
    labels: [
      { name: '__name__', value: `m${i}` },
      { name: 'tenant', value: `t${i % 2}` },
    ],
    samples: [{ value: i, timestamp: 1_700_000_000_000 + i }],
    exemplars: [],
    histograms: [],
  })),
  metadata: [],
};
const bodies = { '1.0': encodeWriteRequest(request), '2.0': encodeRequestV2(v1ToV2(request)) };

describe('receive_http under hostile bodies', () => {
  it('answers 204 or 400, never 500, and keeps serving', async () => {
    const rnd = prng(11);
    const counts: Record<number, number> = {};
    for (let i = 0; i < 1_500; i++) {
      const version = rnd() < 0.4 ? '2.0' : '1.0';
      const raw = bodies[version].slice();
      const cut = Math.floor(rnd() * raw.length);
      let mutated: Uint8Array;
      if (rnd() < 0.5) mutated = raw.subarray(0, cut);
      else {
        raw[cut]! ^= 1 << Math.floor(rnd() * 8);
        mutated = raw;
      }
      const r = await fetch(`http://${address}/api/v1/write`, {
        method: 'POST',
        headers: {
          'content-encoding': 'snappy',
          'content-type':
            version === '2.0'
              ? 'application/x-protobuf;proto=io.prometheus.write.v2.Request'
              : 'application/x-protobuf',
        },
        body: snappyCompress(mutated),
      });
      const text = await r.text();
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      expect([204, 400], `request ${i}: ${r.status} ${text}`).toContain(r.status);
      if (r.status === 400) expect(text.length).toBeGreaterThan(5);
    }
    expect(counts[400]).toBeGreaterThan(300);
    expect((await fetch(`http://${address}/alive`)).status).toBe(200);
  }, 120_000);
});
