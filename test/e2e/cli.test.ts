/**
 * The CLI as users run it (`node dist/main.js`, built by `npm test`): cortex-tenant's README
 * config unchanged (CT_* variables point it at test ports and certificates), ingress TLS, the
 * SIGTERM drain, multi-process workers with one metrics view, the embedded default writing
 * ./data/<tenant>/, strict config errors, and a pipeline file told apart by shape.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCert } from '../helpers/tls-cert.js';
import { eventually } from '../helpers/eventually.js';
import { freePort, repoRoot, tempDir, waitForHttp } from '../helpers/peers.js';
import { receiveToRemoteWriteYaml } from '../helpers/pipeline-yaml.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { startTenantwire } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const tmp = tempDir('cli');
const upstream = useRecordingUpstream();

afterAll(async () => {
  tmp.remove();
});

const payload = (tenants: string[]) =>
  remoteWriteBody(tenants.map((t, i) => series({ __name__: `m${i}`, __tenant__: t })));
const push = (port: number, body: Uint8Array) =>
  fetch(`http://127.0.0.1:${port}/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body,
  });

function makeCert(dir: string): { cert: string; key: string } {
  const { key, cert } = makeSelfSignedCert(dir);
  return { cert, key };
}

function httpsStatus(port: number, path: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca: readFileSync(ca) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tenantwire --config <cortex-tenant config>', () => {
  it("starts from cortex-tenant's README config unchanged, serves TLS, never logs the password", async () => {
    const { cert, key } = makeCert(tmp.path);
    const port = await freePort();
    const tw = startTenantwire(
      ['--config', join(repoRoot, 'test/fixtures/cortex-tenant/readme-example.yml'), '--log-level', 'info'],
      {
        env: {
          CT_LISTEN: `127.0.0.1:${port}`,
          CT_LISTEN_METRICS_ADDRESS: '127.0.0.1:0',
          CT_TLS_CERT_FILE: cert,
          CT_TLS_KEY_FILE: key,
          CT_CA_BUNDLE_FILE: cert,
          TENANTWIRE_WORKERS: '1',
        },
      },
    );
    try {
      await eventually(
        async () => expect(await httpsStatus(port, '/alive', cert).catch(() => 0), tw.output()).toBe(200),
        {
          timeoutMs: 15_000,
          intervalMs: 100,
          message: 'https /alive to answer 200',
        },
      );
      expect(tw.output()).toMatch(/effective configuration/);
      expect(tw.output()).toMatch(/"username":"foo"/);
      expect(tw.output()).not.toMatch(/"password":"bar"/);
    } finally {
      expect(await tw.stop()).toBe(0);
    }
  });

  it('SIGTERM: /alive answers 503 for timeout_shutdown, then the process exits 0', async () => {
    const port = await freePort();
    const cfg = join(tmp.path, 'drain.yml');
    writeFileSync(
      cfg,
      `listen: 127.0.0.1:${port}\nlisten_metrics_address: 127.0.0.1:0\ntarget: ` +
        `${upstream().url}\ntimeout_shutdown: 2s\nworkers: 1\n`,
    );
    const tw = startTenantwire(['--config', cfg]);
    await waitForHttp(`http://127.0.0.1:${port}/alive`);
    tw.process.kill('SIGTERM');
    await eventually(
      async () => expect((await fetch(`http://127.0.0.1:${port}/alive`).catch(() => undefined))?.status).toBe(503),
      {
        timeoutMs: 1_500,
        intervalMs: 10,
        message: '/alive to answer 503 while draining',
      },
    );
    expect(await tw.exited).toBe(0);
  });

  it('an unknown key is refused, naming the key and its line', async () => {
    const tw = startTenantwire(['--config', join(repoRoot, 'test/fixtures/cortex-tenant/unknown-key.yml')]);
    const code = await tw.exited;
    expect(code).not.toBe(0);
    expect(tw.output()).toMatch(/lable_remove/);
    expect(tw.output()).toMatch(/:7\b/);
  });

  it('workers: 2 processes share the port and /metrics counts every one of them', async () => {
    const port = await freePort();
    const cfg = join(tmp.path, 'workers.yml');
    writeFileSync(
      cfg,
      `listen: 127.0.0.1:${port}\nlisten_metrics_address: 127.0.0.1:0\ntarget: ${upstream().url}\nworkers: ` +
        `2\ntimeout_shutdown: 0s\n`,
    );
    const tw = startTenantwire(['--config', cfg]);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/alive`);
      upstream().received.length = 0;
      const answers = await Promise.all(Array.from({ length: 30 }, () => push(port, payload(['a', 'b']))));
      expect(answers.map((r) => r.status)).toEqual(Array(30).fill(204));
      expect(upstream().received).toHaveLength(60);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^cortex_tenant_timeseries_batches_received 30$/m);
    } finally {
      expect(await tw.stop()).toBe(0);
    }
  });
});

describe('tenantwire with no arguments (the embedded default)', () => {
  it('splits a request into ./data/<tenant>/, readable with tenantwire inspect', async () => {
    const port = await freePort();
    const cwd = tempDir('embedded');
    const tw = startTenantwire([], {
      cwd: cwd.path,
      env: { CT_LISTEN: `127.0.0.1:${port}`, CT_LISTEN_METRICS_ADDRESS: '127.0.0.1:0', TENANTWIRE_WORKERS: '1' },
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/alive`);
      const r = await push(port, payload(['team-a', 'team-b', 'team-a']));
      expect(r.status).toBe(204);
      const dirs = readdirSync(join(cwd.path, 'data')).sort();
      expect(dirs).toEqual(['team-a', 'team-b']);
      const file = join(cwd.path, 'data/team-a', readdirSync(join(cwd.path, 'data/team-a'))[0]!);
      const out = execFileSync(process.execPath, [join(repoRoot, 'dist/main.js'), 'inspect', file, '--json'], {
        encoding: 'utf8',
      });
      expect(JSON.parse(out).request.timeseries).toHaveLength(2);
    } finally {
      expect(await tw.stop()).toBe(0);
      cwd.remove();
    }
  });
});

describe('tenantwire inspect', () => {
  it('the built CLI is executable, so `npx tenantwire` runs it', () => {
    expect(statSync(join(repoRoot, 'dist/main.js')).mode & 0o111).not.toBe(0);
  });

  it('ends quietly with 0 when its reader stops reading (inspect ... | head)', async () => {
    const file = join(tmp.path, 'big.snappy');
    const many = Array.from({ length: 3_000 }, (_, i) => series({ __name__: `metric_${i}`, __tenant__: `t${i % 3}` }));
    writeFileSync(file, remoteWriteBody(many));
    const child = spawn(process.execPath, [join(repoRoot, 'dist/main.js'), 'inspect', file, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});

describe('tenantwire --config <pipeline file>', () => {
  it('is told apart by shape and runs receive_http -> remote_write', async () => {
    const port = await freePort();
    const cfg = join(tmp.path, 'pipeline.yaml');
    writeFileSync(cfg, receiveToRemoteWriteYaml({ port, url: upstream().url, batchSendDeadline: '100ms' }));
    const tw = startTenantwire(['--config', cfg]);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/alive`);
      upstream().received.length = 0;
      expect((await push(port, payload(['x', 'y']))).status).toBe(204);
      await eventually(
        () =>
          expect(
            upstream()
              .received.map((x) => x.tenant)
              .sort(),
          ).toEqual(['x', 'y']),
        {
          timeoutMs: 10_000,
          message: 'the upstream to receive tenants x and y',
        },
      );
    } finally {
      expect(await tw.stop()).toBe(0);
    }
  });
});
