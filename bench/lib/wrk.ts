/**
 * Runs wrk (Debian's, from .peers/) as its own process for a bounded duration with the
 * post-body.lua script, and parses its `--latency` report.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peerEnv, peerPath } from './peers.js';
import { spawnTracked } from './processes.js';

export interface WrkResult {
  readonly requests: number;
  readonly durationSec: number;
  readonly requestsPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p75: number; readonly p90: number; readonly p99: number };
  /** Responses with a status other than 2xx/3xx. */
  readonly non2xx: number;
  /** connect + read + write + timeout errors. */
  readonly socketErrors: number;
}

export interface WrkRun {
  readonly peersBin: string;
  readonly url: string;
  readonly bodyFile: string;
  readonly contentType?: string;
  readonly remoteWriteVersion?: string;
  readonly durationSec: number;
  readonly connections: number;
  readonly threads: number;
  /**
   * Paced: the gap in ms between two requests of one thread (see pacing.ts); unpaced (as fast
   * as the connections allow) when absent.
   */
  readonly intervalMs?: number;
  /** Sent as the Authorization header of every request (post-body.lua reads it from the environment). */
  readonly authorization?: string;
  /** Another wrk script taking the same arguments (body file, content type, third argument). */
  readonly script?: string;
}

export const postBodyScript = join(dirname(fileURLToPath(import.meta.url)), '../proxy/post-body.lua');
/** post-body.lua with a `delay()` that keeps each thread to one request per interval. */
export const postBodyPacedScript = join(dirname(fileURLToPath(import.meta.url)), '../proxy/post-body-paced.lua');

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function durationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!m?.[1] || !m[2]) throw new Error(`unreadable wrk duration "${text}"`);
  return Number(m[1]) * (UNIT_MS[m[2]] ?? NaN);
}

/** Parses wrk 4's text report (run with `--latency`). */
export function parseWrkOutput(text: string): WrkResult {
  const pct = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)\\s*$`, 'm').exec(text);
    if (!m?.[1]) throw new Error(`wrk output has no ${p}% latency (was --latency given?)\n${text}`);
    return durationMs(m[1]);
  };
  const total = /^\s*(\d+) requests in ([\d.]+(?:us|ms|s|m|h)),/m.exec(text);
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  if (!total?.[1] || !total[2] || !rps?.[1]) throw new Error(`unreadable wrk output:\n${text}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests: Number(total[1]),
    durationSec: durationMs(total[2]) / 1000,
    requestsPerSec: Number(rps[1]),
    latencyMs: { p50: pct('50'), p75: pct('75'), p90: pct('90'), p99: pct('99') },
    non2xx: non2xx?.[1] ? Number(non2xx[1]) : 0,
    socketErrors,
  };
}

/** Runs wrk to completion (it stops itself after `durationSec`; killed 30 s later if not). */
export async function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = [
    `-t${run.threads}`,
    `-c${run.connections}`,
    `-d${run.durationSec}s`,
    '--timeout',
    '10s',
    '--latency',
    '-s',
    run.script ?? (run.intervalMs !== undefined ? postBodyPacedScript : postBodyScript),
    run.url,
    '--',
    run.bodyFile,
    run.contentType ?? 'application/x-protobuf',
    run.remoteWriteVersion ?? '0.1.0',
    ...(run.intervalMs !== undefined ? [String(run.intervalMs)] : []),
  ];
  const env = {
    ...peerEnv(run.peersBin),
    ...(run.authorization !== undefined ? { TENANTWIRE_BENCH_AUTHORIZATION: run.authorization } : {}),
  };
  const proc = spawnTracked('wrk', peerPath(run.peersBin, 'wrk'), args, { env });
  const killer = setTimeout(() => void proc.stop(1_000), (run.durationSec + 30) * 1000);
  const code = await new Promise<number | null>((resolve) => {
    if (proc.exited()) resolve(proc.child.exitCode);
    else proc.child.once('exit', (c) => resolve(c));
  });
  clearTimeout(killer);
  await proc.stop();
  if (code !== 0) throw new Error(`wrk exited with ${String(code)}:\n${proc.output()}`);
  return parseWrkOutput(proc.output());
}
