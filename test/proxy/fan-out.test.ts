/**
 * Bounds on one request's fan-out: the tenant count (400 past max_tenants_per_request, through
 * the real server) and the number of upstream requests started at once.
 */
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../src/proxy/fan-out.js';
import { eventually } from '../helpers/eventually.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { closeAfterEach, post, startProxy, type ProxyUnderTest } from './proxy-harness.js';
import { remoteWriteBody, series } from '../helpers/series.js';

let upstream: RecordingUpstream | undefined;
let proxy: ProxyUnderTest | undefined;
const keep = closeAfterEach();

const tenants = (n: number) =>
  remoteWriteBody({ timeseries: Array.from({ length: n }, (_, i) => series({ __name__: 'up', tenant: `t${i}` })) });

describe('max_tenants_per_request', () => {
  it(
    'refuses a request naming more distinct tenants with 400 naming the count and the key; nothing ' + 'goes upstream',
    async () => {
      upstream = keep(await startRecordingUpstream());
      proxy = keep(
        await startProxy({
          target: upstream.url,
          tenant: { label: 'tenant' },
          proxy: { fanOut: { maxTenants: 50, parallel: 8 } },
        }),
      );
      const r = await post(proxy.url, tenants(51));
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/51 tenants, more than max_tenants_per_request \(50\)/);
      expect(upstream.received).toHaveLength(0);
    },
  );

  it(
    'delivers every tenant of a request at the limit, with no more than `parallel` upstream ' +
      'requests started at once',
    async () => {
      upstream = keep(await startRecordingUpstream());
      upstream.replies['*'] = { status: 204, delayMs: 20 };
      // The harness's pool has 8 connections; the fan-out bound is below it.
      proxy = keep(
        await startProxy({
          target: upstream.url,
          tenant: { label: 'tenant' },
          proxy: { fanOut: { maxTenants: 50, parallel: 3 } },
        }),
      );
      const r = await post(proxy.url, tenants(50));
      expect(r.status).toBe(204);
      expect(new Set(upstream.received.map((x) => x.tenant)).size).toBe(50);
      expect(upstream.mostInFlight).toBe(3);
    },
  );

  it('the same series spread over many requests is not limited: the limit is per request', async () => {
    upstream = keep(await startRecordingUpstream());
    proxy = keep(
      await startProxy({
        target: upstream.url,
        tenant: { label: 'tenant' },
        proxy: { fanOut: { maxTenants: 2, parallel: 8 } },
      }),
    );
    for (let i = 0; i < 5; i++) expect((await post(proxy.url, tenants(2))).status).toBe(204);
    expect(upstream.received).toHaveLength(10);
  });
});

describe('mapBounded', () => {
  it('keeps order and never has more than `parallel` calls pending', async () => {
    let pending = 0;
    let most = 0;
    const waiting: Array<() => void> = [];
    const running = mapBounded([...Array(40).keys()], 5, async (i) => {
      pending++;
      most = Math.max(most, pending);
      await new Promise<void>((r) => waiting.push(r));
      pending--;
      return i * 2;
    });
    // Finish the calls newest first, so they complete out of order.
    for (let done = 0; done < 40; done++) {
      await eventually(() => waiting.length > 0, { intervalMs: 1, message: `call ${done + 1} to start` });
      waiting.pop()!();
    }
    const out = await running;
    expect(out).toEqual([...Array(40).keys()].map((i) => i * 2));
    expect(most).toBe(5);
  });

  it('passes a rejection through', async () => {
    await expect(
      mapBounded([1, 2, 3, 4], 2, async (i) => (i === 3 ? Promise.reject(new Error('boom')) : i)),
    ).rejects.toThrow('boom');
  });
});
