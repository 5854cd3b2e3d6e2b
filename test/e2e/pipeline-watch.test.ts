/**
 * `tenantwire --config pipeline.yaml --watch` with the built CLI: the file is replaced the way
 * editors and Kubernetes replace it (a temp file renamed over it), twice, and both edits must
 * take effect. Each version of the file sends unlabelled series to another default tenant, so
 * the tenant the upstream sees tells which version is running.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, tempDir, waitForHttp } from '../helpers/peers.js';
import { receiveToRemoteWriteYaml } from '../helpers/pipeline-yaml.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const tmp = tempDir('pipeline-watch');
const upstream = useRecordingUpstream();
let tw: TenantwireProcess | undefined;

afterAll(async () => {
  await tw?.stop();
  tmp.remove();
});

const pipeline = (port: number, tenant: string) =>
  receiveToRemoteWriteYaml({ port, url: upstream().url, tenantDefault: tenant, batchSendDeadline: '50ms' });

const body = (name: string) => remoteWriteBody([series({ __name__: name })]);

/** Pushes one unlabelled series and returns the tenant it reached the upstream as. */
async function tenantNow(port: number, name: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body: body(name),
  });
  expect(r.status).toBe(204);
  const got = await eventually(
    () =>
      upstream().received.find((x) => x.body.length > 0 && Buffer.from(x.body).includes(Buffer.from(name))) ?? false,
    {
      message: `the upstream to receive ${name}`,
    },
  );
  return got.tenant;
}

const reloads = () => tw!.output().match(/"msg":"pipeline reloaded"/g)?.length ?? 0;

describe('tenantwire --config pipeline.yaml --watch', () => {
  it('applies each of two atomic replaces of the file', async () => {
    const port = await freePort();
    const cfg = join(tmp.path, 'pipeline.yaml');
    writeFileSync(cfg, pipeline(port, 'first'));
    tw = startTenantwire(['--config', cfg, '--watch']);
    await waitForHttp(`http://127.0.0.1:${port}/alive`);
    expect(await tenantNow(port, 'm0')).toBe('first');

    for (const [i, tenant] of (['second', 'third'] as const).entries()) {
      writeFileSync(`${cfg}.tmp`, pipeline(port, tenant));
      renameSync(`${cfg}.tmp`, cfg);
      await eventually(() => expect(reloads(), tw!.output().slice(-2000)).toBe(i + 1), {
        timeoutMs: 10_000,
        message: `reload ${i + 1}`,
      });
      expect(await tenantNow(port, `m${i + 1}`)).toBe(tenant);
    }
    expect(tw.output()).not.toMatch(/reload refused/);
    expect(await tw.stop()).toBe(0);
  });
});
