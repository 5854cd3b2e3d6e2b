/**
 * Queue mode isolates tenants, against a real process: ten tenants in every request, one whose
 * upstream answers 429 forever (or never answers at all); senders get 204 throughout, the nine
 * other tenants' series are all delivered within seconds, and the stuck tenant's series follow
 * once its upstream recovers.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import type { UpstreamReply } from '../helpers/recording-upstream.js';
import { attachLedger, sendLoad, startQueueDropIn } from '../helpers/queue-mode.js';
import type { TenantwireProcess } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('e2e-queue-isolation');
const running: TenantwireProcess[] = [];
const TENANTS = Array.from({ length: 10 }, (_, i) => `tenant-${i}`);
const STUCK = 'tenant-3';
let release: () => void = () => {};

afterAll(() => tmp.remove());
afterEach(async () => {
  release();
  for (const tw of running.splice(0)) await tw.stop(2_000);
  upstream().validate = undefined;
  upstream().received.length = 0;
});

const VARIANTS: Array<[string, () => UpstreamReply]> = [
  ['429 forever', () => ({ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' })],
  ['503 forever', () => ({ status: 503, body: 'unavailable' })],
  // Accepts the request and never answers: every attempt waits out `timeout` (the 503 is written,
  // to a closed connection, only when the test releases it).
  [
    'never answering',
    () =>
      ({
        status: 503,
        until: new Promise<void>((r) => {
          const prev = release;
          release = () => {
            prev();
            r();
          };
        }),
      }) as UpstreamReply,
  ],
];

describe('queue mode: one stuck tenant holds back nobody else', () => {
  it.each(VARIANTS)(
    '%s: senders get 204, the other nine tenants are delivered',
    async (name, stuckReply) => {
      const ledger = attachLedger(upstream());
      let stuck = true;
      ledger.reply = (tenant) => (tenant === STUCK && stuck ? stuckReply() : undefined);
      const s = await startQueueDropIn(tmp.path, upstream().url, join(tmp.path, `q-${name.replace(/\W/g, '')}`), [
        'workers: 1',
        'timeout: 2s',
      ]);
      running.push(s.tw);
      const t0 = Date.now();
      const { acknowledged, outcomes } = await sendLoad({
        port: s.port,
        connections: 4,
        perConnection: 40,
        tenants: TENANTS,
        prefix: 'iso-',
        seriesPerRequest: 10,
      });
      const sentMs = Date.now() - t0;
      // Every request carries a series of the stuck tenant, and every one is acknowledged.
      expect(Object.fromEntries(outcomes)).toEqual({ 204: 4 * 40 });
      const others = [...acknowledged].filter((id) => !ledger.counts.has(id) && idTenant(id) !== STUCK);
      const waitStart = Date.now();
      await eventually(() => others.every((id) => ledger.counts.has(id)), {
        timeoutMs: 10_000,
        message: 'the nine healthy tenants to receive every series',
      });
      const allOthersMs = Date.now() - t0;
      const stuckIds = [...acknowledged].filter((id) => idTenant(id) === STUCK);
      expect(stuckIds.length).toBe(4 * 40);
      expect(stuckIds.filter((id) => ledger.counts.has(id))).toEqual([]);
      console.log(
        `queue-mode isolation (${name}): ${acknowledged.size} series acknowledged in ${sentMs} ms, ` +
          `nine healthy tenants complete ${allOthersMs} ms after the first send ` +
          `(${Date.now() - waitStart} ms after the last ack)`,
      );

      stuck = false;
      release();
      await eventually(() => stuckIds.every((id) => ledger.counts.has(id)), {
        timeoutMs: 15_000,
        message: `${STUCK} to be delivered once its upstream recovers`,
      });
      expect(await s.tw.stop(15_000)).toBe(0);
    },
    60_000,
  );
});

/** The tenant of an id `iso-c<C>-r<R>-s<K>` as sendLoad assigns it. */
function idTenant(id: string): string {
  const m = /c(\d+)-r(\d+)-s(\d+)$/.exec(id)!;
  return TENANTS[(Number(m[1]) + Number(m[2]) + Number(m[3])) % TENANTS.length]!;
}
