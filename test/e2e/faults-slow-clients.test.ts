/**
 * Slow and idle clients against the real drop-in: a sender trickling its headers is cut (408)
 * within `timeout` plus about a second (it used to take Node's 30 s check interval), and
 * hundreds of idle connections plus a few such senders do not starve a normal one.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/peers.js';
import { push, seriesBody, startDropIn, type StartedDropIn } from '../helpers/fault-tools.js';
import { eventually } from '../helpers/eventually.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('tenantwire-faults-slow-');
const started: StartedDropIn[] = [];
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];

afterAll(async () => {
  tmp.remove();
});
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of started.splice(0)) expect(await s.tw.stop(5_000)).toBe(0);
});

interface Slowloris {
  readonly socket: Socket;
  /** ms from connect to the server closing it, once it has. */
  cutAfterMs(): number | undefined;
  received(): string;
}

/** Opens a connection that sends one header byte every `everyMs`, never finishing. */
async function slowloris(port: number, everyMs = 200): Promise<Slowloris> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((r, j) => {
    socket.once('connect', r);
    socket.once('error', j);
  });
  socket.on('error', () => undefined);
  const t0 = Date.now();
  let cut: number | undefined;
  let got = '';
  socket.on('data', (b: Buffer) => (got += b.toString('latin1')));
  socket.once('close', () => (cut = Date.now() - t0));
  socket.write('POST /api/v1/push HTTP/1.1\r\nHost: x\r\n');
  const trickle = `X-Slow: ${'a'.repeat(10_000)}`;
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(trickle[i++ % trickle.length]!);
  }, everyMs);
  timers.push(timer);
  return { socket, cutAfterMs: () => cut, received: () => got };
}

async function idleConnection(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined);
  await new Promise<void>((r) => {
    socket.once('connect', r);
    socket.once('close', r);
  });
  return socket;
}

describe('a sender trickling its headers', () => {
  it('is cut with 408 within timeout plus about a second', async () => {
    const s = await startDropIn(tmp.path, upstream().url, [
      'workers: 1',
      'timeout: 2s',
      'timeout_shutdown: 0s',
      'log_level: warn',
    ]);
    started.push(s);
    const slow = await slowloris(s.port);
    await eventually(() => slow.cutAfterMs() !== undefined, { timeoutMs: 15_000 });
    // The documented bound: timeout (2 s) plus the 1 s check interval, plus scheduling margin.
    expect(slow.cutAfterMs()).toBeLessThan(2_000 + 1_000 + 1_500);
    expect(slow.cutAfterMs()).toBeGreaterThanOrEqual(1_900);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('300 idle connections and 5 slowloris senders', () => {
  it('do not starve a normal sender, and the slowloris ones are cut within the bound', async () => {
    const s = await startDropIn(tmp.path, upstream().url, [
      'workers: 1',
      'timeout: 3s',
      'timeout_shutdown: 0s',
      'log_level: warn',
    ]);
    started.push(s);
    const idle: Socket[] = [];
    for (let i = 0; i < 300; i++) idle.push(await idleConnection(s.port));
    const slow = await Promise.all(Array.from({ length: 5 }, () => slowloris(s.port)));
    for (let i = 0; i < 5; i++) {
      const began = Date.now();
      const a = await push(s.url, seriesBody([`normal-${i}`]));
      expect(a.status).toBe(204);
      expect(Date.now() - began).toBeLessThan(2_000);
    }
    await eventually(() => slow.every((x) => x.cutAfterMs() !== undefined), { timeoutMs: 15_000 });
    for (const x of slow) expect(x.cutAfterMs()).toBeLessThan(3_000 + 1_000 + 1_500);
    // Silent connections are read-timed-out too: nothing holds a slot forever.
    await eventually(() => idle.every((x) => x.destroyed || x.closed), { timeoutMs: 10_000 });
    expect((await push(s.url, seriesBody(['after']))).status).toBe(204);
  });

  it(
    'past max_connections a new connection is closed at once, ' + 'and a normal sender gets in once one frees',
    async () => {
      const s = await startDropIn(tmp.path, upstream().url, [
        'workers: 1',
        'timeout: 3s',
        'timeout_shutdown: 0s',
        'log_level: warn',
        'max_connections: 50',
      ]);
      started.push(s);
      const held: Socket[] = [];
      for (let i = 0; i < 50; i++) held.push(await idleConnection(s.port));
      const extra = await idleConnection(s.port);
      await eventually(() => extra.destroyed || extra.closed, { timeoutMs: 3_000 });
      for (const h of held) h.destroy();
      await eventually(
        async () => (await push(s.url, seriesBody(['in'])).catch(() => ({ status: 0 }))).status === 204,
        {
          timeoutMs: 5_000,
        },
      );
    },
  );
});
