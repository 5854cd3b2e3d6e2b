/**
 * TLS ingress (`auth.ingress.tls_config`): a client that opens a connection and sends part of a
 * ClientHello, then nothing, is cut within `timeout` like any other trickling sender. Node's
 * https default (a 120 s handshake timeout) let it hold the connection, and its place under
 * `max_connections`, for two minutes.
 */
import { writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeSelfSignedCert } from '../helpers/tls-cert.js';
import { freePort, tempDir } from '../helpers/peers.js';
import { startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { eventually } from '../helpers/eventually.js';

const tmp = tempDir('tenantwire-tls-');
const running: TenantwireProcess[] = [];
afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(2_000);
});
afterAll(() => tmp.remove());

/** Resolves true once a TLS handshake with 127.0.0.1:port completes. */
function handshakes(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('TLS ingress and a client stalling its handshake', () => {
  it('closes the connection within timeout plus a margin', async () => {
    const { key, cert: crt } = makeSelfSignedCert(tmp.path, 'in');
    const port = await freePort();
    const config = join(tmp.path, 'tls.yml');
    writeFileSync(
      config,
      [
        `listen: 127.0.0.1:${port}`,
        `listen_metrics_address: 127.0.0.1:${await freePort()}`,
        'target: http://127.0.0.1:9/api/v1/push',
        'workers: 1',
        'timeout: 2s',
        'log_level: warn',
        `auth: { ingress: { tls_config: { cert_file: ${crt}, key_file: ${key} } } }`,
        '',
      ].join('\n'),
    );
    const tw = startTenantwire(['--config', config]);
    running.push(tw);
    await eventually(() => handshakes(port), { timeoutMs: 20_000 });

    const t0 = Date.now();
    const socket = tcpConnect(port, '127.0.0.1', () => {
      // The first bytes of a TLS record header for a ClientHello, and then silence.
      socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
    });
    socket.on('error', () => {});
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - t0)));
    const ms = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 15_000))]);
    socket.destroy();
    // timeout (2 s) + a generous margin; Node's default would be 120 s.
    expect(ms).toBeLessThan(10_000);
    expect(await handshakes(port)).toBe(true);
  });
});
