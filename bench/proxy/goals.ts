/**
 * The proxy suite's figures held to the goals of the hot-path and memory work, each from rows of
 * the same run: tenantwire's wire split (2 workers) against cortex-tenant and vmagent at 2 and
 * at 8 connections, and its p99 at half the load that saturates it.
 */
import type { BenchGoal, BenchRatio, BenchRow } from '../lib/suite.js';
import { isHalfLoadOf, LABELS } from './target-list.js';

/** tenantwire's samples/s over cortex-tenant's, at either connection count. */
export const THROUGHPUT_VS_CORTEX_TENANT: BenchGoal = { op: '>=', bound: 3 };
/** tenantwire's peak RSS (primary + workers) over vmagent's, by connection count. */
export const RSS_VS_VMAGENT: Readonly<Record<number, BenchGoal>> = {
  2: { op: '<=', bound: 1.5 },
  8: { op: '<=', bound: 1 },
};
/** tenantwire's p99 over cortex-tenant's at 2 connections. */
export const P99_VS_CORTEX_TENANT: BenchGoal = { op: '<=', bound: 1 };
/** tenantwire's CPU per sample delivered over vmagent's. */
export const CPU_VS_VMAGENT: BenchGoal = { op: '<=', bound: 1.3 };
/** tenantwire's p99 at half its saturating load, 2 connections, in ms. */
export const HALF_LOAD_P99_MS: BenchGoal = { op: '<', bound: 5 };

function exact(rows: readonly BenchRow[], label: string): BenchRow | undefined {
  return rows.find((r) => r.label === label);
}

function figure(row: BenchRow | undefined, name: string): number | undefined {
  const x = row?.figures[name];
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}

/** A over B for one figure; nothing when either row or figure is missing. */
export function compare(
  label: string,
  a: BenchRow | undefined,
  b: BenchRow | undefined,
  name: string,
  higherIsBetter: boolean,
  goal?: BenchGoal,
): BenchRatio[] {
  const x = figure(a, name);
  const y = figure(b, name);
  if (x === undefined || y === undefined || y === 0) return [];
  return [{ label: `${label}, ${name}`, value: x / y, higherIsBetter, ...(goal ? { goal } : {}) }];
}

function absolute(label: string, row: BenchRow | undefined, name: string, goal?: BenchGoal): BenchRatio[] {
  const x = figure(row, name);
  if (x === undefined) return [];
  return [{ label: `${label}, ${name}`, value: x, higherIsBetter: false, unit: 'ms', ...(goal ? { goal } : {}) }];
}

export function goalRatios(rows: readonly BenchRow[]): BenchRatio[] {
  const out: BenchRatio[] = [];
  for (const c of [2, 8]) {
    const wire = exact(rows, LABELS.wire(c));
    const two = exact(rows, LABELS.twoWorkers(c));
    const ct = exact(rows, LABELS.cortexTenant(c));
    const vm = exact(rows, LABELS.vmagent(c));
    const at = `${c} connections`;
    out.push(
      ...compare(`wire split vs cortex-tenant, ${at}`, wire, ct, 'samples/s', true, THROUGHPUT_VS_CORTEX_TENANT),
      ...compare(`wire split, 2 workers vs cortex-tenant, ${at}`, two, ct, 'samples/s', true),
      ...compare(
        `wire split vs cortex-tenant, ${at}`,
        wire,
        ct,
        'p99 ms',
        false,
        c === 2 ? P99_VS_CORTEX_TENANT : undefined,
      ),
      ...compare(`wire split vs cortex-tenant, ${at}`, wire, ct, 'CPU s per M samples', false),
      ...compare(`wire split vs vmagent, ${at}`, wire, vm, 'peak RSS MiB', false, RSS_VS_VMAGENT[c]),
      ...compare(`wire split, 2 workers vs vmagent, ${at}`, two, vm, 'peak RSS MiB', false),
      ...compare(`wire split vs vmagent, ${at}`, wire, vm, 'CPU s per M samples', false, CPU_VS_VMAGENT),
      ...compare(`wire split vs vmagent, ${at}`, wire, vm, 'samples/s', true),
    );
  }
  const half = (label: string): BenchRow | undefined => rows.find((r) => isHalfLoadOf(r.label, label));
  const wireHalf = half(LABELS.wire(2));
  const ctHalf = half(LABELS.cortexTenant(2));
  out.push(
    ...absolute('wire split at half load, 2 connections', wireHalf, 'p99 ms', HALF_LOAD_P99_MS),
    ...absolute('cortex-tenant at half load, 2 connections', ctHalf, 'p99 ms'),
    ...compare('wire split vs cortex-tenant at half load, 2 connections', wireHalf, ctHalf, 'p99 ms', false),
  );
  return out;
}
