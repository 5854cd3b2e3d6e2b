/**
 * Tools for the queue-mode end-to-end tests: the drop-in started with a `queue:` block, senders
 * posting unique series ids over several tenants, a ledger of what the upstream accepted (each
 * id with how often it arrived, from the requests answered 2xx only), and killing a process
 * with its cluster workers the way a crash or the OOM killer would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './peers.js';
import type { RecordingUpstream, UpstreamReply } from './recording-upstream.js';
import { rawConnection, type RawAnswer, type RawConnection } from './fault-tools.js';
import { decodeBody, remoteWriteBody, sample, series } from './series.js';
import { startProxyCli, type TenantwireProcess } from './tenantwire-process.js';

/** Fast queue settings for tests: short batches and backoffs, so a test waits on events, not on defaults. */
export const FAST_QUEUE = [
  'batch_send_deadline: 50ms',
  'min_backoff: 10ms',
  'max_backoff: 200ms',
  'max_samples_per_send: 500',
] as const;

/** `key: value` lines, a later line replacing an earlier one with the same key. */
function merged(lines: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const l of lines) byKey.set(l.slice(0, l.indexOf(':')), l);
  return [...byKey.values()];
}

/** The `queue:` block of a cortex-tenant config: `dir` plus `settings` (`key: value` lines). */
export function queueBlock(dir: string, settings: readonly string[] = FAST_QUEUE): string[] {
  return ['queue:', `  dir: ${dir}`, ...merged(settings).map((s) => `  ${s}`)];
}

export interface QueueDropIn {
  readonly tw: TenantwireProcess;
  readonly port: number;
  readonly url: string;
}

/**
 * Starts the built CLI with quiet defaults, `lines` (top-level `key: value` lines: workers,
 * timeouts; they replace a default of the same key) and a `queue:` block with `settings`.
 */
export async function startQueueDropIn(
  configDir: string,
  target: string,
  queueDir: string,
  lines: readonly string[] = [],
  settings: readonly string[] = FAST_QUEUE,
): Promise<QueueDropIn> {
  // A block (`tenant:` and its indented lines) is kept as it is, in its order, after the rest.
  const isBlock = (l: string) => l.startsWith(' ') || l.trimEnd().endsWith(':');
  const plain = lines.filter((l) => !isBlock(l));
  const blocks = lines.filter(isBlock);
  const { tw, port } = await startProxyCli(
    configDir,
    target,
    [...merged(['log_level: warn', 'timeout_shutdown: 100ms', ...plain]), ...blocks, ...queueBlock(queueDir, settings)],
    [],
  );
  return { tw, port, url: `http://127.0.0.1:${port}` };
}

/** A body with one series per id, each with its tenant (`__tenant__`) and `samples` samples. */
export function tenantSeriesBody(
  items: ReadonlyArray<{ readonly id: string; readonly tenant: string }>,
  samples = [sample()],
): Uint8Array {
  return remoteWriteBody(items.map((i) => series({ __name__: 'queue_e2e', __tenant__: i.tenant, id: i.id }, samples)));
}

/**
 * What the upstream accepted: the ids (label `id`) of every request it answered 2xx, with their
 * count, and per tenant header the time the last id arrived. `reply(tenant)` decides the answer
 * (undefined: 204 at once); a request answered otherwise is not counted.
 */
export interface Ledger {
  readonly counts: Map<string, number>;
  readonly byTenant: Map<string, Set<string>>;
  /** Timestamps per id, in arrival order (for order checks). */
  readonly timestamps: Map<string, number[]>;
  reply: (tenant: string) => UpstreamReply | undefined;
  duplicates(): number;
  missing(ids: Iterable<string>): string[];
}

/**
 * Installs the ledger as the upstream's `validate` hook. The tenant is the series' `__tenant__`
 * label (kept by the drop-in unless `label_remove`), which is also the X-Scope-OrgID.
 */
export function attachLedger(upstream: RecordingUpstream): Ledger {
  const ledger: Ledger = {
    counts: new Map(),
    byTenant: new Map(),
    timestamps: new Map(),
    reply: () => undefined,
    duplicates() {
      let n = 0;
      for (const c of ledger.counts.values()) n += c - 1;
      return n;
    },
    missing(ids) {
      return [...ids].filter((id) => !ledger.counts.has(id));
    },
  };
  upstream.validate = (body) => {
    const req = decodeBody(body);
    const tenant = req.timeseries[0]?.labels.find((l) => l.name === '__tenant__')?.value ?? '';
    const reply = ledger.reply(tenant);
    if (reply !== undefined && (reply.status < 200 || reply.status > 299)) return reply;
    for (const s of req.timeseries) {
      const id = s.labels.find((l) => l.name === 'id')?.value ?? '';
      const t = s.labels.find((l) => l.name === '__tenant__')?.value ?? '';
      ledger.counts.set(id, (ledger.counts.get(id) ?? 0) + 1);
      let set = ledger.byTenant.get(t);
      if (set === undefined) ledger.byTenant.set(t, (set = new Set()));
      set.add(id);
      let ts = ledger.timestamps.get(id);
      if (ts === undefined) ledger.timestamps.set(id, (ts = []));
      for (const x of s.samples) ts.push(x.timestamp);
    }
    return reply ?? { status: 204 };
  };
  return ledger;
}

