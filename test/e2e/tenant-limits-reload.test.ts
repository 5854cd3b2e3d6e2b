/**
 * SIGHUP with `limits` configured: the config file's `limits` block is read again and applies
 * from the next request; a file that no longer parses keeps the limits in force.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import { type RecordingUpstream, startRecordingUpstream } from '../helpers/recording-upstream.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('tenantwire-limits-reload-');
let upstream: RecordingUpstream;
let tw: TenantwireProcess | undefined;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
});
afterAll(async () => {
  await tw?.stop(5_000);
  await upstream.close();
  tmp.remove();
});

async function status(url: string): Promise<number> {
  const body = remoteWriteBody(
    Array.from({ length: 20 }, (_, i) => series({ __name__: 'reload_test', __tenant__: 'finance', id: String(i) })),
  );
  const r = await fetch(`${url}/api/v1/push`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
  });
  await r.arrayBuffer();
  return r.status;
}

describe('SIGHUP reads the limits again', () => {
  it('a raised override applies to the next request; a broken file keeps the limits in force', async () => {
    // finance: 20 tokens, refilled at 1 a second: one 20-sample request, then 429 for 20 s.
    const limits = [
      'limits:',
      '  per_tenant:',
      '    ingestion_rate: 1',
      '    ingestion_burst: 20',
      '  overrides:',
      '    finance: { ingestion_rate: 1, ingestion_burst: 20 }',
    ];
    const started = await startProxyCli(
      tmp.path,
      upstream.url,
      ['workers: 1', 'log_level: info', 'timeout_shutdown: 100ms', 'tenant:', '  label: __tenant__', ...limits],
      [],
    );
    tw = started.tw;
    const url = `http://127.0.0.1:${started.port}`;
    const file = join(tmp.path, `cortex-tenant-${started.port}.yml`);
    expect(await status(url)).toBe(204);
    expect(await status(url)).toBe(429);

    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text.replace(
        'finance: { ingestion_rate: 1, ingestion_burst: 20 }',
        'finance: { ingestion_rate: 100000, ingestion_burst: 100000 }',
      ),
    );
    tw.process.kill('SIGHUP');
    await eventually(() => tw?.output().includes('limits read again from the config file') ?? false, {
      timeoutMs: 10_000,
    });
    for (let i = 0; i < 5; i++) expect(await status(url)).toBe(204);

    writeFileSync(file, `${text}\nnot: [valid\n`);
    tw.process.kill('SIGHUP');
    await eventually(() => tw?.output().includes('the previous limits stay in force') ?? false, { timeoutMs: 10_000 });
    expect(await status(url)).toBe(204);
    expect(tw.process.exitCode).toBeNull();
  });
});
