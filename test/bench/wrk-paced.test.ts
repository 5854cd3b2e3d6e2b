import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPeersBin } from '../../bench/lib/peers.js';
import { pacedIntervalMs } from '../../bench/lib/pacing.js';
import { runWrk } from '../../bench/lib/wrk.js';
import { repoRoot, tempDir } from '../helpers/peers.js';

describe('paced wrk (post-body-paced.lua)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('keeps to the rate it is given over all its connections, and still posts the body', async () => {
    let posted = 0;
    let bodyBytes = 0;
    server = createServer((req, res) => {
      let n = 0;
      req.on('data', (b: Buffer) => {
        n += b.length;
      });
      req.on('end', () => {
        posted++;
        bodyBytes = n;
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const dir = tempDir('wrk-paced');
    const body = join(dir.path, 'body');
    writeFileSync(body, Buffer.alloc(1000, 7));
    const rate = 40;
    try {
      const wrk = await runWrk({
        peersBin: defaultPeersBin(repoRoot),
        url: `http://127.0.0.1:${port}/push`,
        bodyFile: body,
        durationSec: 2,
        connections: 4,
        threads: 1,
        intervalMs: pacedIntervalMs(rate, 1),
      });
      // Unpaced, a local no-op server takes thousands in 2 s; paced, one slot per 25 ms at most.
      expect(wrk.requests).toBeGreaterThan(0);
      expect(wrk.requests).toBeLessThanOrEqual(Math.ceil(rate * wrk.durationSec) + 4);
      expect(posted).toBeGreaterThanOrEqual(wrk.requests);
      expect(bodyBytes).toBe(1000);
    } finally {
      dir.remove();
    }
  });
});
