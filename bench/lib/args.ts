/** The bench command line: `npm run bench -- [--quick] [--only a,b] [--out dir] [--list]`. */

export interface BenchArgs {
  readonly quick: boolean;
  /** Suite names to run; undefined runs all. */
  readonly only?: readonly string[];
  /** Where results go; default bench/results. */
  readonly out?: string;
  /** List the suites found and exit. */
  readonly list: boolean;
  /** Only the rows whose label contains one of these (suites that support it, e.g. proxy). */
  readonly rows?: readonly string[];
  /** Backlog size for the replay measurements (wal, proxy), MiB. */
  readonly replayMib?: number;
  /** The cortex-tenant binary the proxy suite compares against (see bench/lib/cortex-tenant-path.ts). */
  readonly cortexTenant?: string;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only <suite,...>] [--rows <text,...>] [--replay-mib N] [--cortex-tenant <path>] [--out <dir>] [--list]
  --quick        the short version (the whole set under about two minutes on 2 cores)
  --only a,b     run only these suites (e.g. --only proxy,split)
  --rows a,b     proxy: only the rows whose label contains one of these (e.g. --rows queue,'wire split (10',vmagent)
  --replay-mib N backlog replayed by the wal and proxy suites (default 256 MiB, 64 with --quick)
  --cortex-tenant path
                 proxy: the cortex-tenant binary to compare against (else $TENANTWIRE_BENCH_CORTEX_TENANT,
                 else ../shared/peers/cortex-tenant beside the repository; its rows are skipped when absent)
  --out dir      write results there instead of bench/results
  --list         print the suites found and exit`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let list = false;
  let help = false;
  let only: string[] | undefined;
  let out: string | undefined;
  let rows: string[] | undefined;
  let replayMib: number | undefined;
  let cortexTenant: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--quick') quick = true;
    else if (flag === '--list') list = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--only')
      only = [
        ...(only ?? []),
        ...value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ];
    else if (flag === '--out') out = value();
    else if (flag === '--rows')
      rows = [
        ...(rows ?? []),
        ...value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ];
    else if (flag === '--replay-mib') {
      replayMib = Number(value());
      if (!Number.isInteger(replayMib) || replayMib < 1)
        throw new Error(`--replay-mib needs a whole number of MiB\n${USAGE}`);
    } else if (flag === '--cortex-tenant') cortexTenant = value();
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return {
    quick,
    list,
    help,
    ...(only ? { only } : {}),
    ...(out ? { out } : {}),
    ...(rows ? { rows } : {}),
    ...(replayMib !== undefined ? { replayMib } : {}),
    ...(cortexTenant !== undefined ? { cortexTenant } : {}),
  };
}
