/**
 * The rows of the proxy suite, in table order. The rows compared with the peers (tenantwire's
 * wire split with the default `workers` and with 2, cortex-tenant, vmagent) run at 2 and at 8
 * connections; the other tenantwire rows at the load's 8.
 */
import type { TargetSpec } from './targets.js';

export const TENANTS = 10;
/** The two load shapes of the peer comparison. */
export const PEER_CONNECTIONS = [2, 8] as const;

/** Labels the report looks rows up by. */
export const LABELS = {
  wire: (c: number): string => `tenantwire, wire split (${TENANTS} tenants), ${c} connections`,
  twoWorkers: (c: number): string => `tenantwire, wire split, 2 workers (${TENANTS} tenants), ${c} connections`,
  cortexTenant: (c: number): string => `cortex-tenant, split (${TENANTS} tenants), ${c} connections`,
  vmagent: (c: number): string => `vmagent, receive and forward, ${c} connections`,
  decode: `tenantwire, full decode (${TENANTS} tenants)`,
  v2: `tenantwire, wire split, remote-write 2.0 (${TENANTS} tenants)`,
  wire100: 'tenantwire, wire split (100 tenants)',
  coalesced: `tenantwire, wire split, coalesced (${TENANTS} tenants)`,
  coalesced100: 'tenantwire, wire split, coalesced (100 tenants)',
  pass: 'tenantwire, pass-through (1 tenant)',
  guardrails: `tenantwire, wire split with mapping, ingress auth and limits (${TENANTS} tenants)`,
  queue: `tenantwire, queue mode, WAL (${TENANTS} tenants)`,
} as const;

/** The label of the paced row that follows a saturating one. */
export function halfLoadLabel(label: string, targetRate: number): string {
  return `${label}, half load (${Math.round(targetRate)} req/s)`;
}

/** The half-load row of `label`, whatever rate it ran at. */
export function isHalfLoadOf(rowLabel: string, label: string): boolean {
  return rowLabel.startsWith(`${label}, half load (`);
}

function peerRows(c: number): TargetSpec[] {
  const common = { body: 'split', connections: c, comparison: true } as const;
  return [
    { kind: 'tenantwire-wire', label: LABELS.wire(c), ...common, halfLoad: c === 2 },
    { kind: 'tenantwire-wire', label: LABELS.twoWorkers(c), ...common, workers: 2 },
    { kind: 'cortex-tenant', label: LABELS.cortexTenant(c), ...common, halfLoad: c === 2 },
    { kind: 'vmagent', label: LABELS.vmagent(c), ...common },
  ];
}

/**
 * Runs per row: 1 in --quick; in the full run 3 for the peer comparison (medians of the goal
 * figures) and 2 for the other rows, which keeps the full run near twelve minutes on 2 cores.
 */
export function repeatCounts(quick: boolean): { readonly comparison: number; readonly other: number } {
  return quick ? { comparison: 1, other: 1 } : { comparison: 3, other: 2 };
}

export function repeatsFor(spec: TargetSpec, quick: boolean): number {
  const counts = repeatCounts(quick);
  return spec.comparison === true ? counts.comparison : counts.other;
}

export const TARGETS: readonly TargetSpec[] = [
  ...PEER_CONNECTIONS.flatMap(peerRows),
  { kind: 'tenantwire-decode', label: LABELS.decode, body: 'split' },
  { kind: 'tenantwire-wire', label: LABELS.v2, body: 'split-v2', fullOnly: true },
  { kind: 'tenantwire-wire', label: LABELS.wire100, body: 'split-100', fullOnly: true },
  { kind: 'tenantwire-wire', label: LABELS.coalesced, body: 'split', coalesce: true },
  { kind: 'tenantwire-wire', label: LABELS.coalesced100, body: 'split-100', fullOnly: true, coalesce: true },
  { kind: 'tenantwire-pass', label: LABELS.pass, body: 'single' },
  { kind: 'tenantwire-wire', label: LABELS.guardrails, body: 'split', guardrails: true },
  { kind: 'tenantwire-wire', label: LABELS.queue, body: 'split', queue: {} },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, queue mode, WAL, 1 worker (${TENANTS} tenants)`,
    body: 'split',
    workers: 1,
    queue: {},
    optIn: true,
  },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, queue mode, WAL, max_samples_per_send 10000 (${TENANTS} tenants)`,
    body: 'split',
    queue: { maxSamplesPerSend: 10_000 },
    optIn: true,
  },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, queue mode, WAL, 1 worker, max_samples_per_send 10000 (${TENANTS} tenants)`,
    body: 'split',
    workers: 1,
    queue: { maxSamplesPerSend: 10_000 },
    optIn: true,
  },
];

export interface TargetSelection {
  readonly quick: boolean;
  /** `--rows`. */
  readonly rows?: readonly string[];
}

/** Whether a row runs: `--rows` picks by label; full-only rows skip --quick, opt-in rows need --rows. */
export function selected(spec: TargetSpec, sel: TargetSelection): boolean {
  const named = sel.rows?.some((r) => spec.label.includes(r)) ?? false;
  if (sel.rows !== undefined && !named) return false;
  if (spec.optIn === true && !named) return false;
  return !(spec.fullOnly === true && sel.quick);
}
