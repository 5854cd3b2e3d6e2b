/**
 * Starts the loopback sink (bench/lib/sink.ts) as its own process, so that its CPU is not the
 * bench runner's and not the measured server's, and talks to it over HTTP.
 */
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnTracked, type TrackedProcess } from './processes.js';
import type { SinkStats } from './sink.js';

export interface SinkProcess {
  readonly port: number;
  /** `http://127.0.0.1:<port>/push` */
  readonly pushUrl: string;
  readonly process: TrackedProcess;
  stats(): Promise<SinkStats>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const sinkScript = join(dirname(fileURLToPath(import.meta.url)), 'sink.ts');

export async function spawnSink(timeoutMs = 20_000): Promise<SinkProcess> {
  const proc = spawnTracked('sink', process.execPath, ['--import', 'tsx', sinkScript]);
  const stdout = proc.child.stdout;
  if (!stdout) throw new Error('sink has no stdout');
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sink did not start in ${timeoutMs} ms:\n${proc.output()}`)),
      timeoutMs,
    );
    const lines = createInterface({ input: stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        reject(new Error(`sink printed ${line}`));
      }
    });
    proc.child.once('exit', (code) => reject(new Error(`sink exited with ${String(code)}:\n${proc.output()}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    pushUrl: `${base}/push`,
    process: proc,
    async stats() {
      const r = await fetch(`${base}/stats`, { signal: AbortSignal.timeout(10_000) });
      return (await r.json()) as SinkStats;
    },
    async reset() {
      await fetch(`${base}/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
    },
    stop: () => proc.stop(),
  };
}

/**
 * Polls the sink until its sample count has not moved for `quietMs` (a forwarder has flushed
 * what it buffered) or `maxMs` passes; returns the last stats.
 */
export async function waitForQuiet(sink: SinkProcess, quietMs: number, maxMs: number): Promise<SinkStats> {
  const deadline = Date.now() + maxMs;
  let last = await sink.stats();
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await sink.stats();
    if (now.samples + now.histograms !== last.samples + last.histograms) stableSince = Date.now();
    last = now;
    if (Date.now() - stableSince >= quietMs) break;
  }
  return last;
}
