/**
 * The CLI as users run it (`node dist/main.js`): exit codes, what stderr says, what the logs
 * look like, the embedded default's listeners and data_dir, inspect over several files and the
 * alerting sync interval.
 */
import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, repoRoot, tempDir, waitForHttp } from '../helpers/peers.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { startTenantwire } from '../helpers/tenantwire-process.js';

const tmp = tempDir('cli-process');
afterAll(() => tmp.remove());
const main = join(repoRoot, 'dist/main.js');

/** A command that ends by itself: exit code, stdout, stderr. */
function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = tmp.path) {
  const r = spawnSync(process.execPath, [main, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const body = (n: number) =>
  remoteWriteBody(Array.from({ length: n }, (_, i) => series({ __name__: `m${i}`, __tenant__: 't' })));

/** Waits on `check`; on timeout the error carries the process's output. */
async function until(what: string, check: () => boolean, output: () => string, ms = 15_000): Promise<void> {
  await eventually(check, { timeoutMs: ms, message: what }).catch((e: Error) => {
    throw new Error(`${e.message}\n${output()}`);
  });
}

describe('usage', () => {
  it.each([[[]], [['inspect']], [['alerting', 'render']], [['alerting', 'sync']], [['alerting']]])(
    '%j --help: exit 0 with that usage',
    (cmd) => {
      const r = run([...cmd, '--help']);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/usage/);
      expect(r.out).toContain(cmd[0] === undefined ? 'tenantwire --config FILE' : `tenantwire ${cmd.join(' ')}`);
      expect(run([...cmd, '--version']).out).toMatch(/^tenantwire \d+\.\d+\.\d+/);
    },
  );

  it('the top-level help lists the environment variables', () => {
    const out = run(['--help']).out;
    for (const v of [
      'CT_LISTEN',
      'CT_TENANT_LABEL_LIST',
      'CT_MAX_CONN_DURATION',
      'TENANTWIRE_WORKERS',
      'TENANTWIRE_DATA_DIR',
    ])
      expect(out).toMatch(new RegExp(`^  ${v} `, 'm'));
  });

  it.each([
    [['--bogus'], 'tenantwire: unknown option --bogus'],
    [['inspect', 'x', '--bogus'], 'tenantwire inspect: unknown option --bogus'],
    [['alerting', 'sync', '--bogus'], 'tenantwire alerting sync: unknown option --bogus'],
    [['alerting', 'render', '--model'], 'tenantwire alerting render: --model needs a value'],
    [['--log-level', 'bogus'], 'tenantwire: --log-level: unknown level "bogus"'],
    [
      ['alerting', 'sync', '--model', 'm', '--cortex', 'http://x', '--interval', '30'],
      'tenantwire alerting sync: --interval: expected a duration',
    ],
    [
      ['alerting', 'sync', '--model', 'm', '--cortex', 'http://x', '--resync-interval', 'often'],
      'tenantwire alerting sync: --resync-interval: ',
    ],
    [
      ['alerting', 'sync', '--model', 'm', '--cortex', 'http://x', '--log-level', 'loud'],
      'tenantwire alerting sync: --log-level: ',
    ],
  ])('%j: exit 2, one line naming it, then the usage', (args, first) => {
    const r = run(args);
    expect(r.code).toBe(2);
    const [line, ...rest] = r.err.split('\n');
    expect(line?.startsWith(first), r.err).toBe(true);
    expect(rest.join('\n')).toMatch(/usage/);
  });
});

describe('failing to start', () => {
  const unknownKey = join(repoRoot, 'test/fixtures/cortex-tenant/unknown-key.yml');

  it.each([[['-config', unknownKey]], [[`-config=${unknownKey}`]], [['--config.file', unknownKey]]])(
    '%j reads the file; a bad config is one stderr line, a log line, exit 2',
    (args) => {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^tenantwire: .*unknown-key\.yml:7: tenant\.lable_remove: unknown key/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(r.out.trim().split('\n').pop() ?? '')).toMatchObject({
        level: 'error',
        msg: 'failed to start',
      });
    },
  );

  it('an unreadable config file: exit 2 naming it', () => {
    const r = run(['--config', join(tmp.path, 'missing.yml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tenantwire: cannot read .*missing\.yml: ENOENT/);
  });

  it('a port in use: exit 1, naming the address', async () => {
    const holder = createNetServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    try {
      const cfg = join(tmp.path, 'busy.yml');
      writeFileSync(
        cfg,
        `listen: 127.0.0.1:${port}\nlisten_metrics_address: 127.0.0.1:0\ntarget: dir://${tmp.path}/busy\nworkers: 1\n`,
      );
      const tw = startTenantwire(['--config', cfg]);
      const code = await tw.exited;
      expect(code).toBe(1);
      expect(tw.output()).toMatch(
        new RegExp(`^tenantwire: cannot listen on 127\\.0\\.0\\.1:${port}: address already in use`, 'm'),
      );
      expect(tw.output()).toMatch(/"level":"error".*"msg":"failed to start"/);
    } finally {
      holder.close();
    }
  });
});

describe('logs', () => {
  it("name their level and log the effective config in the file's own keys, the password redacted", async () => {
    const port = await freePort();
    const cfg = join(tmp.path, 'logs.yml');
    writeFileSync(
      cfg,
      [
        `listen: 127.0.0.1:${port}`,
        'listen_metrics_address: 127.0.0.1:0',
        `target: dir://${tmp.path}/logs`,
        'log_level: info',
        'workers: 1',
        'timeout: 1m30s',
        'auth:',
        '  egress:',
        '    username: foo',
        '    password: hunter2',
        '',
      ].join('\n'),
    );
    const tw = startTenantwire(['--config', cfg]);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/alive`);
      const line =
        tw
          .output()
          .split('\n')
          .find((l) => l.includes('effective configuration')) ?? '';
      const entry = JSON.parse(line) as { level: string; version: string; config: Record<string, unknown> };
      expect(entry.level).toBe('info');
      expect(entry.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(entry.config).toMatchObject({
        listen: `127.0.0.1:${port}`,
        listen_metrics_address: '127.0.0.1:0',
        timeout: '1m30s',
        log_level: 'info',
        auth: { egress: { username: 'foo', password: '<redacted>' } },
        tenant: { header: 'X-Scope-OrgID' },
      });
      expect(line).not.toMatch(/"[a-z]+[A-Z][a-zA-Z]*":/);
      expect(tw.output()).not.toContain('hunter2');
      expect(tw.output()).not.toMatch(/"level":\d/);
    } finally {
      expect(await tw.stop()).toBe(0);
    }
  });
});

describe('the embedded default', () => {
  it('writes under TENANTWIRE_DATA_DIR, serves /metrics on its one listener, logs at CT_LOG_LEVEL', async () => {
    const port = await freePort();
    const cwd = tempDir('embedded-data-dir');
    const tw = startTenantwire([], {
      cwd: cwd.path,
      env: {
        CT_LISTEN: `127.0.0.1:${port}`,
        CT_LISTEN_METRICS_ADDRESS: '',
        TENANTWIRE_DATA_DIR: 'store',
        CT_LOG_LEVEL: 'warn',
        TENANTWIRE_WORKERS: '1',
      },
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/alive`);
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/write`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
        body: body(2),
      });
      expect(r.status).toBe(204);
      expect(readdirSync(join(cwd.path, 'store'))).toEqual(['t']);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/cortex_tenant_timeseries_batches_received 1/);
      // No second listener: nothing tried 9090 (busy: a warning; free: bound and logged at info).
      const own = await fetch('http://127.0.0.1:9090/metrics').then(
        (x) => x.text(),
        () => '',
      );
      expect(own).not.toMatch(/cortex_tenant_timeseries_batches_received 1/);
      expect(tw.output()).not.toMatch(/listen_metrics_address/);
      // CT_LOG_LEVEL=warn: the info lines (the effective configuration) are gone.
      expect(tw.output()).not.toMatch(/effective configuration/);
    } finally {
      expect(await tw.stop()).toBe(0);
      cwd.remove();
    }
  });
});

describe('tenantwire inspect FILE...', () => {
  it('prints each file headed by its name, or one JSON document per file', () => {
    const a = join(tmp.path, 'a.snappy');
    const b = join(tmp.path, 'b.snappy');
    writeFileSync(a, body(1));
    writeFileSync(b, body(3));
    const text = run(['inspect', a, b]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(new RegExp(`==> ${a} <==\\n[^=]*series: +1\\n[\\s\\S]*==> ${b} <==\\n[^=]*series: +3\\n`));
    const json = run(['inspect', a, b, '--json']);
    const docs = json.out
      .split(/^(?=\{)/m)
      .map((d) => JSON.parse(d) as { file: string; request: { timeseries: unknown[] } });
    expect(docs.map((d) => [d.file, d.request.timeseries.length])).toEqual([
      [a, 1],
      [b, 3],
    ]);
  });

  it('a bad file among several: the others are printed, exit 1', () => {
    const a = join(tmp.path, 'good.snappy');
    writeFileSync(a, body(1));
    const r = run(['inspect', join(tmp.path, 'nope.snappy'), a]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read .*nope\.snappy/);
    expect(r.out).toContain(`==> ${a} <==`);
  });
});

describe('tenantwire alerting sync', () => {
  it('--interval 200ms: reconciles 200ms apart (not every millisecond), logging each outcome', async () => {
    const arrivals: number[] = [];
    const cortex = createHttpServer((req, res) => {
      arrivals.push(Date.now());
      req.resume();
      res.writeHead(400, { 'content-type': 'text/plain' }).end('refused by the test\n');
    });
    await new Promise<void>((r) => cortex.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(cortex.address() as { port: number }).port}`;
    const model = join(repoRoot, 'test/fixtures/alerting/small-model.yaml');
    const tw = startTenantwire(['alerting', 'sync', '--model', model, '--cortex', url, '--interval', '200ms']);
    try {
      const reconciles = () =>
        tw
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"alerting reconcile'));
      await until('three reconciles', () => reconciles().length >= 3, tw.output);
      const times = reconciles().map((l) => (JSON.parse(l) as { time: number }).time);
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(190);
      const first = JSON.parse(reconciles()[0] ?? '') as {
        level: string;
        failed: { cluster: string; reason: string }[];
      };
      expect(first.level).toBe('warn');
      expect(first.failed.map((f) => f.cluster).sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
      expect(first.failed[0]?.reason).toMatch(/400/);
      expect(arrivals.length).toBeLessThan(100);
    } finally {
      expect(await tw.stop()).toBe(0);
      cortex.close();
    }
  });
});
