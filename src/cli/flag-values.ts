/**
 * Values of command-line flags that are more than text: durations in Go's syntax (as in config
 * files) and log levels. A bad value is a `cli_usage` error naming the flag.
 */
import { parseGoDurationMs } from '../config/duration.js';
import { LOG_LEVEL_HINT, parseLogLevel, type LogLevel } from '../logger.js';
import { usageError } from './command-line.js';

/**
 * `30s`, `1m30s`, `500ms` -> milliseconds. A bare number is refused (Go's flag.Duration reads
 * none but `0`), and so is anything under `minMs`: an interval of `1ns` would poll in a loop.
 */
export function durationFlag(flag: string, value: string, minMs: number): number {
  const ms = parseGoDurationMs(value.trim());
  if (ms === undefined) {
    throw usageError(`--${flag}: expected a duration like 30s, 1m or 500ms, got ${JSON.stringify(value)}`);
  }
  if (ms < minMs) throw usageError(`--${flag}: ${JSON.stringify(value)} is shorter than the minimum ${minMs}ms`);
  return ms;
}

/** `--log-level NAME`: a pino or logrus level name, else refused. */
export function logLevelFlag(value: string): LogLevel {
  const level = parseLogLevel(value);
  if (level === undefined) throw usageError(`--log-level: unknown level ${JSON.stringify(value)} (${LOG_LEVEL_HINT})`);
  return level;
}
