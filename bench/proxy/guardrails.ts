/**
 * The guardrails row's configuration: tenant mapping (a regex rule and a lookup table), ingress
 * authentication (basic auth from a password file, tenant patterns) and per-tenant limits set
 * high enough never to refuse, so that the row measures what checking them costs per request
 * against the plain wire split in the same run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GuardrailsConfig {
  /** Lines inside the `tenant:` block. */
  readonly tenantLines: readonly string[];
  /** Top-level lines. */
  readonly lines: readonly string[];
  /** The Authorization header the senders send. */
  readonly authorization: string;
}

const USER = 'bench';
const PASSWORD = 'bench-password-not-secret';

/** Writes the password file into `dir` and answers the config lines that use it. */
export function guardrailsConfig(dir: string): GuardrailsConfig {
  const passwordFile = join(dir, 'bench.pass');
  writeFileSync(passwordFile, `${PASSWORD}\n`);
  return {
    tenantLines: [
      '  mapping:',
      "    - match: 'tenant-(\\d+)'",
      "      tenant: 'team-$1'",
      '    - values: { other: team-other }',
    ],
    lines: [
      'auth:',
      '  ingress:',
      '    users:',
      `      - { username: ${USER}, password_file: ${JSON.stringify(passwordFile)}, tenants: ['team-*', 'bench-default'] }`,
      // High enough never to refuse: the row measures the checks, not refusals.
      'limits:',
      '  per_tenant:',
      '    ingestion_rate: 1000000000',
      '    max_series_per_request: 100000',
      '    max_active_series: 1000000',
    ],
    authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
  };
}