/**
 * A raw connection with Nagle off: it writes head and body separately, and with Nagle on the body
 * waits for the server's delayed ACK (about 40 ms a request on Linux), which would make the
 * senders, not the proxy, the bottleneck.
 */
export async function senderConnection(port: number): Promise<RawConnection> {
  const conn = await rawConnection(port);
  conn.socket.setNoDelay(true);
  return conn;
}

export interface SendResult {
  readonly acknowledged: Set<string>;
  readonly outcomes: Map<string, number>;
}

export interface LoadOptions {
  readonly port: number;
  readonly connections: number;
  readonly perConnection: number;
  readonly tenants: readonly string[];
  /** Prefix of every id (a crash cycle, a phase). */
  readonly prefix: string;
  /** Series per request, each to the next tenant. */
  readonly seriesPerRequest?: number;
  /** Sees the acknowledged count after each 2xx. */
  readonly onAck?: (acked: number) => void;
  /** Stop sending (checked before each request). */
  readonly stopped?: () => boolean;
  /**
   * Give up on an answer after this many ms and drop the connection, as a real sender's timeout
   * does (Prometheus's remote_timeout); counted as `no-answer`. Unset: wait for the answer.
   */
  readonly answerTimeoutMs?: number;
}

/**
 * Keep-alive senders posting requests of unique ids; a sender whose connection breaks reconnects
 * and goes on. Outcomes are keyed by status, `refused` or `closed-before-answer`.
 */
export async function sendLoad(o: LoadOptions): Promise<SendResult> {
  const acknowledged = new Set<string>();
  const outcomes = new Map<string, number>();
  const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  const per = o.seriesPerRequest ?? 3;
  await Promise.all(
    Array.from({ length: o.connections }, async (_, c) => {
      let conn = await senderConnection(o.port).catch(() => undefined);
      for (let i = 0; i < o.perConnection && !o.stopped?.(); i++) {
        const items = Array.from({ length: per }, (_, k) => ({
          id: `${o.prefix}c${c}-r${i}-s${k}`,
          tenant: o.tenants[(c + i + k) % o.tenants.length]!,
        }));
        if (!conn || conn.isClosed()) conn = await senderConnection(o.port).catch(() => undefined);
        if (!conn) {
          count('refused');
          continue;
        }
        try {
          const a = await withDeadline(conn, conn.post('/api/v1/push', tenantSeriesBody(items)), o.answerTimeoutMs);
          if (a === undefined) {
            count('no-answer');
            continue;
          }
          count(String(a.status));
          if (a.status >= 200 && a.status < 300) {
            for (const it of items) acknowledged.add(it.id);
            o.onAck?.(acknowledged.size);
          }
        } catch {
          count('closed-before-answer');
        }
      }
      conn?.close();
    }),
  );
  return { acknowledged, outcomes };
}

/** The answer, or undefined (and the connection dropped) when none came within `ms`. */
async function withDeadline(
  conn: RawConnection,
  answer: Promise<RawAnswer>,
  ms: number | undefined,
): Promise<RawAnswer | undefined> {
  if (ms === undefined) return answer;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    const a = await Promise.race([answer, late]);
    if (a === undefined) {
      answer.catch(() => undefined);
      conn.close();
    }
    return a;
  } finally {
    clearTimeout(timer);
  }
}

/** Pids whose parent is `pid` (from /proc). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the command in parentheses, which may itself hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Running (a zombie waiting to be reaped does not count). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILLs `pid` and its children at once (a cgroup kill, the OOM killer on the whole pod). */
export function killTree(pid: number): number[] {
  const pids = [pid, ...childPids(pid)];
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids;
}

/**
 * A TCP switch in front of an upstream on a fixed port: `down()` closes the port and cuts every
 * connection (the upstream is gone: connections refused), `up()` listens on the same port again.
 */
export interface UpstreamSwitch {
  readonly port: number;
  /** `http://127.0.0.1:<port><path>` */
  url(path: string): string;
  up(): Promise<void>;
  down(): Promise<void>;
}

export async function startSwitch(targetPort: number): Promise<UpstreamSwitch> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const self: UpstreamSwitch = {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    async up() {
      if (server) return;
      const s = createServer((client) => {
        const target = connect(targetPort, '127.0.0.1');
        for (const x of [client, target]) {
          sockets.add(x);
          x.once('close', () => sockets.delete(x));
          x.on('error', () => undefined);
        }
        client.pipe(target).pipe(client);
        client.once('close', () => target.destroy());
        target.once('close', () => client.destroy());
      });
      await new Promise<void>((r, j) => {
        s.once('error', j);
        s.listen(port, '127.0.0.1', () => r());
      });
      server = s;
    },
    async down() {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const x of sockets) x.destroy();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
  return self;
}
