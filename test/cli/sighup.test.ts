/**
 * SIGHUP to the drop-in (a `systemctl reload`, a supervisor's reload, a closed terminal): Node's
 * default is to exit at once with code 129 and nothing logged. The proxy re-reads no config,
 * so it logs that and keeps serving; SIGTERM still stops it with 0.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { tempDir } from '../helpers/peers.js';
import { push, seriesBody, startDropIn, type StartedDropIn } from '../helpers/fault-tools.js';
import { eventually } from '../helpers/eventually.js';

let upstream: RecordingUpstream;
const tmp = tempDir('tenantwire-sighup-');
const started: StartedDropIn[] = [];

beforeAll(async () => {
  upstream = await startRecordingUpstream();
});
afterAll(async () => {
  await upstream.close();
  tmp.remove();
});
afterEach(async () => {
  for (const s of started.splice(0)) await s.tw.stop(2_000);
});

describe.each([1, 2])('SIGHUP to a cortex-tenant config process (workers: %i)', (workers) => {
  it('is logged, the process keeps serving, and SIGTERM still exits 0', async () => {
    const s = await startDropIn(tmp.path, upstream.url, [`workers: ${workers}`, 'timeout: 5s', 'log_level: warn']);
    started.push(s);
    s.tw.process.kill('SIGHUP');
    await eventually(() => s.tw.output().includes('SIGHUP: a cortex-tenant config is read only at start'), {
      timeoutMs: 5_000,
    });
    expect(s.tw.process.exitCode).toBeNull();
    expect(s.tw.process.signalCode).toBeNull();
    expect((await push(s.url, seriesBody(['after-hup']))).status).toBe(204);
    expect(s.tw.output().match(/SIGHUP: a cortex-tenant config is read only at start/g)).toHaveLength(1);
    s.tw.process.kill('SIGTERM');
    expect(await s.tw.exited).toBe(0);
  });
});
