import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, waitForHttp } from '../helpers/peers.js';
import { remoteWriteBody, sample, series } from '../helpers/series.js';
import { startTenantwire } from '../helpers/tenantwire-process.js';

/**
 * The embedded default (`tenantwire`, target dir://./data) with two workers: every request
 * becomes one file per tenant, numbered 1..N without a duplicate, whichever worker wrote it.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const body = (i: number) =>
  remoteWriteBody(['team-a', 'team-b'].map((tenant) => series({ __name__: `m${i}`, __tenant__: tenant }, [sample(i)])));

describe('the embedded default with several workers', () => {
  it("numbers each tenant's files uniquely across workers", async () => {
    const cwd = tempDir('embedded-workers');
    cleanups.push(() => cwd.remove());
    const port = await freePort();
    const tw = startTenantwire([], {
      cwd: cwd.path,
      env: {
        CT_LISTEN: `127.0.0.1:${port}`,
        CT_LISTEN_METRICS_ADDRESS: '127.0.0.1:0',
        TENANTWIRE_WORKERS: '2',
        CT_LOG_LEVEL: 'warn',
      },
    });
    cleanups.push(() => tw.stop(5_000));
    await waitForHttp(`http://127.0.0.1:${port}/alive`, undefined, 20_000);

    const requests = 40;
    const push = async (i: number) => {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/write`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
        body: body(i),
        // A fresh connection per request, so both workers get some.
        keepalive: false,
      });
      await r.arrayBuffer();
      return r.status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < requests; i += 8)
      statuses.push(...(await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((j) => push(i + j)))));
    expect(statuses).toEqual(Array.from({ length: requests }, () => 204));

    for (const tenant of ['team-a', 'team-b']) {
      const names = readdirSync(join(cwd.path, 'data', tenant)).sort();
      expect(
        names.every((n) => /^\d{9}-\d+\.snappy$/.test(n)),
        names.join(' '),
      ).toBe(true);
      expect(names.map((n) => Number(n.slice(0, 9)))).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
      // The README's `inspect ./data/<tenant>/000000001-*.snappy` names exactly one file.
      expect(names.filter((n) => n.startsWith('000000001-'))).toHaveLength(1);
    }
  }, 40_000);
});
