/**
 * zod errors as ConfigErrors that name the user's key paths: the one place that walks zod
 * issues. Two message styles, each pinned by its callers' tests and seen by users:
 * - the pipeline config (`configErrorFromZod`): Alloy-style YAML key paths under the component
 *   id, `prometheus.remote_write.cortex.endpoint[0].url: Invalid URL`, one problem per line,
 *   with a code for the first problem (`unknown_key` or `invalid_value`);
 * - the alerting documents and the `alerting.cortex_sync` arguments
 *   (`configErrorFromZodSummary`): a caller-chosen code and summary, then every problem on one
 *   line, `invalid alerting model: conditions.0.cluster: ...; (root): unknown key(s) "x"`, as
 *   the admin API and the CLI print it.
 */
import type { ZodError } from 'zod';
import { ConfigError, type ConfigErrorCode } from './errors.js';

interface IssueStyle {
  path(path: readonly PropertyKey[]): string;
  unknownKeys(keys: readonly string[]): string;
}

function issueLines(error: ZodError, style: IssueStyle): string[] {
  return error.issues.map((issue) => {
    const problem = issue.code === 'unrecognized_keys' ? style.unknownKeys(issue.keys) : issue.message;
    return `${style.path(issue.path)}: ${problem}`;
  });
}

const quoteKeys = (keys: readonly string[]): string => keys.map((k) => JSON.stringify(k)).join(', ');

/** `endpoint`, 0, `url` -> `endpoint[0].url`, appended to `base`. */
export function formatPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * The first problem of a zod error as a ConfigError whose message starts with the full key
 * path, e.g. `prometheus.remote_write.cortex.endpoint[0].url: Invalid URL`. Unknown keys are
 * named (`unknown key "urll"`); all problems are listed after the first, one per line.
 */
export function configErrorFromZod(error: ZodError, base: string): ConfigError {
  const lines = issueLines(error, {
    path: (path) => formatPath(base, path),
    unknownKeys: (keys) => `unknown key${keys.length > 1 ? 's' : ''} ${quoteKeys(keys)}`,
  });
  const first = error.issues[0];
  const code = first?.code === 'unrecognized_keys' ? 'unknown_key' : 'invalid_value';
  return new ConfigError(code, lines.join('\n'), { cause: error });
}

/** Every problem on one line, paths dotted from the document root, e.g. `conditions.0.cluster: ...`. */
export function describeZodError(error: ZodError): string {
  return issueLines(error, {
    path: (path) => (path.length > 0 ? path.map(String).join('.') : '(root)'),
    unknownKeys: (keys) => `unknown key(s) ${quoteKeys(keys)}`,
  }).join('; ');
}

/** A ConfigError with the caller's stable code, `<what>: ` and then `describeZodError`. */
export function configErrorFromZodSummary(code: ConfigErrorCode, what: string, error: ZodError): ConfigError {
  return new ConfigError(code, `${what}: ${describeZodError(error)}`, { cause: error });
}
