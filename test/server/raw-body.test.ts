/**
 * Bodies still being received take their bytes from the same budget as the requests being
 * handled (max_decoded_bytes_in_flight): past it a new body is refused with 503 + Retry-After
 * instead of buffered, so bodies arriving at once cannot grow memory without bound.
 */
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger.js';
import { createInFlightLimit } from '../../src/proxy/in-flight.js';
import { buildApp } from '../../src/server/app.js';
import { createHealthState } from '../../src/server/health.js';
import { listenApp } from '../../src/server/listen.js';
import { eventually } from '../helpers/eventually.js';

const apps: FastifyInstance[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const app of apps.splice(0)) {
    app.server.closeAllConnections();
    await app.close();
  }
});

const KIB = 1024;

async function serve(budgetBytes: number) {
  const limit = createInFlightLimit(100, budgetBytes);
  const received: number[] = [];
  const app = buildApp({
    handler: async (w) => {
      received.push(w.compressed.byteLength);
      return { status: 204 };
    },
    health: createHealthState(),
    logger: createSilentLogger(),
    maxRequestBytes: 1024 * KIB,
    tenantHeader: 'X-Scope-OrgID',
    metrics: { contentType: 'text/plain', render: async () => '' },
    receiveBudget: limit,
  });
  apps.push(app);
  const server = await listenApp(app, '127.0.0.1:0', { drainMs: 1_000 });
  return { port: Number(server.address.split(':').pop()), received };
}

/** Opens a POST announcing `length` bytes and sends the first `sent` of them. */
async function startPost(
  port: number,
  length: number,
  sent: number,
): Promise<{ socket: Socket; answer: Promise<string>; rest(): void }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let text = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (b: Buffer) => {
      text += b.toString('latin1');
      if (/\r\n\r\n/.test(text)) resolve(text);
    });
    socket.once('close', () => resolve(text));
  });
  socket.write(
    `POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: ` +
      `${length}\r\n\r\n`,
  );
  socket.write(Buffer.alloc(sent, 1));
  return { socket, answer, rest: () => socket.write(Buffer.alloc(length - sent, 1)) };
}

describe('the receive budget', () => {
  it('a body alone always gets in, even larger than the budget', async () => {
    const { port, received } = await serve(64 * KIB);
    const a = await startPost(port, 200 * KIB, 200 * KIB);
    expect(await a.answer).toMatch(/^HTTP\/1\.1 204/);
    expect(received).toEqual([200 * KIB]);
  });

  it(
    'past the budget a new body gets 503 + Retry-After + Connection: close; after the first ends, ' + 'it gets in',
    async () => {
      const { port, received } = await serve(256 * KIB);
      // The first sender holds 200 KiB of the budget and stalls mid-body.
      const first = await startPost(port, 400 * KIB, 200 * KIB);
      const second = await startPost(port, 100 * KIB, 100 * KIB);
      const refused = await second.answer;
      expect(refused).toMatch(/^HTTP\/1\.1 503/);
      expect(refused).toMatch(/retry-after: 1/i);
      expect(refused).toMatch(/connection: close/i);
      expect(received).toEqual([]);
      first.rest();
      expect(await first.answer).toMatch(/^HTTP\/1\.1 204/);
      // The budget was given back: the same body now gets in.
      const third = await startPost(port, 100 * KIB, 100 * KIB);
      expect(await third.answer).toMatch(/^HTTP\/1\.1 204/);
      await eventually(() => expect(received).toEqual([400 * KIB, 100 * KIB]));
    },
  );

  it('a sender that goes away mid-body gives its bytes back', async () => {
    const { port } = await serve(256 * KIB);
    const gone = await startPost(port, 400 * KIB, 200 * KIB);
    gone.socket.destroy();
    await eventually(async () => {
      const next = await startPost(port, 200 * KIB, 200 * KIB);
      expect(await next.answer).toMatch(/^HTTP\/1\.1 204/);
    });
  });

  it('a declared length over max_request_bytes is refused with 413 before the body is read', async () => {
    const { port, received } = await serve(256 * KIB);
    const big = await startPost(port, 2048 * KIB, 0);
    expect(await big.answer).toMatch(/^HTTP\/1\.1 413/);
    expect(received).toEqual([]);
  });
});
