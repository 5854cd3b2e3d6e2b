import { describe, expect, it } from 'vitest';
import { parseSyncArgs, parseRenderArgs } from '../../src/cli/alerting-args.js';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { durationFlag, logLevelFlag } from '../../src/cli/flag-values.js';
import { parseInspectArgs } from '../../src/cli/inspect.js';
import { environmentUsage } from '../../src/cli/usage.js';
import { CORTEX_TENANT_ENV } from '../../src/config/cortex-tenant-env.js';
import { ConfigError } from '../../src/errors.js';

const RUN = { config: 'string', 'config.file': 'string', 'log-level': 'string', watch: 'boolean' } as const;

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('cli_usage');
    return (e as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('parseCommandLine', () => {
  it("reads Go's single dash for long flags: -config FILE, -config=FILE", () => {
    expect(parseCommandLine(['-config', 'a.yml'], RUN, { goSingleDash: true }).values.get('config')).toBe('a.yml');
    expect(parseCommandLine(['-config=b.yml'], RUN, { goSingleDash: true }).values.get('config')).toBe('b.yml');
    expect(parseCommandLine(['--config.file', 'c.yml'], RUN, { goSingleDash: true }).values.get('config.file')).toBe(
      'c.yml',
    );
    expect(parseCommandLine(['-watch', '-config', 'x'], RUN, { goSingleDash: true }).flags.has('watch')).toBe(true);
    expect(usageMessage(() => parseCommandLine(['-config', 'a.yml'], RUN))).toMatch(/unknown option -c/);
  });

  it('knows --help, -h and --version everywhere', () => {
    expect(parseCommandLine(['--help'], {}).help).toBe(true);
    expect(parseCommandLine(['-h'], RUN, { goSingleDash: true }).help).toBe(true);
    expect(parseCommandLine(['--version'], {}).version).toBe(true);
    expect(parseCommandLine(['-version'], RUN, { goSingleDash: true }).version).toBe(true);
  });

  it('refuses unknown flags, missing values, values on booleans and stray arguments by name', () => {
    expect(usageMessage(() => parseCommandLine(['--bogus'], RUN))).toBe('unknown option --bogus');
    expect(usageMessage(() => parseCommandLine(['--config'], RUN))).toBe('--config needs a value');
    expect(usageMessage(() => parseCommandLine(['--config', '--watch'], RUN))).toBe('--config needs a value');
    expect(usageMessage(() => parseCommandLine(['--watch=yes'], RUN))).toBe('--watch takes no value');
    expect(usageMessage(() => parseCommandLine(['serve'], RUN))).toBe('unexpected argument "serve"');
  });

  it('takes positionals up to the limit, and everything after --', () => {
    const line = parseCommandLine(['a', '--', '--b'], {}, { maxPositionals: 2 });
    expect(line.positionals).toEqual(['a', '--b']);
  });
});

describe('flag values', () => {
  it("durations take Go's syntax and are refused naming the flag", () => {
    expect(durationFlag('interval', '30s', 100)).toBe(30_000);
    expect(durationFlag('interval', '1m30s', 100)).toBe(90_000);
    expect(usageMessage(() => durationFlag('interval', '30', 100))).toMatch(/^--interval: expected a duration/);
    expect(usageMessage(() => durationFlag('interval', '1ns', 100))).toMatch(/^--interval: .*minimum/);
  });

  it('log levels are refused naming the flag', () => {
    expect(logLevelFlag('warning')).toBe('warn');
    expect(logLevelFlag('DEBUG')).toBe('debug');
    expect(usageMessage(() => logLevelFlag('bogus'))).toMatch(/^--log-level: unknown level "bogus"/);
    expect(usageMessage(() => logLevelFlag('constructor'))).toMatch(/--log-level/);
  });
});

describe('alerting flags', () => {
  const base = ['--model', 'm.yaml', '--cortex', 'http://cortex'];

  it('--interval 30s is 30 seconds, not NaN (a poll every millisecond)', () => {
    const o = parseSyncArgs([...base, '--interval', '30s', '--resync-interval=10m']);
    expect(o.intervalMs).toBe(30_000);
    expect(o.resyncIntervalMs).toBe(600_000);
    expect(parseSyncArgs(base)).toMatchObject({
      intervalMs: 30_000,
      resyncIntervalMs: 600_000,
      logLevel: 'info',
      once: false,
      prefix: '/alertmanager',
    });
  });

  it('bad durations, levels and flags are refused by name', () => {
    expect(usageMessage(() => parseSyncArgs([...base, '--interval', '30']))).toMatch(/^--interval: /);
    expect(usageMessage(() => parseSyncArgs([...base, '--resync-interval', 'often']))).toMatch(/^--resync-interval: /);
    expect(usageMessage(() => parseSyncArgs([...base, '--log-level', 'loud']))).toMatch(/^--log-level: /);
    expect(usageMessage(() => parseSyncArgs(['--model', 'm']))).toBe('--cortex is required');
    expect(usageMessage(() => parseRenderArgs(['--model', 'm', '--once']))).toBe('unknown option --once');
  });
});

describe('inspect arguments', () => {
  it('takes several files, and stdin at most once', () => {
    expect(parseInspectArgs(['a.snappy', 'b.snappy', '--json']).files).toEqual(['a.snappy', 'b.snappy']);
    expect(usageMessage(() => parseInspectArgs(['-', '-']))).toMatch(/stdin/);
    expect(usageMessage(() => parseInspectArgs([]))).toMatch(/missing FILE/);
    expect(parseInspectArgs(['--help']).help).toBe(true);
  });
});

describe('usage', () => {
  it('lists every CT_* and TENANTWIRE_* variable from the binding table', () => {
    const text = environmentUsage();
    for (const b of CORTEX_TENANT_ENV) expect(text).toMatch(new RegExp(`^  ${b.env} +${b.path.join('\\.')}`, 'm'));
  });
});
