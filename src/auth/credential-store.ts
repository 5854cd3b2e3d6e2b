import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { TenantRights } from '../protocol/write-types.js';
import { parseAuthorization } from './authorization-header.js';
import { compileTenantPatterns } from './tenant-pattern.js';

/** One configured credential with its secret read (read-secrets.ts does the reading). */
export interface IngressCredential {
  /** Where it is configured, for messages: `auth.ingress.users[1]`. */
  readonly key: string;
  readonly username?: string;
  /** The password (with `username`) or the bearer token. */
  readonly secret: string;
  readonly tenants: readonly string[];
}

export type OnForbidden = 'reject' | 'drop';

export type AuthOutcome =
  | { readonly ok: true; readonly rights: TenantRights }
  | { readonly ok: false; readonly problem: 'missing' | 'malformed' | 'wrong'; readonly message: string };

export interface CredentialStore {
  /** Checks an `Authorization` header value against every credential. */
  authenticate(header: string | undefined): AuthOutcome;
  readonly size: number;
}

interface Entry {
  readonly userDigest: Buffer | undefined;
  readonly secretDigest: Buffer;
  readonly rights: TenantRights;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The credentials as a store. Secrets are kept only as SHA-256 digests and compared with
 * `timingSafeEqual` over those fixed-length digests, against EVERY credential of the presented
 * kind without stopping at a match, so the time taken tells neither which user exists nor how
 * much of a secret was right. Wrong user and wrong password get the same answer.
 */
export function createCredentialStore(
  credentials: readonly IngressCredential[],
  onForbidden: OnForbidden,
): CredentialStore {
  const basic: Entry[] = [];
  const bearer: Entry[] = [];
  const seenTokens = new Map<string, string>();
  for (const c of credentials) {
    const secretDigest = sha256(c.secret);
    const allows = compileTenantPatterns(c.tenants);
    const name = c.username !== undefined ? `user ${JSON.stringify(c.username)}` : `the bearer token of ${c.key}`;
    const rights: TenantRights = { credential: name, allows, onForbidden };
    if (c.username !== undefined) {
      basic.push({ userDigest: sha256(c.username), secretDigest, rights });
      continue;
    }
    const hex = secretDigest.toString('hex');
    const other = seenTokens.get(hex);
    if (other !== undefined) {
      throw new ConfigError('invalid_value', `${c.key}.bearer_token_file: holds the same token as ${other}`);
    }
    seenTokens.set(hex, c.key);
    bearer.push({ userDigest: undefined, secretDigest, rights });
  }

  return {
    size: credentials.length,
    authenticate(header) {
      const parsed = parseAuthorization(header);
      if (!parsed.ok) return parsed;
      const given = parsed.credential;
      let found: TenantRights | undefined;
      if (given.kind === 'basic') {
        const user = sha256(given.username);
        const secret = sha256(given.password);
        for (const e of basic) {
          // Both comparisons always run: `&` (not `&&`) keeps the work the same for a wrong user.
          const match =
            Number(timingSafeEqual(user, e.userDigest as Buffer)) & Number(timingSafeEqual(secret, e.secretDigest));
          if (match === 1 && found === undefined) found = e.rights;
        }
      } else {
        const secret = sha256(given.token);
        for (const e of bearer) {
          if (timingSafeEqual(secret, e.secretDigest) && found === undefined) found = e.rights;
        }
      }
      if (found !== undefined) return { ok: true, rights: found };
      return { ok: false, problem: 'wrong', message: 'invalid credentials' };
    },
  };
}
