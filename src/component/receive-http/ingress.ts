import { Counter, type Registry } from 'prom-client';
import type { CredentialStore } from '../../auth/credential-store.js';
import { normalizeIngressUsers, type IngressAuthConfig } from '../../auth/ingress-users.js';
import { loadCredentialStore } from '../../auth/read-secrets.js';
import type { Logger } from '../../logger.js';
import type { IngressAuth } from '../../server/ingress-auth.js';
import type { ReceiveHttpArgs } from './arguments.js';

/**
 * receive_http's `auth`: the credentials the server checks (401 without valid ones), read from
 * their files when the arguments are applied and again on every reload (`refresh`), so a rotated
 * secret file takes effect on SIGHUP as in the drop-in. The tenants a credential may write are
 * checked by each remote_write endpoint on its FINAL tenant ids (the rights travel with the push).
 */
export interface ReceiveIngress {
  /** What the server uses; undefined while no `auth.users` is configured. */
  auth(): IngressAuth | undefined;
  /** Applies new arguments: reads the secret files (a bad one refuses the update). */
  apply(args: ReceiveHttpArgs): Promise<void>;
  /** Reads the files of the arguments in force again; a failure keeps the old secrets, logged. */
  refresh(): Promise<void>;
}

const REFUSED = 'tenantwire_ingress_refused_total';

export function createReceiveIngress(registry: Registry, logger: Logger): ReceiveIngress {
  let config: IngressAuthConfig | undefined;
  let store: CredentialStore | undefined;
  const refused =
    (registry.getSingleMetric(REFUSED) as Counter<'reason'> | undefined) ??
    new Counter({
      name: REFUSED,
      help:
        'Requests refused by ingress authentication, by reason: missing_credentials, malformed_credentials, ' +
        'wrong_credentials (401), forbidden_tenant_header, forbidden_tenant (403).',
      labelNames: ['reason'],
      registers: [registry],
    });
  const ingress: IngressAuth = {
    authenticate: (header) =>
      store ? store.authenticate(header) : { ok: false, problem: 'missing', message: 'no credentials configured' },
    // The final tenants are checked downstream, where prefix_prefer_source is applied.
    checkSourceTenant: false,
    onRefused: (reason) => refused.inc({ reason }),
  };
  return {
    auth: () => (store ? ingress : undefined),
    async apply(args) {
      const next = normalizeIngressUsers(args.auth, 'prometheus.receive_http', 'auth');
      const nextStore = next ? await loadCredentialStore(next) : undefined;
      config = next;
      store = nextStore;
    },
    async refresh() {
      if (config === undefined) return;
      try {
        store = await loadCredentialStore(config);
        logger.info({ credentials: store.size }, 'auth secret files read again');
      } catch (e) {
        logger.error(
          { err: e instanceof Error ? e.message : String(e) },
          'auth secret files not read again; the previous secrets stay in force',
        );
      }
    },
  };
}
