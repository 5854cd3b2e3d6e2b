/**
 * The flags of `tenantwire alerting render` and `tenantwire alerting sync`, read into plain
 * options (pure: no file is read here). Durations take Go's syntax (`30s`, `10m`), as in config
 * files; a bad one is refused naming its flag.
 */
import { DEFAULT_CORTEX_PREFIX } from '../alerting/alertmanager-api.js';
import type { LogLevel } from '../logger.js';
import { parseCommandLine, requiredFlag, type CommandLine, type FlagSpec } from './command-line.js';
import { durationFlag, logLevelFlag } from './flag-values.js';

export const RENDER_FLAGS: FlagSpec = { model: 'string', out: 'string' };
export const SYNC_FLAGS: FlagSpec = {
  model: 'string',
  cortex: 'string',
  prefix: 'string',
  interval: 'string',
  'resync-interval': 'string',
  state: 'string',
  once: 'boolean',
  'log-level': 'string',
};

export const DEFAULT_SYNC_INTERVAL_MS = 30_000;
export const DEFAULT_RESYNC_INTERVAL_MS = 600_000;
/** Below this an interval would hammer Cortex (the loop polls once per interval). */
export const MIN_SYNC_INTERVAL_MS = 100;

export interface RenderArgs {
  readonly model: string;
  readonly out: string;
}

export interface SyncArgs {
  readonly model: string;
  readonly cortex: string;
  readonly prefix: string;
  readonly intervalMs: number;
  readonly resyncIntervalMs: number;
  readonly state: string | undefined;
  readonly once: boolean;
  readonly logLevel: LogLevel;
}

export function renderArgs(line: CommandLine): RenderArgs {
  return { model: requiredFlag(line, 'model'), out: requiredFlag(line, 'out') };
}

export function syncArgs(line: CommandLine): SyncArgs {
  const model = requiredFlag(line, 'model');
  const cortex = requiredFlag(line, 'cortex');
  const interval = line.values.get('interval');
  const resync = line.values.get('resync-interval');
  const level = line.values.get('log-level');
  return {
    model,
    cortex,
    prefix: line.values.get('prefix') ?? DEFAULT_CORTEX_PREFIX,
    intervalMs:
      interval === undefined ? DEFAULT_SYNC_INTERVAL_MS : durationFlag('interval', interval, MIN_SYNC_INTERVAL_MS),
    resyncIntervalMs:
      resync === undefined ? DEFAULT_RESYNC_INTERVAL_MS : durationFlag('resync-interval', resync, MIN_SYNC_INTERVAL_MS),
    state: line.values.get('state'),
    once: line.flags.has('once'),
    logLevel: level === undefined ? 'info' : logLevelFlag(level),
  };
}

/** argv (after `sync`) straight to options; for callers that do not handle --help. */
export const parseSyncArgs = (args: readonly string[]): SyncArgs => syncArgs(parseCommandLine(args, SYNC_FLAGS));
export const parseRenderArgs = (args: readonly string[]): RenderArgs =>
  renderArgs(parseCommandLine(args, RENDER_FLAGS));
