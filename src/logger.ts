import { pino } from 'pino';

/** The logging surface tenantwire code depends on: pino's, so fastify's logger fits. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Pino's level names. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Every name a level may be given by (logrus's `warning` and `panic` included, as cortex-tenant reads them). */
export const LOG_LEVEL_NAMES: Readonly<Record<string, LogLevel>> = {
  panic: 'fatal',
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
};

/** The level a name stands for (case-insensitive), or undefined when it names none. */
export function parseLogLevel(name: string): LogLevel | undefined {
  return Object.hasOwn(LOG_LEVEL_NAMES, name.toLowerCase()) ? LOG_LEVEL_NAMES[name.toLowerCase()] : undefined;
}

/** What an unknown level is told: the names to use instead. */
export const LOG_LEVEL_HINT = 'use error, warn, info, debug or trace';

/** Paths of secrets that must never reach a log line, whatever object carries them. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  '*.*.*.password',
  'bearer_token',
  '*.bearer_token',
  '*.*.bearer_token',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

/** Stands in for a secret in logs and in the effective configuration. */
export const REDACTED = '<redacted>';

/**
 * JSON lines with the level as its name (`"level":"info"`, not pino's number 30), so a reader
 * needs no table to filter them.
 */
export function createLogger(level: LogLevel = 'info', destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything: for tests and embedding hosts that bring none. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
