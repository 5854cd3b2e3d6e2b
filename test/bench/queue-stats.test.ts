import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/lib/args.js';
import { fsyncCount, fsyncQuantileMs, histogramQuantile, pendingRecords } from '../../bench/proxy/queue-stats.js';

const SCRAPE = [
  '# HELP tenantwire_queue_pending_records Records in the log not yet delivered.',
  'tenantwire_queue_pending_records{tenant="a"} 3',
  'tenantwire_queue_pending_records{tenant="b"} 4',
  'tenantwire_queue_pending_records_other 100',
  'tenantwire_queue_fsync_duration_seconds_bucket{le="0.001"} 50',
  'tenantwire_queue_fsync_duration_seconds_bucket{le="0.01"} 90',
  'tenantwire_queue_fsync_duration_seconds_bucket{le="0.1"} 100',
  'tenantwire_queue_fsync_duration_seconds_bucket{le="+Inf"} 100',
  'tenantwire_queue_fsync_duration_seconds_count 100',
  '',
].join('\n');

describe('queue stats of the proxy bench', () => {
  it('sums a metric over its label sets and only that metric', () => {
    expect(pendingRecords(SCRAPE)).toBe(7);
    expect(pendingRecords('')).toBeNaN();
    expect(fsyncCount(SCRAPE)).toBe(100);
  });

  it('computes quantiles as histogram_quantile does', () => {
    expect(fsyncQuantileMs(SCRAPE, 0.5)).toBeCloseTo(1, 6);
    // rank 99 lies 9/10 into the (0.01, 0.1] bucket
    expect(fsyncQuantileMs(SCRAPE, 0.99)).toBeCloseTo(91, 6);
    expect(histogramQuantile(0.99, [])).toBeNaN();
    expect(
      histogramQuantile(0.99, [
        { le: 0.1, count: 1 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(0.1);
  });

  it('takes --rows and --replay-mib, refusing a bad size', () => {
    expect(parseArgs(['--rows', 'queue,vmagent', '--replay-mib=1024'])).toMatchObject({
      rows: ['queue', 'vmagent'],
      replayMib: 1024,
    });
    expect(() => parseArgs(['--replay-mib', '0.5'])).toThrow(/whole number/);
  });
});
