import { describe, expect, it } from 'vitest';
import { fractionOfRate, pacedIntervalMs } from '../../bench/lib/pacing.js';
import { formatGoal, goalMet, renderRatios } from '../../bench/lib/results-markdown.js';
import type { BenchRatio, BenchRow } from '../../bench/lib/suite.js';
import { goalRatios } from '../../bench/proxy/goals.js';
import { pacedRow, type PacedMeasurement } from '../../bench/proxy/paced.js';
import { proxyRatios } from '../../bench/proxy/report.js';
import { halfLoadLabel, LABELS } from '../../bench/proxy/target-list.js';

describe('pacing arithmetic', () => {
  it('spaces one thread’s requests 1000 * threads / rate ms apart', () => {
    expect(pacedIntervalMs(200, 1)).toBe(5);
    expect(pacedIntervalMs(82.5, 1)).toBeCloseTo(12.1212, 3);
    expect(pacedIntervalMs(400, 2)).toBe(5);
  });

  it('takes half of a measured rate and refuses rates and threads that cannot pace', () => {
    expect(fractionOfRate(165, 0.5)).toBe(82.5);
    expect(() => fractionOfRate(0, 0.5)).toThrow(/no saturating rate/);
    expect(() => fractionOfRate(Number.NaN, 0.5)).toThrow(/no saturating rate/);
    expect(() => pacedIntervalMs(0, 1)).toThrow(/rate > 0/);
    expect(() => pacedIntervalMs(Number.POSITIVE_INFINITY, 1)).toThrow(/rate > 0/);
    expect(() => pacedIntervalMs(10, 0)).toThrow(/threads/);
  });

  it('labels the half-load row with the median rate aimed at and reports how much of it was sent', () => {
    const run = (targetRate: number, rps: number, p99: number): PacedMeasurement => ({
      targetRate,
      samplesInWindow: rps * 2000 * 4,
      wrk: {
        requests: rps * 4,
        durationSec: 4,
        requestsPerSec: rps,
        latencyMs: { p50: p99 / 2, p75: p99 / 2, p90: p99, p99 },
        non2xx: 0,
        socketErrors: 0,
      },
    });
    const row = pacedRow(LABELS.wire(2), [run(80, 80, 4), run(90, 81, 6), run(100, 99, 5)]);
    expect(row.label).toBe(`${LABELS.wire(2)}, half load (90 req/s)`);
    expect(row.figures['target req/s']).toBe(90);
    expect(row.figures['req/s']).toBe(81);
    expect(row.figures['p99 ms']).toBe(5);
    expect(row.figures['samples/s']).toBe(81 * 2000);
    expect(row.figures['achieved %']).toBe(99);
  });
});

function row(label: string, figures: Record<string, number>): BenchRow {
  return { label, figures };
}

const ROWS: BenchRow[] = [
  row(LABELS.wire(2), { 'samples/s': 330_000, 'p99 ms': 20, 'peak RSS MiB': 150, 'CPU s per M samples': 3 }),
  row(halfLoadLabel(LABELS.wire(2), 82.4), { 'p99 ms': 4.5 }),
  row(LABELS.cortexTenant(2), { 'samples/s': 100_000, 'p99 ms': 40, 'peak RSS MiB': 40, 'CPU s per M samples': 10 }),
  row(halfLoadLabel(LABELS.cortexTenant(2), 25), { 'p99 ms': 30 }),
  row(LABELS.vmagent(2), { 'samples/s': 330_000, 'p99 ms': 40, 'peak RSS MiB': 90, 'CPU s per M samples': 2.5 }),
  row(LABELS.wire(8), { 'samples/s': 400_000, 'p99 ms': 50, 'peak RSS MiB': 180, 'CPU s per M samples': 3 }),
  row(LABELS.cortexTenant(8), { 'samples/s': 160_000, 'p99 ms': 90, 'peak RSS MiB': 60, 'CPU s per M samples': 10 }),
  row(LABELS.vmagent(8), { 'samples/s': 500_000, 'p99 ms': 60, 'peak RSS MiB': 160, 'CPU s per M samples': 2 }),
];

function byLabel(ratios: readonly BenchRatio[], label: string): BenchRatio {
  const r = ratios.find((x) => x.label === label);
  if (!r) throw new Error(`no ratio "${label}" in ${ratios.map((x) => x.label).join(' / ')}`);
  return r;
}

