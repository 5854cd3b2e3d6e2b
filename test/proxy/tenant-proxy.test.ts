/**
 * cortex-tenant parity, driven through the real HTTP server (fastify on 127.0.0.1:0, undici
 * transport) against a recording upstream, one option at a time; then ingress hygiene and
 * upstream faults.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { snappyCompress } from '../../src/wire/snappy.js';
import { STALE_NAN_BITS, type WriteRequest } from '../../src/wire/types.js';
import { eventually } from '../helpers/eventually.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { post, startProxy, type ProxySetup, type ProxyUnderTest } from './proxy-harness.js';
import { decodeBody, remoteWriteBody, series } from '../helpers/series.js';

let upstream: RecordingUpstream;
let proxy: ProxyUnderTest | undefined;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
});
afterAll(async () => {
  await upstream.close();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  upstream.received.length = 0;
  upstream.replies = {};
});

async function run(
  setup: Omit<ProxySetup, 'target'>,
  req: Partial<WriteRequest>,
  headers: Record<string, string> = {},
) {
  proxy = await startProxy({ target: upstream.url, ...setup });
  return post(proxy.url, remoteWriteBody(req), headers);
}

const byTenant = () => Object.fromEntries(upstream.received.map((r) => [r.tenant, decodeBody(r.body)]));
const names = (req: WriteRequest | undefined) =>
  (req?.timeseries ?? []).map((s) => s.labels.find((x) => x.name === '__name__')?.value);

describe('parity with cortex-tenant, option by option', () => {
  it('label (default __tenant__): one request per tenant, in parallel, with X-Scope-OrgID', async () => {
    const r = await run(
      {},
      {
        timeseries: [
          series({ __name__: 'a', __tenant__: 't1' }),
          series({ __name__: 'b', __tenant__: 't2' }),
          series({ __name__: 'c', __tenant__: 't1' }),
        ],
      },
    );
    expect(r.status).toBe(204);
    const got = byTenant();
    expect(Object.keys(got).sort()).toEqual(['t1', 't2']);
    expect(names(got.t1)).toEqual(['a', 'c']);
    expect(names(got.t2)).toEqual(['b']);
  });

  it('label_list: the first listed label present wins, whatever the label order', async () => {
    await run(
      { tenant: { label_list: ['team', 'namespace'] } },
      {
        timeseries: [
          series({ __name__: 'x', namespace: 'ns1', team: 'red' }),
          series({ __name__: 'y', namespace: 'ns2' }),
          series({ __name__: 'z', namespace: 'ns3', team: '' }),
        ],
      },
    );
    expect(Object.keys(byTenant()).sort()).toEqual(['ns2', 'ns3', 'red']);
  });

  it('default: series without the label go to the default tenant', async () => {
    await run(
      { tenant: { label: 'tenant', default: 'fallback' } },
      {
        timeseries: [series({ __name__: 'a', tenant: 't1' }), series({ __name__: 'b' })],
      },
    );
    expect(names(byTenant().fallback)).toEqual(['b']);
  });

  it('no default: 400 naming the label and the series, nothing forwarded', async () => {
    const r = await run(
      { tenant: { label: 'tenant' } },
      {
        timeseries: [series({ __name__: 'a', tenant: 't1' }), series({ __name__: 'orphan', job: 'j' })],
      },
    );
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/"tenant"/);
    expect(r.text).toMatch(/orphan/);
    expect(upstream.received).toHaveLength(0);
  });

  it('prefix is prepended to every tenant', async () => {
    await run(
      { tenant: { label: 'tenant', prefix: 'org-' } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' })] },
    );
    expect(upstream.received[0]?.tenant).toBe('org-t1');
  });

  it('prefix_prefer_source: a non-empty incoming tenant header plus "-" replaces the prefix', async () => {
    await run(
      { tenant: { label: 'tenant', prefix: 'org-', prefix_prefer_source: true } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' })] },
      { 'X-Scope-OrgID': 'src' },
    );
    expect(upstream.received[0]?.tenant).toBe('src-t1');
    upstream.received.length = 0;
    await post(proxy!.url, remoteWriteBody({ timeseries: [series({ __name__: 'a', tenant: 't1' })] }));
    expect(upstream.received[0]?.tenant).toBe('org-t1');
  });

  it('label_remove: removes only the matched label and keeps the order of the others', async () => {
    await run(
      { tenant: { label_list: ['team', 'ns'], label_remove: true } },
      {
        timeseries: [series({ __name__: 'a', ns: 'n1', team: 'red', zone: 'z' })],
      },
    );
    const s = byTenant().red?.timeseries[0];
    expect(s?.labels.map((x) => x.name)).toEqual(['__name__', 'ns', 'zone']);
  });

  it('header: a custom tenant header is sent instead of X-Scope-OrgID', async () => {
    await run(
      { tenant: { label: 'tenant', header: 'X-Tenant' } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' })] },
    );
    expect(upstream.received[0]?.headers['x-tenant']).toBe('t1');
    expect(upstream.received[0]?.headers['x-scope-orgid']).toBeUndefined();
  });

  it('accept_all: 204 whatever the upstream answered', async () => {
    upstream.replies = { '*': { status: 500, body: 'down' } };
    const r = await run(
      { tenant: { label: 'tenant', accept_all: true } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' })] },
    );
    expect(r.status).toBe(204);
  });

  it('metadata on: a metadata-only request goes to the default tenant, compressed', async () => {
    const md = { type: 1 as const, metricFamilyName: 'http_requests_total', help: 'Requests.', unit: '' };
    const r = await run({ tenant: { default: 'meta' }, metadata: true }, { metadata: [md] });
    expect(r.status).toBeLessThan(300);
    expect(upstream.received).toHaveLength(1);
    expect(upstream.received[0]?.tenant).toBe('meta');
    expect(upstream.received[0]?.headers['content-encoding']).toBe('snappy');
    expect(decodeBody(upstream.received[0]!.body).metadata).toEqual([md]);
  });

  it('metadata off: a metadata-only request is answered 200 and dropped (counted)', async () => {
    const r = await run(
      { tenant: { default: 'meta' } },
      { metadata: [{ type: 2, metricFamilyName: 'g', help: 'h', unit: '' }] },
    );
    expect(r.status).toBe(200);
    expect(upstream.received).toHaveLength(0);
    expect(await proxy!.metrics.registry.getSingleMetricAsString('tenantwire_samples_dropped_total')).toMatch(
      /reason="metadata_dropped"} 1/,
    );
  });

  it('egress basic auth and the outgoing headers', async () => {
    await run(
      { tenant: { label: 'tenant' }, basicAuth: { username: 'u', password: 'p@ss' } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' })] },
    );
    const h = upstream.received[0]!.headers;
    expect(h.authorization).toBe(`Basic ${Buffer.from('u:p@ss').toString('base64')}`);
    expect(h['content-encoding']).toBe('snappy');
    expect(h['content-type']).toBe('application/x-protobuf');
    expect(h['x-prometheus-remote-write-version']).toBe('0.1.0');
    expect(h['x-cortex-tenant-client']).toMatch(/127\.0\.0\.1/);
    expect(h['x-cortex-tenant-reqid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h['user-agent']).toMatch(/^tenantwire\//);
  });

  it('one tenant with nothing to rewrite: the original compressed bytes go out unchanged', async () => {
    proxy = await startProxy({ target: upstream.url, tenant: { label: 'tenant' } });
    const payload = remoteWriteBody({
      timeseries: [series({ __name__: 'a', tenant: 't1' }), series({ __name__: 'b', tenant: 't1' })],
    });
    expect((await post(proxy.url, payload)).status).toBe(204);
    expect(Buffer.compare(upstream.received[0]!.body, Buffer.from(payload))).toBe(0);
    expect(await proxy.metrics.registry.getSingleMetricAsString('tenantwire_passthrough_requests_total')).toMatch(
      / 1$/m,
    );
  });

  it.each(['wire', 'decode'] as const)(
    'the stale marker survives the %s path with label removal',
    async (splitMode) => {
      const stale = { value: Number.NaN, valueBits: STALE_NAN_BITS, timestamp: -5 };
      const s = { ...series({ __name__: 'a', tenant: 't1', job: 'j' }), samples: [stale] };
      await run(
        { tenant: { label: 'tenant', label_remove: true }, proxy: { splitMode } },
        { timeseries: [s, series({ __name__: 'b', tenant: 't2' })] },
      );
      const got = byTenant().t1?.timeseries[0]?.samples[0];
      expect(got?.valueBits).toBe(STALE_NAN_BITS);
      expect(got?.timestamp).toBe(-5);
    },
  );
});

describe('tenant ids are validated (fixed: cortex-tenant forwards anything)', () => {
  it.each([
    ['a|b', /\|/],
    ['..', /\.\./],
    ['x'.repeat(151), /150/],
    ['has space', /space|character/i],
  ])('tenant %j gets 400 naming the series and value', async (bad, why) => {
    const r = await run({ tenant: { label: 'tenant' } }, { timeseries: [series({ __name__: 'victim', tenant: bad })] });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/victim/);
    expect(r.text).toMatch(why);
    expect(upstream.received).toHaveLength(0);
  });

  it('CR/LF in a tenant value never reaches a header', async () => {
    const r = await run(
      { tenant: { label: 'tenant' } },
      { timeseries: [series({ __name__: 'v', tenant: 'a\r\nX-Evil: 1' })] },
    );
    expect(r.status).toBe(400);
    expect(r.text).not.toMatch(/\r\n/);
    expect(upstream.received).toHaveLength(0);
  });
});

describe('ingress hygiene', () => {
  beforeAll(() => undefined);
  it.each([
    ['framed snappy', new Uint8Array([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]), /framing format/i],
    ['corrupt snappy', new Uint8Array([0x20, 0xfe, 0xff, 0xff]), /snappy/i],
    ['a declared length of 4 GiB in 5 bytes', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), /declare|limit/i],
    ['bad protobuf', new Uint8Array([0x05, 0x10, 0x0a, 0xff, 0xff, 0x01]), /./],
  ])('%s: 400 with a readable body', async (_name, payload, message) => {
    proxy = await startProxy({ target: upstream.url });
    const r = await post(proxy.url, payload);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(message);
    expect(upstream.received).toHaveLength(0);
  });

  it('a 1.5 MB snappy body of 16 M empty series gets 400 at the element budget, not gigabytes', async () => {
    const n = 16 * 1024 * 1024;
    const raw = new Uint8Array(2 * n);
    for (let i = 0; i < n; i++) raw[2 * i] = 0x0a;
    const payload = snappyCompress(raw);
    expect(payload.length).toBeLessThan(2 * 1024 * 1024);
    proxy = await startProxy({ target: upstream.url, tenant: { default: 'x' } });
    const r = await post(proxy.url, payload);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/more than 2000000 series and metadata entries/);
    expect(upstream.received).toHaveLength(0);
  });

  it('a body over max_request_bytes gets 413', async () => {
    proxy = await startProxy({ target: upstream.url, maxRequestBytes: 1000 });
    const r = await post(proxy.url, new Uint8Array(2000));
    expect(r.status).toBe(413);
  });
});

describe('upstream faults fold into the answer the sender needs', () => {
  it('the highest upstream status wins, with its body', async () => {
    upstream.replies = { t1: { status: 204 }, t2: { status: 400, body: 'out of order sample' } };
    const r = await run(
      { tenant: { label: 'tenant' } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' }), series({ __name__: 'b', tenant: 't2' })] },
    );
    expect(r.status).toBe(400);
    expect(r.text).toBe('tenant t2: upstream answered 400: out of order sample');
    expect(await proxy!.metrics.registry.getSingleMetricAsString('tenantwire_partial_acceptance_total')).toMatch(
      / 1$/m,
    );
  });

  it('429 with Retry-After reaches the sender (fixed: cortex-tenant drops it)', async () => {
    upstream.replies = { t1: { status: 429, body: 'slow down', headers: { 'retry-after': '7' } } };
    const r = await run({ tenant: { label: 'tenant' } }, { timeseries: [series({ __name__: 'a', tenant: 't1' })] });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it('5xx from one tenant: the sender gets the 5xx to retry', async () => {
    upstream.replies = { t2: { status: 503, body: 'ingester down' } };
    const r = await run(
      { tenant: { label: 'tenant' } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' }), series({ __name__: 'b', tenant: 't2' })] },
    );
    expect(r.status).toBe(503);
    expect(r.text).toBe('tenant t2: upstream answered 503: ingester down');
  });

  it('an upstream slower than timeout: 500, and nothing hangs', async () => {
    upstream.replies = { '*': { status: 204, delayMs: 3_000 } };
    const r = await run(
      { tenant: { label: 'tenant' }, proxy: { timeoutMs: 200 } },
      { timeseries: [series({ __name__: 'a', tenant: 't1' })] },
    );
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/t1/);
  });

  it('connection refused: 500 naming the tenant', async () => {
    proxy = await startProxy({ target: 'http://127.0.0.1:1/push', tenant: { label: 'tenant' } });
    const r = await post(proxy.url, remoteWriteBody({ timeseries: [series({ __name__: 'a', tenant: 't1' })] }));
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/t1/);
  });

  it('past `concurrency` requests in flight the sender gets 503 with Retry-After', async () => {
    let release = (): void => {};
    upstream.replies = { '*': { status: 204, until: new Promise<void>((r) => (release = r)) } };
    proxy = await startProxy({ target: upstream.url, tenant: { label: 'tenant' }, proxy: { concurrency: 1 } });
    const payload = remoteWriteBody({ timeseries: [series({ __name__: 'a', tenant: 't1' })] });
    const first = post(proxy.url, payload);
    // The first request is in flight once the upstream holds it.
    await eventually(() => upstream.received.length === 1, { message: 'the upstream to hold the first request' });
    const b = await post(proxy.url, payload).finally(release);
    const a = await first;
    expect(a.status).toBe(204);
    expect(b.status).toBe(503);
    expect(b.headers.get('retry-after')).toBe('1');
  });
});
