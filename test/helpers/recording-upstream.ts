/**
 * A real loopback HTTP server standing in for Cortex's push endpoint: it records every request
 * (headers and the exact body) and answers what the test scripts per tenant.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Recorded {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly tenant: string;
}

export interface UpstreamReply {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering (ms). */
  readonly delayMs?: number;
  /** Hold the answer until this settles (after `delayMs`): a test releases it when it is ready. */
  readonly until?: Promise<unknown>;
}

export interface RecordingUpstream {
  readonly url: string;
  readonly received: Recorded[];
  /** Reply per tenant header value; `*` for every other tenant. Default 204. */
  replies: Record<string, UpstreamReply>;
  /** Checked first: a reply for this body (say, 400 for one Cortex would refuse), or undefined. */
  validate?: (body: Buffer) => UpstreamReply | undefined;
  /** The most requests it held at once (received, not yet answered). */
  readonly mostInFlight: number;
  close(): Promise<void>;
}

export async function startRecordingUpstream(tenantHeader = 'x-scope-orgid'): Promise<RecordingUpstream> {
  const received: Recorded[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const state: { replies: Record<string, UpstreamReply>; inFlight: number; most: number } = {
    replies: {},
    inFlight: 0,
    most: 0,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    state.inFlight++;
    state.most = Math.max(state.most, state.inFlight);
    res.once('close', () => state.inFlight--);
    req.on('end', () => {
      const tenant = String(req.headers[tenantHeader.toLowerCase()] ?? '');
      received.push({ headers: req.headers, body: Buffer.concat(chunks), tenant });
      const body = received[received.length - 1]!.body;
      const reply = self.validate?.(body) ?? state.replies[tenant] ?? state.replies['*'] ?? { status: 204 };
      const write = () => {
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body ?? '');
      };
      const answer = () => {
        if (reply.until === undefined) write();
        else void reply.until.then(write, write);
      };
      if (reply.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, reply.delayMs);
        timers.add(t);
      } else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const self: RecordingUpstream = {
    url: `http://127.0.0.1:${port}/api/v1/push`,
    received,
    get replies() {
      return state.replies;
    },
    set replies(v) {
      state.replies = v;
    },
    get mostInFlight() {
      return state.most;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return self;
}
