import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import {
  createCredentialStore,
  type CredentialStore,
  type IngressCredential,
  type OnForbidden,
} from './credential-store.js';

/** What the config says (config/ingress-users.ts): file names, never secrets. */
export interface CredentialFiles {
  readonly users: readonly {
    readonly key: string;
    readonly username?: string;
    readonly passwordFile?: string;
    readonly bearerTokenFile?: string;
    readonly tenants: readonly string[];
  }[];
  readonly onForbidden: OnForbidden;
}

/** Most bytes a password or token file may hold: a secret, not a data file. */
const MAX_SECRET_BYTES = 4096;

/**
 * The edge of ingress authentication: reads every `password_file` and `bearer_token_file`
 * (one trailing newline, LF or CRLF, is stripped, as `echo secret > file` writes one) and
 * builds the store. A file that cannot be read, is empty or too large is a startup error naming
 * the key and the path, never the content.
 */
export async function loadCredentialStore(config: CredentialFiles): Promise<CredentialStore> {
  const credentials = await Promise.all(
    config.users.map(async (u): Promise<IngressCredential> => {
      const [name, path] =
        u.bearerTokenFile !== undefined
          ? ['bearer_token_file', u.bearerTokenFile]
          : ['password_file', u.passwordFile ?? ''];
      const secret = await readSecret(`${u.key}.${name}`, path);
      if (u.bearerTokenFile !== undefined && !/^[\x21-\x7e]+$/.test(secret)) {
        throw new ConfigError(
          'invalid_value',
          `${u.key}.bearer_token_file: ${path} holds spaces, control or non-ASCII characters, which no ` +
            `Authorization: Bearer header can carry`,
        );
      }
      return { key: u.key, ...(u.username !== undefined ? { username: u.username } : {}), secret, tenants: u.tenants };
    }),
  );
  return createCredentialStore(credentials, config.onForbidden);
}

export async function readSecret(key: string, path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError('unreadable_file', `${key}: cannot read ${path}${code ? ` (${code})` : ''}`, { cause: e });
  }
  if (bytes.byteLength > MAX_SECRET_BYTES) {
    throw new ConfigError(
      'invalid_value',
      `${key}: ${path} holds ${bytes.byteLength} bytes, more than the ${MAX_SECRET_BYTES} a secret may have`,
    );
  }
  const secret = bytes.toString('utf8').replace(/\r?\n$/, '');
  if (secret === '') throw new ConfigError('invalid_value', `${key}: ${path} is empty`);
  return secret;
}
