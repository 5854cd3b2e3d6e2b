/**
 * coalesce: true through the real server against a recording upstream whose answers for one
 * tenant are held back, so that the requests arriving meanwhile must queue and be joined.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { closeAfterEach, post, startProxy, type ProxyUnderTest } from './proxy-harness.js';
import { decodeBody, remoteWriteBody, series } from '../helpers/series.js';

let upstream: RecordingUpstream | undefined;
let proxy: ProxyUnderTest | undefined;
const keep = closeAfterEach();

async function setup(
  coalesce: { maxBytes: number } | undefined,
): Promise<{ up: RecordingUpstream; px: ProxyUnderTest }> {
  upstream = keep(await startRecordingUpstream());
  proxy = keep(
    await startProxy({ target: upstream.url, tenant: { label: 'tenant' }, proxy: coalesce ? { coalesce } : {} }),
  );
  return { up: upstream, px: proxy };
}

/** An upstream answer held until the test releases it. */
function hold(): { promise: Promise<void>; release(): void } {
  let release = (): void => {};
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

const req = (tenant: string, job: string) => remoteWriteBody({ timeseries: [series({ __name__: 'up', tenant, job })] });
const jobsOf = (b: Uint8Array) => decodeBody(b).timeseries.map((s) => s.labels.find((l) => l.name === 'job')?.value);
const counter = async (px: ProxyUnderTest, name: string) =>
  (await px.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;

/** The proxy counts a request received in the same synchronous step that hands its pieces to the coalescer. */
const received = (px: ProxyUnderTest, n: number) =>
  eventually(async () => (await counter(px, 'cortex_tenant_timeseries_batches_received')) === n, {
    message: `the proxy to receive ${n} requests`,
  });
const firstUpstream = (up: RecordingUpstream) =>
  eventually(() => up.received.length === 1, { message: 'the first upstream request' });

/** One request for tenant a goes out and is held; then `later` requests arrive while it is in flight. */
async function heldThenMore(up: RecordingUpstream, px: ProxyUnderTest, later: string[]) {
  const held = hold();
  up.replies.a = { status: 204, until: held.promise };
  const first = post(px.url, req('a', 'first'));
  await firstUpstream(up);
  const rest = later.map((job) => post(px.url, req('a', job)));
  await received(px, 1 + later.length);
  held.release();
  return Promise.all([first, ...rest]);
}

describe('coalesce', () => {
  it('joins the pieces that arrive while the tenant has a request in flight into one upstream request', async () => {
    const { up, px } = await setup({ maxBytes: 4 << 20 });
    const answers = await heldThenMore(up, px, ['j1', 'j2', 'j3']);
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204, 204]);
    expect(up.received).toHaveLength(2);
    // The first went alone and untouched (one tenant, nothing rewritten: its original bytes).
    expect(Buffer.compare(up.received[0]!.body, Buffer.from(req('a', 'first')))).toBe(0);
    expect(jobsOf(up.received[1]!.body).sort()).toEqual(['j1', 'j2', 'j3']);
    expect(up.received[1]!.headers['content-encoding']).toBe('snappy');
    expect(up.received[1]!.headers['x-scope-orgid']).toBe('a');
    expect(await counter(px, 'tenantwire_coalesced_pieces_total')).toBe(3);
    // Four one-tenant requests, but only the first went out as its original bytes.
    expect(await counter(px, 'tenantwire_passthrough_requests_total')).toBe(1);
  });

  it('without it, every request has its own upstream request (cortex-tenant)', async () => {
    const { up, px } = await setup(undefined);
    const answers = await heldThenMore(up, px, ['j1', 'j2', 'j3']);
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204, 204]);
    expect(up.received).toHaveLength(4);
    expect(await counter(px, 'tenantwire_coalesced_pieces_total')).toBe(0);
  });

  it("a joined request's refusal and Retry-After reach every request that contributed to it", async () => {
    const { up, px } = await setup({ maxBytes: 4 << 20 });
    const held = hold();
    up.replies.a = { status: 204, until: held.promise };
    const first = post(px.url, req('a', 'first'));
    await firstUpstream(up);
    up.replies.a = { status: 429, body: 'slow down', headers: { 'retry-after': '7' } };
    const joining = Promise.all([post(px.url, req('a', 'j1')), post(px.url, req('a', 'j2'))]);
    await received(px, 3);
    held.release();
    const joined = await joining;
    expect((await first).status).toBe(204);
    for (const a of joined) {
      expect(a.status).toBe(429);
      expect(a.headers.get('retry-after')).toBe('7');
      expect(a.text).toContain('slow down');
    }
    expect(up.received).toHaveLength(2);
  });

  it('a joined request refused with a 4xx is sent again piece by piece: only the bad piece is refused', async () => {
    const { up, px } = await setup({ maxBytes: 4 << 20 });
    up.validate = (b) => (jobsOf(b).includes('bad') ? { status: 400, body: 'bad series' } : undefined);
    const held = hold();
    up.replies.a = { status: 204, until: held.promise };
    const first = post(px.url, req('a', 'first'));
    await firstUpstream(up);
    up.replies.a = { status: 204 };
    const joining = Promise.all([
      post(px.url, req('a', 'j1')),
      post(px.url, req('a', 'bad')),
      post(px.url, req('a', 'j3')),
    ]);
    await received(px, 4);
    held.release();
    const [good, bad, other] = await joining;
    expect((await first).status).toBe(204);
    expect([good.status, bad.status, other.status]).toEqual([204, 400, 204]);
    expect(bad.text).toContain('bad series');
    // first alone, then j1+bad+j3 joined (refused), then each of the three alone.
    expect(up.received.map((r) => jobsOf(r.body).sort().join('+'))).toEqual(['first', 'bad+j1+j3', 'j1', 'bad', 'j3']);
    expect(await counter(px, 'tenantwire_coalesced_refusals_total')).toBe(1);
  });

  it('other tenants are not held back by one slow tenant, and a split request waits for all its tenants', async () => {
    const { up, px } = await setup({ maxBytes: 4 << 20 });
    const held = hold();
    up.replies.a = { status: 204, until: held.promise };
    const slow = post(px.url, req('a', 'first'));
    await firstUpstream(up);
    const fast = await post(px.url, req('b', 'alone'));
    expect(fast.status).toBe(204);
    expect(up.received.map((r) => r.tenant)).toEqual(['a', 'b']);
    const mixed = post(
      px.url,
      remoteWriteBody({ timeseries: [series({ tenant: 'a', job: 'm' }), series({ tenant: 'b', job: 'm' })] }),
    );
    await received(px, 3);
    held.release();
    expect((await slow).status).toBe(204);
    expect((await mixed).status).toBe(204);
    expect(up.received.map((r) => r.tenant).sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('holds at most `parallel` upstream requests in flight across tenants; pieces join while they wait', async () => {
    upstream = keep(await startRecordingUpstream());
    upstream.replies['*'] = { status: 204, delayMs: 30 };
    proxy = keep(
      await startProxy({
        target: upstream.url,
        tenant: { label: 'tenant' },
        proxy: { coalesce: { maxBytes: 4 << 20 }, fanOut: { maxTenants: 100, parallel: 2 } },
      }),
    );
    const many = (job: string) =>
      remoteWriteBody({
        timeseries: Array.from({ length: 6 }, (_, i) => series({ __name__: 'up', tenant: `t${i}`, job })),
      });
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((job) => post(proxy!.url, many(job))));
    expect(answers.every((a) => a.status === 204)).toBe(true);
    expect(upstream.mostInFlight).toBe(2);
    // Every tenant got every request's series, in fewer upstream requests than pieces (24).
    const jobs = new Map<string, string[]>();
    for (const r of upstream.received)
      jobs.set(r.tenant, [...(jobs.get(r.tenant) ?? []), ...jobsOf(r.body).map(String)]);
    for (let i = 0; i < 6; i++) expect(jobs.get(`t${i}`)?.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(upstream.received.length).toBeLessThan(24);
  });

  it('stops joining at coalesce_max_bytes', async () => {
    const one = req('a', 'jx').length;
    const { up, px } = await setup({ maxBytes: 1 });
    expect(one).toBeGreaterThan(1);
    const answers = await heldThenMore(up, px, ['j1', 'j2', 'j3']);
    expect(answers.every((a) => a.status === 204)).toBe(true);
    // Each piece is over the limit alone, so none is joined: 1 + 3 upstream requests.
    expect(up.received).toHaveLength(4);
  });

  it(
    'a transport failure of a joined request answers 500 to every contributor, and later requests are not stuck ' +
      'behind it',
    async () => {
      const { up, px } = await setup({ maxBytes: 4 << 20 });
      up.replies.a = { status: 204, until: hold().promise };
      const first = post(px.url, req('a', 'first'));
      await firstUpstream(up);
      const joined = [post(px.url, req('a', 'j1')), post(px.url, req('a', 'j2'))];
      // Both wait behind the first (joined) when the upstream goes away under it.
      await received(px, 3);
      await up.close();
      upstream = undefined;
      const answers = await Promise.all([first, ...joined]);
      expect(answers.map((a) => a.status)).toEqual([500, 500, 500]);
      const again = await post(px.url, req('a', 'later'));
      expect(again.status).toBe(500);
    },
  );
});
