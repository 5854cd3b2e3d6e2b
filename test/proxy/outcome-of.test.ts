/**
 * outcomeOf builds its outcomes as literals naming every key (a spread before more keys is slow
 * on Node 20): the outcomes keep exactly the keys they had, `sent` and `retryAfterMs` only when
 * given, so the fold and anything comparing outcomes strictly see the same objects.
 */
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { outcomeOf } from '../../src/proxy/send-tenants.js';

const body = new Uint8Array([1, 2]);
const headers = { 'content-type': 'text/plain' };
const sent = { samples: 3, histograms: 1, exemplars: 0 };

describe('outcomeOf', () => {
  it('a response without sent counts or Retry-After has neither key', () => {
    const o = outcomeOf('a', { kind: 'response', status: 204, headers, body });
    expect(o).toStrictEqual({ tenant: 'a', kind: 'response', status: 204, headers, body });
    expect(Object.keys(o).sort()).toEqual(['body', 'headers', 'kind', 'status', 'tenant']);
  });

  it('a response carries the sent counts and the parsed Retry-After when there are some', () => {
    const o = outcomeOf('a', { kind: 'response', status: 429, headers, body, retryAfterMs: 2000 }, sent);
    expect(o).toStrictEqual({ tenant: 'a', sent, kind: 'response', status: 429, headers, body, retryAfterMs: 2000 });
    expect(outcomeOf('a', { kind: 'response', status: 503, headers, body, retryAfterMs: 0 })).toStrictEqual({
      tenant: 'a',
      kind: 'response',
      status: 503,
      headers,
      body,
      retryAfterMs: 0,
    });
    expect(Object.keys(outcomeOf('a', { kind: 'response', status: 200, headers, body }, sent))).not.toContain(
      'retryAfterMs',
    );
  });

  it('a transport failure is an error outcome, with the sent counts when given', () => {
    const error = new TransportError('timeout', 'timeout: no answer');
    expect(outcomeOf('b', { kind: 'error', error })).toStrictEqual({ tenant: 'b', kind: 'error', error });
    expect(outcomeOf('b', { kind: 'error', error }, sent)).toStrictEqual({ tenant: 'b', sent, kind: 'error', error });
  });
});
