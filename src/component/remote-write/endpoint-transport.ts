import { readCaFile } from '../../transport/ca-file.js';
import { composeTransport, withBasicAuth, withBearerToken, withHeaders } from '../../transport/auth-middlewares.js';
import { createDirectoryTransport, directoryFromUrl } from '../../transport/directory-transport.js';
import { createUndiciTransport } from '../../transport/undici-transport.js';
import type { Transport, TransportMiddleware } from '../../transport/types.js';
import type { EndpointArgs } from './arguments.js';

/**
 * The transport of one endpoint: the injected one, a directory transport for `dir://` URLs,
 * else an undici pool; wrapped with the endpoint's fixed headers and auth. `owned` says
 * whether the endpoint must close it.
 */
export interface EndpointTransport {
  readonly transport: Transport;
  readonly owned: boolean;
}

export function endpointTransport(e: EndpointArgs, tenantHeader: string, injected?: Transport): EndpointTransport {
  let base: Transport;
  if (injected) base = injected;
  else if (directoryFromUrl(e.url) !== undefined)
    base = createDirectoryTransport({ tenantHeader, defaultTenant: 'anonymous' });
  else {
    const caPem = e.tls?.ca_pem ?? (e.tls?.ca_file ? readCaFile(e.tls.ca_file) : undefined);
    base = createUndiciTransport({
      ...(caPem === undefined ? {} : { caPem }),
      insecureSkipVerify: e.tls?.insecure_skip_verify ?? false,
      timeoutMs: e.remote_timeout,
    });
  }
  const middlewares: TransportMiddleware[] = [];
  if (Object.keys(e.headers).length > 0) middlewares.push(withHeaders(e.headers));
  if (e.basic_auth) middlewares.push(withBasicAuth(e.basic_auth.username, e.basic_auth.password));
  if (e.bearer_token !== undefined) middlewares.push(withBearerToken(e.bearer_token));
  const transport = composeTransport(base, ...middlewares);
  return { transport, owned: injected === undefined };
}
