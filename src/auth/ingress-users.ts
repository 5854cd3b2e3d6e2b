import { ConfigError } from '../errors.js';

/**
 * tenantwire's ingress authentication keys (the drop-in's `auth.ingress`, receive_http's `auth`): `users` (each
 * either `username` + `password_file` or `bearer_token_file`, plus the `tenants` it may write)
 * and `on_forbidden`. Only file names live in the config; the secrets are read when the proxy
 * starts (auth/read-secrets.ts), so neither the config nor its log line ever holds one.
 */
export interface IngressUserConfig {
  /** Where it is configured, for messages: `auth.ingress.users[0]`. */
  readonly key: string;
  readonly username?: string;
  readonly passwordFile?: string;
  readonly bearerTokenFile?: string;
  /** Patterns over final tenant ids (auth/tenant-pattern.ts). */
  readonly tenants: readonly string[];
}

export interface IngressAuthConfig {
  readonly users: readonly IngressUserConfig[];
  /** What a tenant the credential may not write gets: 403 for the request, or dropped. Default reject. */
  readonly onForbidden: 'reject' | 'drop';
}

/** The keys as both configurations write them (the drop-in's `auth.ingress`, receive_http's `auth`). */
export interface IngressUsersInput {
  readonly users?:
    | readonly {
        readonly username?: string | undefined;
        readonly password_file?: string | undefined;
        readonly bearer_token_file?: string | undefined;
        readonly tenants: readonly string[];
      }[]
    | null
    | undefined;
  readonly on_forbidden?: 'reject' | 'drop' | undefined;
}

/**
 * Undefined: no `users`, every sender may write every tenant (cortex-tenant's behaviour).
 * `at` is where the keys live, for messages: `auth.ingress` in the drop-in, `auth` in receive_http.
 */
export function normalizeIngressUsers(
  ingress: IngressUsersInput | null | undefined,
  source: string,
  at = 'auth.ingress',
): IngressAuthConfig | undefined {
  const users = ingress?.users ?? undefined;
  if (users === undefined) {
    if (ingress?.on_forbidden !== undefined) {
      throw new ConfigError(
        'invalid_value',
        `${source}: ${at}.on_forbidden is set but ${at}.users is not (it applies to credentials)`,
      );
    }
    return undefined;
  }
  if (users.length === 0) {
    throw new ConfigError(
      'invalid_value',
      `${source}: ${at}.users is an empty list, which would leave every tenant open: ` +
        `list at least one credential, or remove the key`,
    );
  }
  const seen = new Map<string, string>();
  const out = users.map((u, i): IngressUserConfig => {
    const key = `${at}.users[${i}]`;
    const basic = u.username !== undefined || u.password_file !== undefined;
    const bearer = u.bearer_token_file !== undefined;
    if (basic === bearer) {
      throw new ConfigError(
        'invalid_value',
        `${source}: ${key}: set either username and password_file, or bearer_token_file (exactly one of the two)`,
      );
    }
    if (bearer)
      return { key, bearerTokenFile: nonEmpty(u.bearer_token_file, `${key}.bearer_token_file`), tenants: u.tenants };
    const username = nonEmpty(u.username, `${key}.username`);
    const passwordFile = nonEmpty(u.password_file, `${key}.password_file`);
    const other = seen.get(username);
    if (other !== undefined) {
      throw new ConfigError(
        'invalid_value',
        `${source}: ${key}.username: ${JSON.stringify(username)} is already used by ${other}`,
      );
    }
    seen.set(username, `${key}.username`);
    return { key, username, passwordFile, tenants: u.tenants };
  });
  return { users: out, onForbidden: ingress?.on_forbidden ?? 'reject' };

  function nonEmpty(value: string | undefined, key: string): string {
    if (value === undefined || value === '') {
      throw new ConfigError('invalid_value', `${source}: ${key} is missing or empty`);
    }
    return value;
  }
}
