/**
 * Argument parsing shared by every tenantwire command, on `node:util` parseArgs: `--name value`,
 * `--name=value`, bare booleans, `--` ends the options. `--help`/`-h` and `--version` are known
 * to every command. With `goSingleDash`, `-name value` and `-name=value` are read as their `--`
 * forms, as Go's flag package (and so cortex-tenant's `-config FILE`) takes them.
 * Every mistake is a ConfigError with code `cli_usage` whose message names the argument.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';

export type FlagKind = 'string' | 'boolean';

/** Flag name (without dashes) -> its kind. */
export type FlagSpec = Readonly<Record<string, FlagKind>>;

export interface CommandLine {
  /** String flags given; the last one wins when a flag is repeated. */
  readonly values: ReadonlyMap<string, string>;
  /** Boolean flags given. */
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
  readonly help: boolean;
  readonly version: boolean;
}

export interface ParseOptions {
  /** Read `-name` as `--name` for long flags (not for `-h`). */
  readonly goSingleDash?: boolean;
  /** Most positional arguments accepted. Default 0. */
  readonly maxPositionals?: number;
}

const COMMON: FlagSpec = { help: 'boolean', version: 'boolean' };
const SHORT: Readonly<Record<string, string>> = { help: 'h', version: 'v' };

export const usageError = (message: string): ConfigError => new ConfigError('cli_usage', message);

/** `-config=x` -> `--config=x` when `config` is a known long flag; anything else unchanged. */
function fromGoStyle(arg: string, spec: FlagSpec): string {
  const m = /^-([^-=][^=]+)(=.*)?$/.exec(arg);
  return m && m[1] !== undefined && Object.hasOwn(spec, m[1]) ? `-${arg}` : arg;
}

export function parseCommandLine(args: readonly string[], own: FlagSpec, options: ParseOptions = {}): CommandLine {
  const spec: FlagSpec = { ...COMMON, ...own };
  const end = args.indexOf('--');
  const input = options.goSingleDash
    ? args.map((a, i) => (end !== -1 && i > end ? a : fromGoStyle(a, spec)))
    : [...args];
  const parseOptions: Record<string, { type: FlagKind; short?: string }> = {};
  for (const [name, type] of Object.entries(spec))
    parseOptions[name] = SHORT[name] ? { type, short: SHORT[name] } : { type };
  // strict: false so that every mistake is reported here, in our words, naming the argument.
  const { tokens } = parseArgs({
    args: input,
    options: parseOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    const kind = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    const shown = token.rawName;
    if (kind === undefined) throw usageError(`unknown option ${shown}`);
    if (kind === 'boolean') {
      if (token.inlineValue) throw usageError(`${shown} takes no value`);
      flags.add(token.name);
      continue;
    }
    const value = token.value;
    // `--config --watch`: parseArgs would take `--watch` as the file name.
    if (value === undefined || value === '' || (!token.inlineValue && value.startsWith('-') && value !== '-')) {
      throw usageError(`${shown} needs a value`);
    }
    values.set(token.name, value);
  }
  const max = options.maxPositionals ?? 0;
  if (positionals.length > max) throw usageError(`unexpected argument ${JSON.stringify(positionals[max])}`);
  return { values, flags, positionals, help: flags.has('help'), version: flags.has('version') };
}

/** The value of a string flag that must be given. */
export function requiredFlag(line: CommandLine, name: string): string {
  const v = line.values.get(name);
  if (v === undefined) throw usageError(`--${name} is required`);
  return v;
}