describe('the issue’s goals in the proxy report', () => {
  const ratios = goalRatios(ROWS);

  it('compares with cortex-tenant at 2 and at 8 connections (samples/s at least 3x, p99 at 2 at most 1x)', () => {
    const at2 = byLabel(ratios, 'wire split vs cortex-tenant, 2 connections, samples/s');
    expect(at2.value).toBeCloseTo(3.3, 6);
    expect(at2.goal).toEqual({ op: '>=', bound: 3 });
    expect(goalMet(at2)).toBe(true);
    const at8 = byLabel(ratios, 'wire split vs cortex-tenant, 8 connections, samples/s');
    expect(at8.value).toBeCloseTo(2.5, 6);
    expect(goalMet(at8)).toBe(false);
    const p99 = byLabel(ratios, 'wire split vs cortex-tenant, 2 connections, p99 ms');
    expect(p99.value).toBeCloseTo(0.5, 6);
    expect(p99.goal).toEqual({ op: '<=', bound: 1 });
    expect(byLabel(ratios, 'wire split vs cortex-tenant, 8 connections, p99 ms').goal).toBeUndefined();
  });

  it('holds peak RSS to 1.5x vmagent’s at 2 connections and 1x at 8, CPU per sample to 1.3x', () => {
    const rss2 = byLabel(ratios, 'wire split vs vmagent, 2 connections, peak RSS MiB');
    expect(rss2.value).toBeCloseTo(150 / 90, 6);
    expect(rss2.goal).toEqual({ op: '<=', bound: 1.5 });
    expect(goalMet(rss2)).toBe(false);
    const rss8 = byLabel(ratios, 'wire split vs vmagent, 8 connections, peak RSS MiB');
    expect(rss8.value).toBeCloseTo(180 / 160, 6);
    expect(rss8.goal).toEqual({ op: '<=', bound: 1 });
    const cpu8 = byLabel(ratios, 'wire split vs vmagent, 8 connections, CPU s per M samples');
    expect(cpu8.value).toBeCloseTo(1.5, 6);
    expect(cpu8.goal).toEqual({ op: '<=', bound: 1.3 });
    expect(goalMet(byLabel(ratios, 'wire split vs vmagent, 2 connections, CPU s per M samples'))).toBe(true);
  });

  it('reports p99 at half load in ms against 5 ms, whatever rate the row ran at', () => {
    const half = byLabel(ratios, 'wire split at half load, 2 connections, p99 ms');
    expect(half).toMatchObject({ value: 4.5, unit: 'ms', goal: { op: '<', bound: 5 } });
    expect(goalMet(half)).toBe(true);
    expect(goalMet({ ...half, value: 5 })).toBe(false);
    expect(byLabel(ratios, 'wire split vs cortex-tenant at half load, 2 connections, p99 ms').value).toBeCloseTo(
      0.15,
      6,
    );
  });

  it('leaves out what a skipped peer would have given, and puts the goals first in the suite’s ratios', () => {
    const noPeer = goalRatios(ROWS.filter((r) => !r.label.startsWith('cortex-tenant')));
    expect(noPeer.some((r) => r.label.includes('cortex-tenant'))).toBe(false);
    expect(noPeer.some((r) => r.label.startsWith('wire split vs vmagent, 2 connections'))).toBe(true);
    const all = proxyRatios(ROWS);
    expect(all.slice(0, ratios.length)).toEqual(ratios);
    expect(goalRatios([])).toEqual([]);
  });

  it('renders the goal and whether it is met, and keeps goal-less tables as they were', () => {
    const table = renderRatios({ ratios });
    expect(table.split('\n')[0]).toBe('| Ratio (A over B) | Value | Better when | Goal | Met |');
    expect(table).toContain('| wire split vs cortex-tenant, 2 connections, samples/s | 3.3× | higher | ≥ 3× | yes |');
    expect(table).toContain('| wire split at half load, 2 connections, p99 ms | 4.5 ms | lower | < 5 ms | yes |');
    expect(table).toContain('| wire split vs vmagent, 8 connections, peak RSS MiB | 1.13× | lower | ≤ 1× | no |');
    expect(formatGoal({ label: 'x', value: 1, higherIsBetter: true })).toBe('');
    const plain = renderRatios({ ratios: [{ label: 'a vs b', value: 2, higherIsBetter: true }] });
    expect(plain).toBe('| Ratio (A over B) | Value | Better when |\n|---|---:|---|\n| a vs b | 2× | higher |');
  });
});
