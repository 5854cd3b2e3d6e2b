/**
 * Secret rotation without a restart: SIGHUP makes every process (with workers, the primary
 * forwards it) read the auth.ingress secret files again. The new password works and the old one
 * is refused from then on; a file that cannot be read keeps the old secrets in force.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import { type RecordingUpstream, startRecordingUpstream } from '../helpers/recording-upstream.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const OLD = 'rotate-old-S3CRET-1';
const NEW = 'rotate-new-S3CRET-2';
const tmp = tempDir('tenantwire-auth-rotation-');
let upstream: RecordingUpstream;
const procs: TenantwireProcess[] = [];

const basic = (password: string) => `Basic ${Buffer.from(`team-a:${password}`).toString('base64')}`;
async function status(url: string, password: string): Promise<number> {
  const payload = remoteWriteBody([series({ __name__: 'rotation_test', __tenant__: 'team-a' })]);
  const r = await fetch(`${url}/api/v1/push`, {
    method: 'POST',
    body: payload,
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      authorization: basic(password),
    },
  });
  await r.arrayBuffer();
  return r.status;
}

beforeAll(async () => {
  upstream = await startRecordingUpstream();
});
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop(5_000);
});
afterAll(async () => {
  await upstream.close();
  tmp.remove();
});

describe.each([1, 2])('SIGHUP reads the ingress secret files again (workers: %i)', (workers) => {
  it('the new password is accepted and the old refused; an unreadable file keeps the old', async () => {
    const file = join(tmp.path, `a-${workers}.pass`);
    writeFileSync(file, `${OLD}\n`, { mode: 0o600 });
    const { tw, port } = await startProxyCli(
      tmp.path,
      upstream.url,
      [
        `workers: ${workers}`,
        'log_level: info',
        'timeout_shutdown: 100ms',
        'tenant:',
        '  label: __tenant__',
        'auth:',
        '  ingress:',
        '    users:',
        `      - { username: team-a, password_file: ${file}, tenants: ['team-a'] }`,
      ],
      [],
    );
    procs.push(tw);
    const url = `http://127.0.0.1:${port}`;
    // Every worker up (a worker still starting when SIGHUP comes has not read the files yet).
    await eventually(() => (tw.output().match(/"msg":"listening"/g) ?? []).length >= workers, { timeoutMs: 20_000 });
    expect(await status(url, OLD)).toBe(204);
    expect(await status(url, NEW)).toBe(401);

    writeFileSync(file, `${NEW}\n`);
    tw.process.kill('SIGHUP');
    const reread = (n: number) => (tw.output().match(/ingress secret files read again/g) ?? []).length >= n;
    await eventually(() => reread(workers), { timeoutMs: 10_000 });
    // With workers, each answers for itself: several requests reach both.
    for (let i = 0; i < 4 * workers; i++) {
      expect(await status(url, NEW)).toBe(204);
      expect(await status(url, OLD)).toBe(401);
    }

    rmSync(file);
    tw.process.kill('SIGHUP');
    await eventually(() => /previous secrets stay in force/.test(tw.output()), { timeoutMs: 10_000 });
    expect(await status(url, NEW)).toBe(204);
    expect(tw.output()).not.toContain(NEW);
    expect(tw.output()).not.toContain(OLD);
    expect(tw.process.exitCode).toBeNull();
  });
});
