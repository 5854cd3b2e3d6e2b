/**
 * Hostile OTLP bodies over HTTP against the built CLI: seeded mutations and truncations of valid
 * protobuf and JSON exports, corrupt gzip, a gzip bomb, oversized bodies and wrong headers. Never
 * a 500, never a crash: every refusal is a google.rpc.Status whose message names the problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gzip,
  otlpExport,
  otlpJsonBytes,
  otlpProtobuf,
  readStatus,
  type ResourceSpec,
} from '../helpers/otlp-bodies.js';
import { tempDir } from '../helpers/peers.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('e2e-otlp-hostile');
let tw: TenantwireProcess | undefined;
let upstream: RecordingUpstream | undefined;
let base = '';

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const started = await startProxyCli(tmp.path, upstream.url, [
    'max_request_bytes: 256KiB',
    'max_decoded_bytes: 1MiB',
    'max_decoded_elements: 20000',
    'tenant:',
    '  label: tenant',
    '  default: fallback',
    'otlp:',
    '  promote_resource_attributes: [tenant]',
  ]);
  tw = started.tw;
  base = `http://127.0.0.1:${started.port}`;
}, 60_000);

afterAll(async () => {
  await tw?.stop();
  await upstream?.close();
  tmp.remove();
}, 30_000);

const valid: ResourceSpec[] = [
  {
    attrs: { tenant: 'team-a', 'service.name': 'api', 'host.name': 'h1' },
    metrics: [
      { name: 'g', kind: 'gauge', unit: 'By', points: [{ value: 1, attrs: { a: 'x' } }, { value: 2.5 }] },
      { name: 'c', kind: 'counter', unit: 's', points: [{ value: 7, attrs: { b: 'y' } }] },
      { name: 'd', kind: 'delta_counter', points: [{ value: 1 }] },
    ],
  },
  { attrs: { tenant: 'team-b' }, metrics: [{ name: 'g', kind: 'gauge', points: [{ value: 3 }] }] },
];

/** mulberry32: the same mutations on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const pick = rnd();
  if (pick < 0.3) return b.subarray(0, Math.floor(rnd() * b.length));
  if (pick < 0.7) {
    for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++)
      b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    return b;
  }
  const at = Math.floor(rnd() * b.length);
  const junk = Uint8Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => Math.floor(rnd() * 256));
  return new Uint8Array([...b.subarray(0, at), ...junk, ...b.subarray(at)]);
}

async function post(body: Uint8Array | string, headers: Record<string, string>) {
  const r = await fetch(`${base}/v1/metrics`, { method: 'POST', headers, body });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: new Uint8Array(await r.arrayBuffer()) };
}

/** The answer is 200 or a 4xx Status with a message, in the request's encoding. */
function expectAnswered(r: Awaited<ReturnType<typeof post>>, encoding: 'protobuf' | 'json', allowed: number[]) {
  expect(allowed, `status ${r.status}`).toContain(r.status);
  expect(r.type).toBe(encoding === 'json' ? 'application/json' : 'application/x-protobuf');
  if (r.status === 200) return;
  const s = encoding === 'json' ? JSON.parse(new TextDecoder().decode(r.body)) : readStatus(r.body);
  expect(s.message.length, 'a message naming the problem').toBeGreaterThan(10);
  expect(s.code).toBeGreaterThan(0);
}

const PB = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('hostile OTLP bodies over HTTP', () => {
  it('answers 200 or 400 with a Status for 300 mutated protobuf bodies', async () => {
    const rnd = prng(16);
    const good = otlpProtobuf(otlpExport(valid));
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const r = await post(mutate(good, rnd), PB);
      seen.add(r.status);
      expectAnswered(r, 'protobuf', [200, 400]);
    }
    expect(seen).toContain(400);
  }, 60_000);

  it('answers 200 or 400 with a Status for 300 mutated JSON bodies', async () => {
    const rnd = prng(17);
    const good = otlpJsonBytes(otlpExport(valid));
    for (let i = 0; i < 300; i++) expectAnswered(await post(mutate(good, rnd), JSON_TYPE), 'json', [200, 400]);
  }, 60_000);

  it('answers 400 for a gzip bomb, before inflating it all', async () => {
    const bomb = gzip(new Uint8Array(64 * 1024 * 1024));
    const r = await post(bomb, { ...PB, 'content-encoding': 'gzip' });
    expectAnswered(r, 'protobuf', [400]);
    expect(readStatus(r.body).message).toContain('1048576');
  });

  it('answers 400 for a corrupt or truncated gzip body', async () => {
    const z = gzip(otlpProtobuf(otlpExport(valid)));
    expectAnswered(await post(z.subarray(0, z.length - 9), { ...PB, 'content-encoding': 'gzip' }), 'protobuf', [400]);
    expectAnswered(
      await post(otlpProtobuf(otlpExport(valid)), { ...JSON_TYPE, 'content-encoding': 'gzip' }),
      'json',
      [400],
    );
  });

  it('answers 400 for more elements than max_decoded_elements', async () => {
    const points = Array.from({ length: 12_000 }, (_, i) => ({ value: i, attrs: { i: String(i) } }));
    const big = otlpProtobuf(otlpExport([{ attrs: {}, metrics: [{ name: 'many', kind: 'gauge', points }] }]));
    const r = await post(gzip(big), { ...PB, 'content-encoding': 'gzip' });
    expectAnswered(r, 'protobuf', [400]);
    expect(readStatus(r.body).message).toContain('20000');
  });

  it('answers 413 for a body over max_request_bytes', async () => {
    expectAnswered(await post(new Uint8Array(300 * 1024), PB), 'protobuf', [413]);
  });

  it.each([['text/plain'], ['application/grpc'], ['application/protobuf'], ['multipart/form-data; boundary=x']])(
    'answers 415 for Content-Type %s',
    async (type) => {
      const r = await post(otlpProtobuf(otlpExport(valid)), { 'content-type': type });
      expectAnswered(r, 'json', [415]);
    },
  );

  it.each([['br'], ['snappy'], ['gzip, gzip']])('answers 415 for Content-Encoding %s', async (coding) => {
    const r = await post(otlpProtobuf(otlpExport(valid)), { ...PB, 'content-encoding': coding });
    expectAnswered(r, 'protobuf', [415]);
  });

  it('answers an empty protobuf export with success, and is still serving', async () => {
    expectAnswered(await post(new Uint8Array(0), PB), 'protobuf', [200]);
    expectAnswered(await post('{}', JSON_TYPE), 'json', [200]);
    expect((await fetch(`${base}/alive`)).status).toBe(200);
    expect(tw!.output()).not.toMatch(/unexpected error/);
  });
});
