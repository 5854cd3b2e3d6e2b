/**
 * The contract every bench suite follows, so that `npm run bench` can run them all and write
 * bench/results/<name>.json, a markdown table and an SVG chart per suite.
 *
 * A suite lives in bench/<name>/index.ts and exports `suite: BenchSuite`.
 */
export interface BenchOptions {
  /** Short version: the whole suite set under two minutes on 2 cores. */
  readonly quick: boolean;
  /** Where peers live (.peers/root/usr/bin), for suites that start real processes. */
  readonly peersBin: string;
  /** Only the rows whose label contains one of these (suites that support it). */
  readonly rows?: readonly string[];
  /** Backlog size for replay measurements, MiB (the suite's default otherwise). */
  readonly replayMib?: number;
  /** `--cortex-tenant`: the cortex-tenant binary for the proxy suite's peer rows. */
  readonly cortexTenant?: string;
  /** Progress lines go here, not to stdout tables. */
  log(line: string): void;
}

export interface BenchRow {
  /** What was measured, e.g. "decode 10k series (tenantwire)". */
  readonly label: string;
  /** Figures by column name, e.g. { 'MB/s': 812.3, 'series/s': 2.5e6 }. */
  readonly figures: Readonly<Record<string, number>>;
}

export interface BenchRatio {
  /** e.g. "scan vs protobufjs decode, 10k series" */
  readonly label: string;
  /** A over B, with B the baseline; > 1 means A is ahead when `higherIsBetter`. */
  readonly value: number;
  readonly higherIsBetter: boolean;
  /** What `value` is: a ratio (default) or an absolute figure in milliseconds. */
  readonly unit?: 'ratio' | 'ms';
  /** The target the value is held to, shown beside it with whether it is met. */
  readonly goal?: BenchGoal;
}

export interface BenchGoal {
  /** `value <op> bound` meets the goal. */
  readonly op: '>=' | '<=' | '<';
  readonly bound: number;
}

export interface BenchResult {
  readonly name: string;
  readonly title: string;
  readonly rows: readonly BenchRow[];
  readonly ratios: readonly BenchRatio[];
  /** Plain statements, e.g. where a peer is ahead and why. */
  readonly notes: readonly string[];
  /** The column to chart (one bar per row). */
  readonly chartFigure?: string;
}

export interface BenchSuite {
  readonly name: string;
  run(options: BenchOptions): Promise<BenchResult>;
}
