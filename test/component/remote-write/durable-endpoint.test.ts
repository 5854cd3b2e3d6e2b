/**
 * `prometheus.remote_write` with `wal`, in process against a real HTTP receiver: what is pushed
 * is on disk when the push resolves, delivered per tenant (with or without a tenant header),
 * in either protocol, after 5xx answers, across a component that was never stopped, and across
 * update() (a changed endpoint hands its directory over; an unchanged one is kept as it is).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remoteWriteArgsSchema } from '../../../src/component/remote-write/arguments.js';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteWrite, type RemoteWriteComponent } from '../../../src/component/remote-write/component.js';
import type { RemoteWriteArgsInput } from '../../../src/component/remote-write/arguments.js';
import { decodeRequestV2 } from '../../../src/wire/decode-v2.js';
import { snappyDecompress } from '../../../src/wire/snappy.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/peers.js';
import { decodeBody, series } from '../../helpers/series.js';
import { useRecordingUpstream } from '../../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('tenantwire-durable-endpoint-');
let dirs = 0;
const running: { c: RemoteWriteComponent; ac: AbortController; done: Promise<void> }[] = [];

/** While true the receiver answers 503; a body is delivered once it was answered 204. */
let failing = false;
const accepted = new WeakSet<Buffer>();
beforeEach(() => {
  upstream().validate = (body) => {
    if (failing) return { status: 503 };
    accepted.add(body);
    return undefined;
  };
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.ac.abort();
    await r.done.catch(() => undefined);
  }
  failing = false;
  upstream().validate = undefined;
  upstream().received.length = 0;
});
afterAll(() => tmp.remove());

const newDir = () => join(tmp.path, `wal-${++dirs}`);

function make(args: RemoteWriteArgsInput, registry = new Registry()): RemoteWriteComponent {
  return createRemoteWrite(args, { registry, flushDeadlineMs: 2_000 });
}

function run(c: RemoteWriteComponent): Promise<void> {
  const ac = new AbortController();
  const done = c.run(ac.signal);
  running.push({ c, ac, done });
  return done;
}

const args = (dir: string, endpoint: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  ({
    endpoint: [{ url: upstream().url, name: 'cortex', ...endpoint }],
    queue_config: { batch_send_deadline: '20ms', min_backoff: '10ms', max_backoff: '50ms' },
    wal: { dir },
    ...extra,
  }) as RemoteWriteArgsInput;

const withTenant = { tenant: { label: 'tenant', label_remove: true } };

const idsOf = (tenant: string, ...ids: string[]) => ids.map((id) => series({ __name__: 'm', tenant, id }));

/** id -> the tenant header values it arrived with (1.0 bodies). */
function deliveredV1(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of upstream().received) {
    if (r.body.length === 0 || !accepted.has(r.body)) continue;
    for (const s of decodeBody(r.body).timeseries) {
      const id = s.labels.find((l) => l.name === 'id')?.value ?? '';
      out.set(id, [...(out.get(id) ?? []), r.tenant]);
    }
  }
  return out;
}

const has = (...ids: string[]) => {
  const got = deliveredV1();
  return ids.every((id) => got.has(id));
};

