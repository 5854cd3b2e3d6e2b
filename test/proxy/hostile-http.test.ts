/**
 * Hostile bodies through the real HTTP server: thousands of corrupted remote-write bodies (bit
 * flips, truncations, splices, random bytes, snappy and raw, 1.0 and 2.0 content types). Every
 * answer is a clear 4xx or a 204 for what still decodes; never a 500, never a dead server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { v1ToV2 } from '../../src/wire/convert.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { snappyCompress } from '../../src/wire/snappy.js';
import { STALE_NAN_BITS } from '../../src/wire/types.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { post, startProxy, type ProxyUnderTest } from './proxy-harness.js';
import { decodeBody, series } from '../helpers/series.js';

let upstream: RecordingUpstream;
let proxy: ProxyUnderTest;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  proxy = await startProxy({
    target: upstream.url,
    tenant: { label: 'tenant', default: 'fallback', label_remove: true },
  });
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

const counter = async (px: ProxyUnderTest, name: string) =>
  (await px.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const base = {
  timeseries: Array.from({ length: 20 }, (_, i) => ({
    ...series({ __name__: `m${i}`, tenant: `t${i % 3}`, job: 'j' }),
    samples: [
      {
        value: i % 5 === 0 ? Number.NaN : i,
        valueBits: i % 5 === 0 ? STALE_NAN_BITS : undefined,
        timestamp: 1_700_000_000_000 + i,
      },
    ],
  })),
  metadata: [{ type: 1 as const, metricFamilyName: 'm1', help: 'h', unit: '' }],
};
const rawV1 = encodeWriteRequest(base);
const rawV2 = encodeRequestV2(v1ToV2(base));

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = src.slice();
  switch (Math.floor(rnd() * 4)) {
    case 0:
      for (let i = 0; i < 1 + rnd() * 8; i++) b[Math.floor(rnd() * b.length)]! ^= 1 << Math.floor(rnd() * 8);
      return b;
    case 1:
      return b.subarray(0, Math.floor(rnd() * b.length));
    case 2: {
      const at = Math.floor(rnd() * b.length);
      const junk = Uint8Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256));
      const out = new Uint8Array(b.length + junk.length);
      out.set(b.subarray(0, at));
      out.set(junk, at);
      out.set(b.subarray(at), at + junk.length);
      return out;
    }
    default:
      return Uint8Array.from({ length: Math.floor(rnd() * 256) }, () => Math.floor(rnd() * 256));
  }
}

describe('hostile bodies over HTTP', () => {
  it('answers 2,000 corrupted requests with 204 or a 4xx naming the problem, and stays up', async () => {
    const rnd = prng(7);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2_000; i++) {
      const v2 = rnd() < 0.3;
      const raw = mutate(v2 ? rawV2 : rawV1, rnd);
      // Mostly corrupt the protobuf under valid snappy; sometimes corrupt the snappy itself.
      const body = rnd() < 0.7 ? snappyCompress(raw) : mutate(snappyCompress(v2 ? rawV2 : rawV1), rnd);
      const headers: Record<string, string> = v2
        ? { 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' }
        : {};
      const r = await post(proxy.url, body, headers);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status >= 400) expect(r.text.length, `status ${r.status} has a message`).toBeGreaterThan(5);
      expect([200, 204, 400], `request ${i}: ${r.status} ${r.text}`).toContain(r.status);
    }
    console.log('hostile http:', Object.fromEntries(statuses));
    expect(statuses.get(400)).toBeGreaterThan(500);
    const alive = await fetch(proxy.url.replace('/push', '/alive'));
    expect(alive.status).toBe(200);
  }, 120_000);

  it('with coalesce: true, 800 corrupted requests 8 at a time: an intact body is never dropped for a broken one ' +
    'it was joined with', async () => {
    const up = await startRecordingUpstream();
    // Like Cortex: a body that does not decode is refused whole.
    up.validate = (body) => {
      try {
        decodeBody(body);
        return undefined;
      } catch (e) {
        return { status: 400, body: String(e) };
      }
    };
    const joined = await startProxy({
      target: up.url,
      tenant: { label: 'tenant', default: 'fallback', label_remove: true },
      proxy: { coalesce: { maxBytes: 1 << 20 } },
    });
    try {
      const rnd = prng(11);
      let intact = 0;
      for (let round = 0; round < 100; round++) {
        const raws = Array.from({ length: 8 }, () => (rnd() < 0.5 ? rawV1 : mutate(rawV1, rnd)));
        const answers = await Promise.all(raws.map((raw) => post(joined.url, snappyCompress(raw))));
        answers.forEach((r, i) => {
          expect([200, 204, 400], `${r.status} ${r.text}`).toContain(r.status);
          if (raws[i] === rawV1) {
            intact++;
            expect(r.status, `an intact body answered ${r.status}: ${r.text}`).toBe(204);
          }
        });
      }
      expect(intact).toBeGreaterThan(300);
      expect(await counter(joined, 'tenantwire_coalesced_pieces_total')).toBeGreaterThan(0);
      expect(await counter(joined, 'tenantwire_coalesced_refusals_total')).toBeGreaterThan(0);
    } finally {
      await joined.close();
      await up.close();
    }
  }, 120_000);
});
