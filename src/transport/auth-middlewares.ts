import { ConfigError } from '../errors.js';
import { isSafeHeaderValue, mergeHeaders } from './headers.js';
import type { Transport, TransportMiddleware } from './types.js';

/** Adds (or replaces, whatever the case) fixed headers on every request. */
export function withHeaders(headers: Readonly<Record<string, string>>): TransportMiddleware {
  for (const [name, value] of Object.entries(headers)) {
    if (!isSafeHeaderValue(value) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new ConfigError('bad_header', `header ${JSON.stringify(name)} has an invalid name or value`);
    }
  }
  const fixed = { ...headers };
  return (inner: Transport): Transport => ({
    send: (request) => inner.send({ ...request, headers: mergeHeaders(request.headers, fixed) }),
    close: () => inner.close(),
  });
}

/** HTTP basic auth (RFC 7617, UTF-8). */
export function withBasicAuth(username: string, password: string): TransportMiddleware {
  if (username.includes(':')) throw new ConfigError('bad_basic_auth', 'basic_auth username must not contain ":"');
  const token = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  return withHeaders({ Authorization: `Basic ${token}` });
}

/** `Authorization: Bearer <token>`. */
export function withBearerToken(token: string): TransportMiddleware {
  if (!isSafeHeaderValue(token))
    throw new ConfigError('bad_bearer_token', 'bearer_token must not contain CR, LF or NUL');
  return withHeaders({ Authorization: `Bearer ${token}` });
}

/** Applies middlewares left to right: `compose(t, a, b)` is `b(a(t))`, so `b` sees requests first. */
export function composeTransport(inner: Transport, ...middlewares: readonly TransportMiddleware[]): Transport {
  return middlewares.reduce<Transport>((t, m) => m(t), inner);
}