async function counter(registry: Registry, name: string): Promise<number> {
  const m = registry.getSingleMetric(name);
  return ((await m?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);
}

describe('prometheus.remote_write with wal', () => {
  it('delivers each tenant with its X-Scope-OrgID header, the tenant label removed', async () => {
    const c = make(args(newDir(), withTenant));
    void run(c);
    await c.exports.receiver.append([...idsOf('a', 'a1', 'a2'), ...idsOf('b', 'b1')]);
    await eventually(() => has('a1', 'a2', 'b1'), { message: 'a1, a2 and b1 to arrive' });
    const got = deliveredV1();
    expect(got.get('a1')).toEqual(['a']);
    expect(got.get('a2')).toEqual(['a']);
    expect(got.get('b1')).toEqual(['b']);
    for (const r of upstream().received) {
      for (const s of decodeBody(r.body).timeseries) expect(s.labels.map((l) => l.name)).not.toContain('tenant');
    }
  });

  it('sends no tenant header at all without a tenant rule', async () => {
    const c = make(args(newDir()));
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'n1'));
    await eventually(() => has('n1'));
    for (const r of upstream().received) expect(r.headers['x-scope-orgid']).toBeUndefined();
    // The tenant label is data here: no rule means nothing is removed.
    expect(decodeBody(upstream().received[0]!.body).timeseries[0]!.labels.map((l) => l.name)).toContain('tenant');
  });

  it('sends remote-write 2.0 to a 2.0 endpoint, external_labels applied', async () => {
    const c = make(args(newDir(), { ...withTenant, protocol: '2.0' }, { external_labels: { cluster: 'eu-1' } }));
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'v2-1'));
    const r = await eventually(() => upstream().received.find((x) => x.body.length > 0) ?? false);
    expect(r.headers['x-prometheus-remote-write-version']).toMatch(/^2\./);
    expect(r.headers['content-type']).toMatch(/io\.prometheus\.write\.v2\.Request/);
    expect(r.tenant).toBe('a');
    const req = decodeRequestV2(snappyDecompress(r.body, { maxDecodedBytes: 1 << 24 }));
    const names = req.timeseries[0]!.labelsRefs.map((ref, i) => (i % 2 === 0 ? req.symbols[ref] : undefined));
    expect(names).toContain('cluster');
    expect(req.symbols).toContain('eu-1');
    expect(req.symbols).toContain('v2-1');
  });

  it('applies external_labels to 1.0 too', async () => {
    const c = make(args(newDir(), withTenant, { external_labels: { cluster: 'eu-1' } }));
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'x1'));
    await eventually(() => has('x1'));
    const s = decodeBody(upstream().received[0]!.body).timeseries[0]!;
    expect(s.labels).toContainEqual({ name: 'cluster', value: 'eu-1' });
  });

  it('retries a receiver answering 503 until it answers 204', async () => {
    failing = true;
    const c = make(args(newDir(), withTenant));
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'r1'));
    await eventually(() => upstream().received.length >= 2, { message: 'two attempts' });
    failing = false;
    const before = upstream().received.length;
    await eventually(() => upstream().received.length > before);
    await eventually(() => has('r1'));
  });

  it('retries without a tenant rule too (tenant "" has its own delivery)', async () => {
    failing = true;
    const c = make(args(newDir()));
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'nr1'));
    await eventually(() => upstream().received.length >= 3, { message: 'three attempts' });
    failing = false;
    await eventually(() => has('nr1'));
  });

  it('resolves a push only once it is on disk: a copy of the directory taken then delivers it', async () => {
    const dir = newDir();
    // Never run, never stopped: like a process killed right after it answered.
    const first = make(args(dir, withTenant));
    await first.exports.receiver.append([...idsOf('a', 'd1'), ...idsOf('b', 'd2')]);
    expect(upstream().received).toHaveLength(0);
    const copy = newDir();
    cpSync(dir, copy, { recursive: true });
    const second = make(args(copy, withTenant));
    void run(second);
    await eventually(() => has('d1', 'd2'), { message: 'the second component to deliver d1 and d2' });
    expect(deliveredV1().get('d2')).toEqual(['b']);
  });

  it('fails run() naming the path when the directory cannot be used', async () => {
    const file = join(tmp.path, `not-a-dir-${++dirs}`);
    writeFileSync(file, 'x');
    const c = make(args(file));
    await expect(run(c)).rejects.toThrow(file);
  });

  it('update() with a changed endpoint: the new one delivers what the old one held, nothing lost', async () => {
    failing = true;
    const dir = newDir();
    const registry = new Registry();
    const c = make(args(dir, withTenant), registry);
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'u1', 'u2'));
    await eventually(() => upstream().received.length > 0);
    // Pushes while the update runs must wait for it, not be acknowledged into nothing.
    const updating = c.update(args(dir, { ...withTenant, remote_timeout: '7s' }));
    const during = Array.from({ length: 20 }, (_, i) => c.exports.receiver.append(idsOf('b', `w${i}`)));
    await updating;
    const results = await Promise.allSettled(during);
    const acked = results.flatMap((r, i) => (r.status === 'fulfilled' ? [`w${i}`] : []));
    await c.exports.receiver.append(idsOf('a', 'u3'));
    failing = false;
    await eventually(() => has('u1', 'u2', 'u3', ...acked), { timeoutMs: 10_000, message: 'everything acked' });
    expect(acked).toHaveLength(20);
    expect(await counter(registry, 'tenantwire_queue_replayed_records_total')).toBeGreaterThan(0);
  });

  it('update() without a change keeps the same endpoint: the log is not reopened', async () => {
    failing = true;
    const dir = newDir();
    const registry = new Registry();
    const c = make(args(dir, withTenant), registry);
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'k1'));
    await eventually(() => upstream().received.length > 0);
    await c.update(args(dir, withTenant));
    expect(await counter(registry, 'tenantwire_queue_replayed_records_total')).toBe(0);
    failing = false;
    await eventually(() => has('k1'));
  });

  it('labels the metrics with the URL without its user info', async () => {
    const registry = new Registry();
    const url = upstream().url.replace('http://', 'http://user:secret@');
    const c = make(args(newDir(), { url, ...withTenant }), registry);
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'l1'));
    await eventually(() => has('l1'));
    const text = await registry.metrics();
    expect(text).toMatch(/tenantwire_queue_requests_total\{[^}]*tenant="a"/);
    expect(text).not.toContain('secret');
  });

  it('refuses two endpoints of one name (one log directory) with wal, naming the second', () => {
    const r = remoteWriteArgsSchema.safeParse({
      endpoint: [{ url: 'http://a.invalid/push' }, { url: 'http://a.invalid/push' }],
      wal: { dir: '/w' },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['endpoint', 1, 'name']);
    expect(r.error?.issues[0]?.message).toMatch(/own name/);
    // Without wal nothing is shared: allowed.
    expect(
      remoteWriteArgsSchema.safeParse({
        endpoint: [{ url: 'http://a.invalid/push' }, { url: 'http://a.invalid/push' }],
      }).success,
    ).toBe(true);
  });

  it('refuses a second running component on the same log directory, naming it', async () => {
    const dir = newDir();
    void run(make(args(dir)));
    await expect(run(make(args(dir)))).rejects.toThrow(join(dir, 'cortex'));
  });

  it('update() renaming an endpoint retires the old one: it flushes its log, the new name gets its own', async () => {
    const dir = newDir();
    const c = make(args(dir, withTenant));
    void run(c);
    failing = true;
    await c.exports.receiver.append(idsOf('a', 'o1'));
    await eventually(() => upstream().received.length > 0);
    await c.update(args(dir, { ...withTenant, name: 'renamed' }));
    await c.exports.receiver.append(idsOf('a', 'o2'));
    failing = false;
    // o1 is sent by the retiring endpoint within the flush deadline, o2 by the new one.
    await eventually(() => has('o1', 'o2'), { message: 'o1 and o2' });
    expect(existsSync(join(dir, 'renamed'))).toBe(true);
  });

  it('max_tenants bounds the tenants with undelivered data: past it 400 (TenantError), after delivery welcome', async () => {
    failing = true;
    const c = make(args(newDir(), { ...withTenant, max_tenants: 2 }));
    void run(c);
    await c.exports.receiver.append([...idsOf('a', 'mt1'), ...idsOf('b', 'mt2')]);
    const e = await c.exports.receiver.append(idsOf('c', 'mt3')).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect((e as { code?: string }).code).toBe('too_many_tenants');
    expect((e as Error).message).toMatch(/cortex .* 3 tenants, more than max_tenants \(2\)/);
    // Tenants that already wait are still welcome.
    await c.exports.receiver.append(idsOf('a', 'mt4'));
    failing = false;
    await eventually(() => has('mt1', 'mt2', 'mt4'));
    await eventually(() => c.exports.receiver.append(idsOf('c', 'mt3')), {
      message: 'c admitted once a and b drained',
    });
    await eventually(() => has('mt3'));
  });

  it('refuses a push past max_disk_bytes with queue_full (503 + Retry-After at the receiver), all or none', async () => {
    failing = true;
    const small = make({ ...args(newDir(), withTenant), wal: { dir: newDir(), max_disk_bytes: 4096 } });
    void run(small);
    // Random label values: snappy cannot shrink them below the bound.
    const big = Array.from({ length: 200 }, (_, i) =>
      series({ __name__: 'm', tenant: 'a', id: `big-${i}`, pad: randomBytes(24).toString('hex') }),
    );
    const e = await small.exports.receiver.append(big).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect((e as { code?: string } | undefined)?.code).toBe('queue_full');
    await small.exports.receiver.append(idsOf('a', 'fits'));
    failing = false;
    await eventually(() => has('fits'));
    expect(deliveredV1().has('big-0')).toBe(false);
  });

  it('update() to an unusable wal.dir is refused naming it, and the running endpoint is kept', async () => {
    failing = true;
    const dir = newDir();
    const c = make(args(dir, withTenant));
    void run(c);
    await c.exports.receiver.append(idsOf('a', 'keep1'));
    const file = join(tmp.path, `file-${++dirs}`);
    writeFileSync(file, 'x');
    await expect(c.update(args(file, withTenant))).rejects.toThrow(file);
    await c.exports.receiver.append(idsOf('a', 'keep2'));
    failing = false;
    await eventually(() => has('keep1', 'keep2'));
  });
});
