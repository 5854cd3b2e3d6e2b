/**
 * deploy/grafana/tenantwire-dashboard.json, tested for real: a Debian Prometheus scrapes a
 * synchronous and a queue-mode tenantwire under a short load (one tenant accepted, one refused
 * with 400, one answered 503 so its queue fills), then every panel's query, with the template
 * variables substituted, is evaluated through Prometheus's HTTP API: it must parse and return data.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, repoRoot, type RunningPeer, startPeer, tempDir, waitForHttp } from '../helpers/peers.js';
import { type RecordingUpstream, startRecordingUpstream } from '../helpers/recording-upstream.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { type RunningProxyCli, startProxyCli } from '../helpers/tenantwire-process.js';

interface Target {
  expr: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  gridPos: { h: number; w: number; x: number; y: number };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: unknown }> };
}

const dashboard = JSON.parse(
  readFileSync(join(repoRoot, 'deploy/grafana/tenantwire-dashboard.json'), 'utf8'),
) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
/** The variables as Grafana substitutes them with "All" selected. */
const VARIABLES: Record<string, string> = { job: 'tenantwire', instance: '.*', tenant: '.*', __rate_interval: '20s' };
/** How every panel names its data source: the `datasource` variable. */
const DS_UID = '$' + '{datasource}';
const substitute = (expr: string) =>
  expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
    const value = VARIABLES[name];
    if (value === undefined) throw new Error(`unknown variable ${whole} in ${expr}`);
    return value;
  });

describe('the Grafana dashboard file', () => {
  it('is importable: a uid, a datasource variable every panel uses, unique ids, a query per panel', () => {
    expect(dashboard.uid).toBe('tenantwire');
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')).toMatchObject({
      type: 'datasource',
      query: 'prometheus',
    });
    const ids = dashboard.panels.flatMap((p) => [p.id, ...(p.panels ?? []).map((q) => q.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(panels.length).toBeGreaterThan(10);
    for (const p of panels) {
      expect(p.datasource?.uid, p.title).toBe(DS_UID);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource?.uid ?? DS_UID, p.title).toBe(DS_UID);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
    const titles = panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const topic of ['by code', 'by tenant', 'latency', 'dropped by reason', 'partial', 'memory', 'queue']) {
      expect(titles).toContain(topic);
    }
  });
});

describe('every panel query against a real Prometheus scraping tenantwire', () => {
  const dir = tempDir('dashboard');
  let upstream: RecordingUpstream;
  const proxies: RunningProxyCli[] = [];
  let prometheus: RunningPeer | undefined;
  let promPort = 0;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    // yellow answers after the 2 s timeout: a transport error.
    upstream.replies = {
      red: { status: 204 },
      green: { status: 400, body: 'out of order' },
      blue: { status: 503 },
      yellow: { status: 204, delayMs: 3_000 },
    };
    const quiet = [
      'log_level: error',
      'timeout_shutdown: 0s',
      'workers: 1',
      'metrics_include_tenant: true',
      'timeout: 2s',
    ];
    proxies.push(await startProxyCli(dir.path, upstream.url, [], quiet));
    proxies.push(
      await startProxyCli(
        dir.path,
        upstream.url,
        [
          `queue: { dir: ${join(dir.path, 'queue')}, max_disk_bytes: 64KiB, max_tenant_disk_bytes: 16KiB, min_backoff: 50ms, max_backoff: 200ms, batch_send_deadline: 100ms }`,
        ],
        quiet,
      ),
    );
    const metricsTargets = proxies.map((p) => {
      const cfg = readFileSync(join(dir.path, `cortex-tenant-${p.port}.yml`), 'utf8');
      return /listen_metrics_address: (\S+)/.exec(cfg)?.[1] ?? '';
    });
    promPort = await freePort();
    const config = join(dir.path, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: tenantwire',
        `    static_configs: [{ targets: [${metricsTargets.map((t) => `"${t}"`).join(', ')}] }]`,
        '',
      ].join('\n'),
    );
    prometheus = startPeer('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir.path, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    await waitForHttp(`http://127.0.0.1:${promPort}/-/ready`, prometheus);

    // A short, bounded load: 60 requests per instance, mixed tenants, over about 6 s.
    const bodies = [
      remoteWriteBody([series({ __name__: 'load', __tenant__: 'red', i: '1' })]),
      remoteWriteBody([
        series({ __name__: 'load', __tenant__: 'red', i: '2' }),
        series({ __name__: 'load', __tenant__: 'green', i: '2' }),
      ]),
      // blue's upstream answers 503: its queue grows past its 16 KiB share, and requests are refused.
      remoteWriteBody(
        Array.from({ length: 50 }, (_, i) =>
          series({ __name__: 'load', __tenant__: 'blue', i: String(i), pad: randomBytes(60).toString('hex') }),
        ),
      ),
    ];
    const post = async (port: number, body: Uint8Array) => {
      const answer = await fetch(`http://127.0.0.1:${port}/api/v1/write`, {
        method: 'POST',
        body,
        headers: { 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf' },
        signal: AbortSignal.timeout(10_000),
      });
      await answer.body?.cancel();
    };
    const slow = proxies.map((p) =>
      post(p.port, remoteWriteBody([series({ __name__: 'load', __tenant__: 'yellow' })])),
    );
    for (let round = 0; round < 60; round++) {
      await Promise.all(proxies.map((p) => post(p.port, bodies[round % bodies.length] as Uint8Array)));
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(slow);
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const p of proxies) await p.tw.stop(10_000);
    await upstream?.close();
    dir.remove();
  }, 60_000);

  async function query(expr: string): Promise<{ status: string; error?: string; data?: { result: unknown[] } }> {
    const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await r.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  }

  it('scrapes both instances', async () => {
    await eventually(
      async () => {
        const up = await query('sum(up{job="tenantwire"})');
        expect(up.data?.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '2'] })]);
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
  }, 30_000);

  it.each(panels.flatMap((p) => (p.targets ?? []).map((t, i) => [`${p.title} #${i + 1}`, t.expr] as const)))(
    '%s: parses and returns data',
    async (_title, expr) => {
      const promql = substitute(expr);
      await eventually(
        async () => {
          const answer = await query(promql);
          expect(answer.status, `${promql}: ${answer.error}`).toBe('success');
          expect(answer.data?.result.length, promql).toBeGreaterThan(0);
        },
        { timeoutMs: 20_000, intervalMs: 500, message: `${promql} to return data` },
      );
    },
    30_000,
  );

  it("the variables' own queries return values", async () => {
    for (const v of dashboard.templating.list) {
      if (v.type !== 'query') continue;
      const m = /^label_values\((.+), (\w+)\)$/.exec((v.query as { query: string }).query);
      expect(m, v.name).not.toBeNull();
      const r = await query(substitute(m?.[1] ?? ''));
      const values = ((r.data?.result ?? []) as Array<{ metric: Record<string, string> }>).map(
        (s) => s.metric[m?.[2] ?? ''],
      );
      expect(values.filter((x) => x !== undefined && x !== '').length, v.name).toBeGreaterThan(0);
    }
  });
});
