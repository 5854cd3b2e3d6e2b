/**
 * A pipeline whose `prometheus.receive_http` cannot listen (the port is taken) used to log an
 * error and keep running with no listener: alive to its supervisor, refusing every sender. It
 * now stops, with the reason on stderr, and exits 1, as the drop-in does.
 */
import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/peers.js';
import { startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('tenantwire-pipeline-listen-');
const running: TenantwireProcess[] = [];
let blocker: Server | undefined;

afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(2_000);
  await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
  blocker = undefined;
});
afterAll(() => tmp.remove());

describe('a pipeline whose receive_http cannot listen', () => {
  it('exits 1 naming the component and the address, instead of running without a listener', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', () => r()));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const file = join(tmp.path, 'pipeline.yaml');
    writeFileSync(
      file,
      [
        'prometheus.receive_http:',
        '  ingest:',
        `    listen: 127.0.0.1:${port}`,
        '    forward_to: [prometheus.remote_write.cortex.receiver]',
        'prometheus.remote_write:',
        '  cortex:',
        '    endpoint:',
        '      - url: http://127.0.0.1:9/api/v1/push',
        '        tenant: { default: anonymous }',
        '',
      ].join('\n'),
    );
    const tw = startTenantwire(['--config', file]);
    running.push(tw);
    const code = await Promise.race([
      tw.exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000)),
    ]);
    expect(code).toBe(1);
    expect(tw.output()).toContain(
      `tenantwire: prometheus.receive_http.ingest: listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    );
    expect(tw.output()).toContain('a component failed: stopping the pipeline');
  });
});
