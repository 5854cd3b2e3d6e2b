/**
 * The per-process admission limits: `concurrency` requests and `max_decoded_bytes_in_flight`
 * decoded bytes, the latter counted from each snappy body's declared length before anything is
 * allocated. Unit rules first, then through the real server against a slow upstream.
 */
import { describe, expect, it } from 'vitest';
import { createInFlightLimit } from '../../src/proxy/in-flight.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { snappyCompress } from '../../src/wire/snappy.js';
import { eventually } from '../helpers/eventually.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { closeAfterEach, post, startProxy, type ProxyUnderTest } from './proxy-harness.js';
import { series } from '../helpers/series.js';

let upstream: RecordingUpstream | undefined;
let proxy: ProxyUnderTest | undefined;
const keep = closeAfterEach();

describe('in-flight limits', () => {
  it('counts requests and declared bytes; a request alone always gets in', () => {
    const limit = createInFlightLimit(3, 1_000);
    limit.enter(5_000); // alone: over the budget, still admitted
    expect(() => limit.enter(1)).toThrow(
      /decode to 5000 bytes; this one declares 1 more, past max_decoded_bytes_in_flight \(1000\)/,
    );
    limit.leave(5_000);
    limit.enter(600);
    limit.enter(400);
    expect(() => limit.enter(1)).toThrowError(expect.objectContaining({ code: 'queue_full' }));
    limit.enter(0);
    expect(() => limit.enter(0)).toThrow(/concurrency 3/);
    limit.leave(600);
    limit.enter(600);
  });

  it(
    'through the server: a request past the byte budget gets 503 with Retry-After while another ' +
      'decodes, then gets in',
    async () => {
      upstream = keep(await startRecordingUpstream());
      let release = (): void => {};
      upstream.replies['*'] = { status: 204, until: new Promise<void>((r) => (release = r)) };
      const raw = encodeWriteRequest({
        timeseries: Array.from({ length: 200 }, (_, i) => series({ __name__: 'up', tenant: 'a', i: String(i) })),
        metadata: [],
      });
      const body = snappyCompress(raw);
      const inFlight = createInFlightLimit(64, raw.length + 10);
      proxy = keep(await startProxy({ target: upstream.url, tenant: { label: 'tenant' }, proxy: { inFlight } }));
      const first = post(proxy.url, body);
      await eventually(() => upstream!.received.length === 1, { message: 'the upstream to hold the first request' });
      const refused = await post(proxy.url, body).finally(release);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.text).toMatch(/max_decoded_bytes_in_flight/);
      expect((await first).status).toBe(204);
      expect((await post(proxy.url, body)).status).toBe(204);
      expect(upstream.received).toHaveLength(2);
    },
  );
});
