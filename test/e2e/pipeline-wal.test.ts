/**
 * A pipeline whose remote_write has `wal`, as real processes: every push answered 2xx is on
 * disk, so it survives SIGKILL (several crashes in a row), SIGTERM past the flush deadline, and
 * a reload that changes the endpoint while the receiver is down. Figures per crash cycle are
 * printed (acknowledged, delivered, lost, duplicates).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { rawConnection, seriesBody } from '../helpers/fault-tools.js';
import { freePort, tempDir, waitForHttp } from '../helpers/peers.js';
import { decodeBody } from '../helpers/series.js';
import { startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import type { UpstreamReply } from '../helpers/recording-upstream.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('tenantwire-pipeline-wal-');
const running: TenantwireProcess[] = [];

afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(5_000);
  upstream().replies = {};
  upstream().validate = undefined;
  upstream().received.length = 0;
});
afterAll(() => tmp.remove());

interface Pipeline {
  readonly file: string;
  readonly port: number;
  readonly walDir: string;
}

let files = 0;

async function pipelineFile(endpointLines: readonly string[] = [], url = upstream().url): Promise<Pipeline> {
  const port = await freePort();
  const n = ++files;
  const file = join(tmp.path, `pipeline-${n}.yaml`);
  const walDir = join(tmp.path, `wal-${n}`);
  writePipeline({ file, port, walDir }, endpointLines, url);
  return { file, port, walDir };
}

function writePipeline(p: Pipeline, endpointLines: readonly string[], url = upstream().url): void {
  writeFileSync(
    p.file,
    [
      'prometheus.receive_http:',
      '  ingest:',
      `    listen: 127.0.0.1:${p.port}`,
      '    forward_to: [prometheus.remote_write.out.receiver]',
      'prometheus.remote_write:',
      '  out:',
      '    endpoint:',
      `      - url: ${url}`,
      '        name: cortex',
      '        tenant: { label: __tenant__ }',
      ...endpointLines,
      '    queue_config: { batch_send_deadline: 50ms, min_backoff: 20ms, max_backoff: 200ms, max_samples_per_send: 50 }',
      `    wal: { dir: ${p.walDir} }`,
      '',
    ].join('\n'),
  );
}

async function start(p: Pipeline, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<TenantwireProcess> {
  const tw = startTenantwire(['--config', p.file, ...args], { env: { TENANTWIRE_LOG_LEVEL: 'info', ...env } });
  running.push(tw);
  await waitForHttp(`http://127.0.0.1:${p.port}/-/ready`, undefined, 20_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${tw.output()}`);
  });
  return tw;
}

/** Ids the upstream answered 2xx for, with how many times; the reply is chosen per tenant by `reply`. */
function countDelivered(reply: () => (tenant: string) => UpstreamReply): Map<string, number> {
  const got = new Map<string, number>();
  upstream().validate = (body) => {
    const ts = decodeBody(body).timeseries;
    const tenant = ts[0]?.labels.find((l) => l.name === '__tenant__')?.value ?? '';
    const r = reply()(tenant);
    if (r.status >= 200 && r.status < 300) {
      for (const s of ts) {
        const id = s.labels.find((l) => l.name === 'id')?.value ?? '';
        got.set(id, (got.get(id) ?? 0) + 1);
      }
    }
    return r;
  };
  return got;
}

/**
 * `connections` senders, `perConnection` requests of one unique series each (tenant `t<c % 3>`),
 * reconnecting after a broken connection; `onAck` sees each 2xx count.
 */
async function load(
  port: number,
  prefix: string,
  connections: number,
  perConnection: number,
  onAck: (acked: number) => void = () => undefined,
): Promise<Set<string>> {
  const acked = new Set<string>();
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      let conn = await rawConnection(port).catch(() => undefined);
      for (let i = 0; i < perConnection; i++) {
        const id = `${prefix}-c${c}-r${i}`;
        if (!conn || conn.isClosed()) conn = await rawConnection(port).catch(() => undefined);
        if (!conn) continue;
        let a: { status: number };
        try {
          a = await conn.post('/api/v1/push', seriesBody([id], `t${c % 3}`));
        } catch {
          // cut before its answer: not acknowledged
          continue;
        }
        if (a.status >= 200 && a.status < 300) {
          acked.add(id);
          onAck(acked.size);
        } else expect(a.status, `push ${id}`).toBe(503);
      }
      conn?.close();
    }),
  );
  return acked;
}

