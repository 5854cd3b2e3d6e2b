/**
 * The usage texts of every command. The top-level one lists the environment variables from the
 * binding table itself, so that the list cannot drift from what is read.
 */
import { CORTEX_TENANT_ENV } from '../config/cortex-tenant-env.js';
import { DEFAULT_FLUSH_DEADLINE_MS, FLUSH_DEADLINE_ENV } from './flush-deadline.js';

const RUN_USAGE = `usage:
  tenantwire [--log-level LEVEL]      run the embedded default: listen on 127.0.0.1:8080 and split
                                      into ./data/<tenant>/ (read it with \`tenantwire inspect\`);
                                      /metrics on the same listener
  tenantwire --config FILE            run a cortex-tenant config file, or a pipeline file
             [--log-level LEVEL]      override log_level (error, warn, info, debug, trace)
             [--watch]                pipeline files: re-apply the file when it changes (SIGHUP always does)
                                      (-config FILE, -config=FILE and --config.file FILE work too)
  tenantwire inspect FILE...|- [--json] [--tenant-label NAME]
  tenantwire alerting render|sync ... (tenantwire alerting --help)
  tenantwire --help | --version       (every command takes --help)
`;

/** Every `CT_*` and `TENANTWIRE_*` variable with the config key it overrides. */
export function environmentUsage(): string {
  const width = Math.max(...CORTEX_TENANT_ENV.map((b) => b.env.length)) + 2;
  const lines = CORTEX_TENANT_ENV.map(
    (b) => `  ${b.env.padEnd(width)}${b.path.join('.')}${b.kind === 'list' ? ' (comma separated)' : ''}`,
  );
  const pipeline =
    `  ${FLUSH_DEADLINE_ENV.padEnd(width)}pipelines: how long stopping queues may send (default ` +
    `${DEFAULT_FLUSH_DEADLINE_MS / 1000}s)`;
  return (
    `environment (each overrides the config key named; an empty value counts as ` +
    `unset):\n${lines.join('\n')}\n${pipeline}\n`
  );
}

export function topLevelUsage(): string {
  return `${RUN_USAGE}\n${environmentUsage()}`;
}
