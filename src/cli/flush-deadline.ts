import { parseGoDurationMs } from '../config/duration.js';
import { ConfigError } from '../errors.js';

/**
 * How long a stopping pipeline's queues may spend sending what they hold, from the environment
 * (pipeline files have no top-level settings of their own).
 */
export const FLUSH_DEADLINE_ENV = 'TENANTWIRE_FLUSH_DEADLINE';
/** Prometheus' --storage.remote.flush-deadline: how long stopping queues may spend sending. */
export const DEFAULT_FLUSH_DEADLINE_MS = 60_000;
/** receive_http's longest drain (read_timeout 30 s + 1 s) and slack for the last steps. */
export const STOP_SLACK_MS = 31_000 + 5_000;

/** TENANTWIRE_FLUSH_DEADLINE (a Go duration), or the default; anything else is refused naming it. */
export function flushDeadlineFrom(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[FLUSH_DEADLINE_ENV];
  if (raw === undefined || raw === '') return DEFAULT_FLUSH_DEADLINE_MS;
  const ms = parseGoDurationMs(raw);
  if (ms === undefined || ms < 0)
    throw new ConfigError(
      'invalid_env',
      `TENANTWIRE_FLUSH_DEADLINE=${JSON.stringify(raw)}: expected a duration such as 30s or 1m`,
    );
  return ms;
}