const missing = (acked: Iterable<string>, got: Map<string, number>) => [...acked].filter((id) => !got.has(id));

describe('a pipeline with wal', () => {
  it('loses nothing acknowledged across SIGKILLs in a row (slow and failing receiver)', async () => {
    const p = await pipelineFile();
    let healthy = false;
    // t0 slow, t1 failing, t2 fine, until the receiver is made healthy.
    const faulty = (tenant: string): UpstreamReply =>
      tenant === 't0' ? { status: 204, delayMs: 40 } : tenant === 't1' ? { status: 503 } : { status: 204 };
    const got = countDelivered(() => (healthy ? () => ({ status: 204 }) : faulty));
    let tw = await start(p);
    const allAcked = new Set<string>();
    const figures: string[] = [];
    for (let cycle = 1; cycle <= 3; cycle++) {
      healthy = false;
      let killed = false;
      const acked = await load(p.port, `k${cycle}`, 6, 40, (n) => {
        if (n === 120 && !killed) {
          killed = true;
          tw.process.kill('SIGKILL');
        }
      });
      expect(killed).toBe(true);
      expect(await tw.exited).toBeNull();
      for (const id of acked) allAcked.add(id);
      healthy = true;
      tw = await start(p);
      await eventually(() => missing(allAcked, got).length === 0, {
        timeoutMs: 30_000,
        message: `cycle ${cycle}: every acknowledged id delivered`,
      });
      const dup = [...acked].filter((id) => (got.get(id) ?? 0) > 1).length;
      const line = `cycle ${cycle}: acknowledged ${acked.size}, delivered ${acked.size - missing(acked, got).length}, lost ${missing(acked, got).length}, duplicates ${dup}`;
      figures.push(line);
      console.log(`[pipeline-wal] ${line}`);
    }
    expect(missing(allAcked, got)).toEqual([]);
    expect(await tw.stop()).toBe(0);
    expect(figures).toHaveLength(3);
  });

  it('SIGTERM: exits 0 within the flush deadline, keeps what was not delivered for the next start', async () => {
    const p = await pipelineFile();
    let healthy = false;
    const got = countDelivered(() => (healthy ? () => ({ status: 204 }) : () => ({ status: 503 })));
    const tw = await start(p, { TENANTWIRE_FLUSH_DEADLINE: '1s' });
    const acked = await load(p.port, 'term', 3, 10);
    expect(acked.size).toBe(30);
    await eventually(() => upstream().received.length > 0);
    const t0 = Date.now();
    tw.process.kill('SIGTERM');
    expect(await tw.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(1_000 + 8_000);
    console.log(`[pipeline-wal] SIGTERM with a flush deadline of 1s: exited 0 after ${Date.now() - t0} ms`);
    expect(got.size).toBe(0);
    expect(existsSync(join(p.walDir, 'cortex', 'LOCK')), 'the lock is released').toBe(false);
    expect(tw.output()).toMatch(/"records":\d+,"msg":"undelivered records kept in the wal for the next start"/);
    expect(tw.output()).not.toMatch(/unhandled|Warning/i);
    healthy = true;
    const next = await start(p);
    await eventually(() => missing(acked, got).length === 0, { timeoutMs: 15_000, message: 'the rest delivered' });
    expect(await next.stop()).toBe(0);
  });

  it('SIGHUP with a changed endpoint while the receiver is down loses nothing once it is back', async () => {
    const p = await pipelineFile();
    let healthy = false;
    const got = countDelivered(() => (healthy ? () => ({ status: 204 }) : () => ({ status: 503 })));
    const tw = await start(p);
    const before = await load(p.port, 'pre', 3, 10);
    await eventually(() => upstream().received.length > 0);
    const reloads = () => tw.output().match(/"msg":"pipeline reloaded"/g)?.length ?? 0;
    writePipeline(p, ['        remote_timeout: 7s']);
    tw.process.kill('SIGHUP');
    // Pushes go on through the reload.
    const during = await load(p.port, 'mid', 3, 10);
    await eventually(() => reloads() === 1, { timeoutMs: 10_000, message: 'the reload' });
    const after = await load(p.port, 'post', 3, 5);
    expect(before.size + during.size + after.size).toBe(75);
    healthy = true;
    await eventually(() => missing([...before, ...during, ...after], got).length === 0, {
      timeoutMs: 15_000,
      message: 'everything acknowledged delivered',
    });
    expect(tw.output()).not.toMatch(/reload refused/);
    expect(await tw.stop()).toBe(0);
    // One directory per endpoint name, one per tenant inside.
    expect(readdirSync(p.walDir)).toEqual(['cortex']);
    expect(readdirSync(join(p.walDir, 'cortex', 'tenants')).sort()).toEqual(['t0', 't1', 't2']);
  });

  it('/metrics shows the queue metrics per tenant, with two wal components and across a reload', async () => {
    const port = await freePort();
    const file = join(tmp.path, `pipeline-metrics-${port}.yaml`);
    const write = (timeout: string) =>
      writeFileSync(
        file,
        [
          'prometheus.receive_http:',
          '  ingest:',
          `    listen: 127.0.0.1:${port}`,
          '    forward_to: [prometheus.remote_write.a.receiver, prometheus.remote_write.b.receiver]',
          'prometheus.remote_write:',
          ...['a', 'b'].flatMap((c) => [
            `  ${c}:`,
            '    endpoint:',
            `      - url: ${upstream().url}`,
            `        name: ${c}1`,
            '        tenant: { label: __tenant__ }',
            `        remote_timeout: ${timeout}`,
            `      - url: ${upstream().url}`,
            `        name: ${c}2`,
            '    queue_config: { batch_send_deadline: 50ms }',
            `    wal: { dir: ${join(tmp.path, `wal-metrics-${port}`)} }`,
          ]),
          '',
        ].join('\n'),
      );
    write('5s');
    const tw = await start({ file, port, walDir: '' });
    const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const sendOne = async (id: string) => expect((await load(port, id, 1, 1)).size).toBe(1);
    await sendOne('m1');
    await eventually(async () =>
      expect(await metrics()).toMatch(/tenantwire_queue_requests_total\{[^}]*remote_name="b1"/),
    );
    tw.process.kill('SIGHUP');
    await eventually(() => expect(tw.output()).toMatch(/pipeline reloaded/), { timeoutMs: 10_000 });
    write('6s');
    tw.process.kill('SIGHUP');
    await eventually(() => expect(tw.output().match(/pipeline reloaded/g)).toHaveLength(2), { timeoutMs: 10_000 });
    await sendOne('m2');
    await eventually(async () => {
      const text = await metrics();
      for (const name of ['a1', 'a2', 'b1', 'b2']) {
        expect(text).toMatch(new RegExp(`prometheus_remote_storage_samples_total\\{remote_name="${name}"[^}]*\\} 2`));
      }
      // samples_total counts a send when it starts; the log's pending count drops at its ack.
      expect(text).toMatch(/tenantwire_queue_pending_records\{remote_name="a1",url="[^"]+",tenant="t0"\} 0/);
      expect(text).toMatch(/tenantwire_queue_pending_records\{remote_name="a2",url="[^"]+",tenant=""\} 0/);
    });
    const text = await metrics();
    for (const family of [
      'tenantwire_queue_fsync_duration_seconds',
      'tenantwire_queue_replayed_records_total',
      'tenantwire_queue_oldest_record_age_seconds',
      'prometheus_remote_storage_samples_pending',
    ]) {
      expect(text.match(new RegExp(`^# TYPE ${family} `, 'gm'))).toHaveLength(1);
    }
    expect(tw.output()).not.toMatch(/already been registered|reload refused/);
    expect(await tw.stop()).toBe(0);
  });

  it('a second process on the same wal directory is refused naming it; a killed one is taken over', async () => {
    const p = await pipelineFile();
    const first = await start(p);
    const other = { ...p, file: join(tmp.path, `pipeline-other-${p.port}.yaml`), port: await freePort() };
    writePipeline(other, []);
    const second = startTenantwire(['--config', other.file]);
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`${join(p.walDir, 'cortex')} is already used by process ${first.process.pid}`);
    first.process.kill('SIGKILL');
    await first.exited;
    const third = await start(other);
    expect((await load(other.port, 'lock', 1, 1)).size).toBe(1);
    expect(await third.stop()).toBe(0);
  });
});
