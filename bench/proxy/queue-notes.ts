/** The proxy suite's plain-language notes on its queue-mode rows and the replay row. */
import { formatRatio } from '../lib/format.js';
import type { BenchRow } from '../lib/suite.js';
import { LABELS } from './target-list.js';

const QUEUE_PREFIX = 'tenantwire, queue mode';

export function isQueueRow(row: BenchRow): boolean {
  return row.label.startsWith(QUEUE_PREFIX);
}

export function queueNotes(rows: readonly BenchRow[], backlogMib: number | undefined): string[] {
  const queued = rows.filter((r) => isQueueRow(r) && !r.label.includes('replay'));
  if (queued.length === 0) return [];
  const notes = [
    'Queue rows: tenantwire with `queue.dir` (a fresh directory per run, `queue.max_disk_bytes` high enough ' +
      'not to refuse): every request is split per tenant and appended to the per-tenant write-ahead log with ' +
      'fsync (group commit) before the 204, then delivered per tenant in batches of `max_samples_per_send` ' +
      'across requests. Their samples/s counts only what reached the sink during the window; as delivery lags ' +
      'the answers, the bench then waits for the queue to empty (drain s, its /metrics ' +
      '`tenantwire_queue_pending_records` at 0) and samples delivered / delivered % compare everything ' +
      'delivered with what the completed requests carried (samples acked). records pending at end is the ' +
      "queue's backlog (one record per tenant per request) when wrk stopped; drain s includes up to " +
      '`batch_send_deadline` (5 s) for the last batches, which are not full. disk MiB at end is what the queue ' +
      'directory took when wrk stopped: mostly segments already delivered but not yet removed (a segment, 8 MiB ' +
      "per tenant and worker, is removed once sealed and delivered), not backlog. fsync p99 is read from the target's " +
      '`tenantwire_queue_fsync_duration_seconds` at the end (its whole life, warm-up included). CPU s per M ' +
      'samples includes the drain.',
    'upstream req per request is the requests the sink received over the requests wrk completed: the ' +
      'synchronous split sends one per tenant per request (10), vmagent and the queue batch across requests.',
  ];
  const fig = (row: BenchRow | undefined, f: string): number => row?.figures[f] ?? NaN;
  const vm = rows.find((r) => r.label === LABELS.vmagent(8));
  const main = queued.find((r) => r.label.startsWith(`${QUEUE_PREFIX}, WAL (10 `));
  if (vm && main) {
    const x = fig(main, 'samples/s') / fig(vm, 'samples/s');
    notes.push(
      x >= 1
        ? `Queue mode meets the goal: it delivers ${formatRatio(x)} vmagent's samples/s while splitting 10 ways with the WAL on.`
        : `Queue mode is short of the goal: it delivers ${formatRatio(x)} vmagent's samples/s (splitting 10 ways, ` +
            'WAL on; vmagent neither splits nor fsyncs per request).',
    );
  }
  const best = [...queued].sort((a, b) => fig(b, 'samples/s') - fig(a, 'samples/s'))[0];
  if (best && queued.length > 1) notes.push(`Fastest queue variant: ${best.label.replace(/^tenantwire, /, '')}.`);
  if (backlogMib !== undefined)
    notes.push(
      `Replay row: a queue filled to ${backlogMib} MiB with its upstream unreachable, killed with SIGKILL, ` +
        'started again on the same directory with the sink up; replay MB/s is the WAL bytes left on disk over ' +
        'the time from that start until the sink had every acknowledged sample (ready s of it to open the log and ' +
        'answer /ready). Larger backlogs: `npm run bench -- --only proxy --replay-mib 1024`.',
    );
  return notes;
}
