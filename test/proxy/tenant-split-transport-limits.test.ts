/**
 * withTenantSplit takes the drop-in target's bounds, with the same defaults: the tenant count
 * per body, the sends in flight at once, and what one body may decode to.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TENANTS_PER_REQUEST } from '../../src/defaults.js';
import { DEFAULT_FAN_OUT } from '../../src/proxy/fan-out.js';
import { withTenantSplit } from '../../src/proxy/tenant-split-transport.js';
import type { Transport, TransportRequest, TransportResult } from '../../src/transport/types.js';
import { DEFAULT_WIRE_LIMITS } from '../../src/wire/types.js';
import { eventually } from '../helpers/eventually.js';
import { remoteWriteBody, sample, series } from '../helpers/series.js';

const headers = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' };
const ok: TransportResult = { kind: 'response', status: 204, headers: {}, body: new Uint8Array() };
const up = (tenant: string, name = 'up') => series({ __name__: name, tenant }, [sample(1, 1000)]);
const tenants = (n: number) => remoteWriteBody(Array.from({ length: n }, (_, i) => up(`t${i}`)));
const text = (r: TransportResult) => (r.kind === 'response' ? new TextDecoder().decode(r.body) : r.error.message);

/**
 * An inner transport counting the sends in flight; with `hold`, each send waits until the test
 * releases it. The refusal tests answer at once, so that they fail fast when nothing is refused.
 */
function holdingInner(hold = true) {
  const state = { inFlight: 0, most: 0, sent: [] as TransportRequest[], held: [] as Array<() => void> };
  const t: Transport = {
    async send(req) {
      state.sent.push(req);
      state.inFlight++;
      state.most = Math.max(state.most, state.inFlight);
      if (hold) await new Promise<void>((r) => state.held.push(r));
      state.inFlight--;
      return ok;
    },
    async close() {},
  };
  return { t, state };
}

/** Releases held sends one at a time, each once it is held, until `total` have gone through. */
async function drain(state: ReturnType<typeof holdingInner>['state'], total: number): Promise<void> {
  for (let done = 0; done < total; done++) {
    await eventually(() => state.held.length > 0, { intervalMs: 1, message: `send ${done + 1} to be held` });
    state.held.shift()!();
  }
}

describe('withTenantSplit limits', () => {
  it('refuses a body naming more tenants than fanOut.maxTenants with 400 naming the count; sends nothing', async () => {
    const { t, state } = holdingInner(false);
    const r = await withTenantSplit(t, { tenant: { label: 'tenant' }, fanOut: { maxTenants: 50 } }).send({
      url: 'http://x',
      headers,
      body: tenants(51),
    });
    expect(r).toMatchObject({ kind: 'response', status: 400 });
    expect(text(r)).toMatch(/names 51 tenants, more than max_tenants_per_request \(50\)/);
    expect(state.sent).toHaveLength(0);
  });

  it('applies max_tenants_per_request by default, as the drop-in does', async () => {
    expect(DEFAULT_FAN_OUT.maxTenants).toBe(DEFAULT_MAX_TENANTS_PER_REQUEST);
    const { t, state } = holdingInner(false);
    const over = DEFAULT_MAX_TENANTS_PER_REQUEST + 1;
    const r = await withTenantSplit(t, { tenant: { label: 'tenant' } }).send({
      url: 'http://x',
      headers,
      body: tenants(over),
    });
    expect(r).toMatchObject({ kind: 'response', status: 400 });
    expect(text(r)).toContain(
      `names ${over} tenants, more than max_tenants_per_request (${DEFAULT_MAX_TENANTS_PER_REQUEST})`,
    );
    expect(state.sent).toHaveLength(0);
  });

  it('has at most fanOut.parallel sends in flight, and sends every tenant', async () => {
    const { t, state } = holdingInner();
    const sending = withTenantSplit(t, { tenant: { label: 'tenant' }, fanOut: { parallel: 3 } }).send({
      url: 'http://x',
      headers,
      body: tenants(20),
    });
    await drain(state, 20);
    expect(await sending).toMatchObject({ kind: 'response', status: 204 });
    expect(state.most).toBe(3);
    expect(new Set(state.sent.map((q) => q.headers['X-Scope-OrgID'])).size).toBe(20);
  });

  it('bounds the fan-out by default (DEFAULT_FAN_OUT.parallel)', async () => {
    const { t, state } = holdingInner();
    const n = DEFAULT_FAN_OUT.parallel + 16;
    const sending = withTenantSplit(t, { tenant: { label: 'tenant' } }).send({
      url: 'http://x',
      headers,
      body: tenants(n),
    });
    await eventually(() => state.held.length === DEFAULT_FAN_OUT.parallel, { message: 'the first sends to be held' });
    expect(state.inFlight).toBe(DEFAULT_FAN_OUT.parallel);
    await drain(state, n);
    expect(await sending).toMatchObject({ kind: 'response', status: 204 });
    expect(state.most).toBe(DEFAULT_FAN_OUT.parallel);
  });

  it('refuses a body that declares more decoded bytes than the limit (default 32 MiB) before decoding it', async () => {
    const { t, state } = holdingInner(false);
    // A snappy preamble declaring 1 GiB, then a few bytes: a bomb only in what it claims.
    const bomb = new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x41]);
    const split = withTenantSplit(t, { tenant: { label: 'tenant' } });
    const r = await split.send({ url: 'http://x', headers, body: bomb });
    expect(r).toMatchObject({ kind: 'response', status: 400 });
    expect(text(r)).toContain(String(DEFAULT_WIRE_LIMITS.maxDecodedBytes));
    // The caller's limit is the one applied.
    const small = withTenantSplit(t, { tenant: { label: 'tenant' }, limits: { maxDecodedBytes: 1_000 } });
    const r2 = await small.send({ url: 'http://x', headers, body: tenants(40) });
    expect(r2).toMatchObject({ kind: 'response', status: 400 });
    expect(text(r2)).toContain('1000');
    expect(state.sent).toHaveLength(0);
  });

  it("hands the caller's element limit to the scanner", async () => {
    const { t, state } = holdingInner(false);
    const many = remoteWriteBody(Array.from({ length: 200 }, (_, i) => up('a', `m${i}`)));
    const r = await withTenantSplit(t, { tenant: { label: 'tenant' }, limits: { maxElements: 100 } }).send({
      url: 'http://x',
      headers,
      body: many,
    });
    expect(r).toMatchObject({ kind: 'response', status: 400 });
    expect(text(r)).toMatch(/100/);
    expect(state.sent).toHaveLength(0);
  });
});
