import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { parseRetryAfter as parseRetryAfterMs } from '../../src/http/retry-after.js';
import { foldOutcomes, type TenantOutcome } from '../../src/tenant/fold.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const res = (tenant: string, status: number, body = '', headers: Record<string, string> = {}): TenantOutcome => ({
  tenant,
  kind: 'response',
  status,
  headers,
  body: enc(body),
});
const err = (tenant: string, msg = 'ECONNREFUSED'): TenantOutcome => ({
  tenant,
  kind: 'error',
  error: new TransportError('ECONNREFUSED', msg),
});

describe('folding upstream outcomes', () => {
  it.each<[string, TenantOutcome[], boolean, number, string]>([
    ['all 204', [res('a', 204), res('b', 204)], false, 204, ''],
    ['highest 2xx', [res('a', 200, 'ok'), res('b', 204)], false, 204, ''],
    [
      '4xx beats 2xx',
      [res('a', 204), res('b', 400, 'bad labels')],
      false,
      400,
      'tenant b: upstream answered 400: bad labels',
    ],
    ['5xx beats 4xx', [res('a', 400, 'x'), res('b', 503, 'down')], false, 503, 'tenant b: upstream answered 503: down'],
    ['429 vs 400', [res('a', 429, 'slow'), res('b', 400, 'x')], false, 429, 'tenant a: upstream answered 429: slow'],
    [
      'transport error gives 500',
      [res('a', 204), err('b')],
      false,
      500,
      'upstream request failed: tenant b: ECONNREFUSED',
    ],
    ['accept_all hides errors', [res('a', 500, 'x'), err('b')], true, 204, ''],
    ['nothing sent', [], false, 204, ''],
    [
      'an empty error body still names the tenant',
      [res('a', 204), res('b', 502)],
      false,
      502,
      'tenant b: upstream answered 502',
    ],
  ])('%s', (_n, outcomes, acceptAll, status, body) => {
    const a = foldOutcomes(outcomes, { acceptAll });
    expect(a.status).toBe(status);
    expect(dec(a.body)).toBe(body);
  });

  it('reports partial acceptance', () => {
    const a = foldOutcomes([res('a', 204), res('b', 400), res('c', 503), err('d')]);
    expect(a).toMatchObject({ accepted: ['a'], refused: ['b'], retryable: ['c'], failed: ['d'], partial: true });
    expect(foldOutcomes([res('a', 204)]).partial).toBe(false);
  });

  it('carries the largest Retry-After among 429/5xx when retrying', () => {
    const a = foldOutcomes([
      res('a', 429, '', { 'retry-after': '5' }),
      res('b', 503, '', { 'retry-after': '30' }),
      res('c', 400, '', { 'retry-after': '999' }),
    ]);
    expect(a.status).toBe(503);
    expect(a.headers['Retry-After']).toBe('30');
    const b = foldOutcomes([{ ...res('a', 429), retryAfterMs: 1500 } as TenantOutcome]);
    expect(b.headers['Retry-After']).toBe('2');
    expect(foldOutcomes([res('a', 400, '', { 'retry-after': '5' })]).headers['Retry-After']).toBeUndefined();
  });

  it('reads an HTTP-date Retry-After only with a clock', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT')).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });

  it('2.0: sums Written headers, falling back to what was sent for a 2xx without them', () => {
    const sent = { samples: 7, histograms: 1, exemplars: 0 };
    const a = foldOutcomes(
      [
        res('a', 204, '', {
          'x-prometheus-remote-write-samples-written': '10',
          'x-prometheus-remote-write-histograms-written': '2',
          'x-prometheus-remote-write-exemplars-written': '1',
        }),
        { ...res('b', 204), sent } as TenantOutcome,
        { ...res('c', 400, 'x', { 'x-prometheus-remote-write-samples-written': '3' }), sent } as TenantOutcome,
        { ...res('d', 500), sent } as TenantOutcome,
      ],
      { protocol: '2.0' },
    );
    expect(a.written).toEqual({ samples: 20, histograms: 3, exemplars: 1 });
    expect(a.headers['X-Prometheus-Remote-Write-Samples-Written']).toBe('20');
    expect(a.headers['X-Prometheus-Remote-Write-Histograms-Written']).toBe('3');
    expect(a.headers['X-Prometheus-Remote-Write-Exemplars-Written']).toBe('1');
    expect(foldOutcomes([res('a', 204)]).headers).toEqual({});
  });
});
