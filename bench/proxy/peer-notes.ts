/** The proxy suite's notes on the peer comparison: cortex-tenant, the two load shapes, memory, half load. */
import { formatRatio } from '../lib/format.js';
import { goalMet } from '../lib/results-markdown.js';
import type { BenchRow } from '../lib/suite.js';
import { goalRatios } from './goals.js';
import type { NotesInput } from './report.js';
import { isHalfLoadOf, LABELS, PEER_CONNECTIONS } from './target-list.js';

const SOURCE = {
  flag: '--cortex-tenant',
  env: 'TENANTWIRE_BENCH_CORTEX_TENANT',
  default: 'the default place',
} as const;

export function peerNotes(input: NotesInput): string[] {
  const notes: string[] = [];
  const ct = input.cortexTenant;
  const has = (label: string): boolean => input.rows.some((r) => r.label === label);
  if (ct && PEER_CONNECTIONS.some((c) => has(LABELS.cortexTenant(c))))
    notes.push(
      `cortex-tenant ${ct.version !== undefined ? `v${ct.version} ` : ''}(${ct.path}, from ${SOURCE[ct.source]}) ` +
        'runs with the same cortex-tenant keys as the tenantwire rows (listen, target, log_level warn, ' +
        "tenant.label and tenant.default; none of tenantwire's own such as workers or split_mode) and its " +
        'defaults otherwise (in v2.0.0: concurrency 512, 64 connections to the target), its metrics listener moved to a ' +
        "free loopback port. Like tenantwire it forwards every tenant's request before it answers, so the " +
        'latencies compare like for like.',
    );
  notes.push(
    `Peer comparison: tenantwire's wire split (the default workers, here ${input.workers}, and 2 workers), cortex-tenant ` +
      `and vmagent at ${PEER_CONNECTIONS.join(' and at ')} wrk connections, interleaved with the other rows in ` +
      'every repeat; the other tenantwire rows run at 8.',
    "peak RSS MiB is the peak resident memory (VmHWM in /proc/<pid>/status) of every process in the server's " +
      "tree summed: tenantwire's primary and all its workers, cortex-tenant's and vmagent's single process. Each " +
      "process's own peak is summed, so it can overstate a tree whose processes peaked at different moments, " +
      'never understate it.',
  );
  const halves = input.rows.filter((r: BenchRow) => r.label.includes(', half load ('));
  if (halves.length > 0)
    notes.push(
      'Half-load rows: after the saturating run of the row above, on the same process and connections, wrk ' +
        'posts the same body paced to half the req/s that run reached (post-body-paced.lua: the thread gives ' +
        'each request the next slot of 1000 / rate ms, shared by its connections, so the rate never exceeds the ' +
        'target; a late request goes at once without a catch-up burst) for the measured duration. target req/s ' +
        "is that half, achieved % what wrk sent of it; p50/p99 are wrk's, timed from when each request is " +
        'written.',
    );
  const misses = goalRatios(input.rows).filter((r) => goalMet(r) === false);
  if (misses.length > 0)
    notes.push(
      `Goals missed in this run: ${misses
        .map((r) => `${r.label} ${r.unit === 'ms' ? `${r.value.toFixed(1)} ms` : formatRatio(r.value)}`)
        .join('; ')}.`,
    );
  const wireHalf = input.rows.find((r) => isHalfLoadOf(r.label, LABELS.wire(2)));
  if (has(LABELS.wire(2)) && !wireHalf) notes.push('The half-load run of the wire split at 2 connections is missing.');
  return notes;
}
