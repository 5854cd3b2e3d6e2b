/**
 * Tools for the fault tests against real processes: a starter for the drop-in with only the
 * test's config lines, remote-write bodies with unique series, a raw HTTP/1.1 client on its own
 * socket (keep-alive and trickling under the test's control), and a plain fetch push.
 */
import { connect, type Socket } from 'node:net';
import { remoteWriteBody, series } from './series.js';
import { startProxyCli, type TenantwireProcess } from './tenantwire-process.js';

/** A snappy remote-write 1.0 body: one series per name (its `id` label), tenant label `__tenant__`. */
export function seriesBody(names: readonly string[], tenant = 'team-a'): Uint8Array {
  return remoteWriteBody(names.map((id) => series({ __name__: 'fault_test', __tenant__: tenant, id })));
}

export interface StartedDropIn {
  readonly tw: TenantwireProcess;
  readonly port: number;
  readonly url: string;
}

/** Writes a cortex-tenant config (free ports, `lines` appended, no other defaults) and starts the built CLI. */
export async function startDropIn(dir: string, target: string, lines: readonly string[]): Promise<StartedDropIn> {
  const { tw, port } = await startProxyCli(dir, target, lines, []);
  return { tw, port, url: `http://127.0.0.1:${port}` };
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * One HTTP/1.1 connection driven by hand: `post` writes a request and resolves with its answer
 * (or rejects with the connection error before any answer); `closed` resolves when the server
 * closes the connection.
 */
export interface RawConnection {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  isClosed(): boolean;
  post(path: string, body: Uint8Array, headers?: Record<string, string>): Promise<RawAnswer>;
  close(): void;
}

export async function rawConnection(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let ended = false;
  const closed = new Promise<void>((r) =>
    socket.once('close', () => {
      ended = true;
      r();
    }),
  );
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  let waiter: { resolve(a: RawAnswer): void; reject(e: Error): void } | undefined;
  const tryParse = () => {
    if (!waiter) return;
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(head[0]?.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    buffer = buffer.subarray(end + 4 + length);
    const w = waiter;
    waiter = undefined;
    w.resolve({ status, headers, body });
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    tryParse();
  });
  socket.once('close', () => waiter?.reject(new Error('connection closed before an answer')));
  return {
    socket,
    closed,
    isClosed: () => ended,
    post(path, body, headers = {}) {
      return new Promise<RawAnswer>((resolve, reject) => {
        if (ended) return reject(new Error('connection closed before an answer'));
        waiter = { resolve, reject };
        const extra = Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ` +
            `application/x-protobuf\r\nContent-Encoding: snappy\r\n` +
            `X-Prometheus-Remote-Write-Version: 0.1.0\r\n${extra}Content-Length: ${body.byteLength}\r\n\r\n`,
        );
        socket.write(body);
      });
    },
    close: () => socket.destroy(),
  };
}

/** POSTs a body on a fresh connection with fetch; resolves with status, headers and text. */
export async function push(url: string, body: Uint8Array, signal?: AbortSignal): Promise<RawAnswer> {
  const r = await fetch(`${url}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body,
    ...(signal ? { signal } : {}),
  });
  return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() };
}
