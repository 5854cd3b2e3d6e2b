import { describe, expect, it, vi } from 'vitest';

// The store must compare through timingSafeEqual: wrap the real one to watch the calls.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const crypto = await import('node:crypto');
const { createCredentialStore } = await import('../../src/auth/credential-store.js');
const { parseAuthorization } = await import('../../src/auth/authorization-header.js');

const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

const store = createCredentialStore(
  [
    { key: 'auth.ingress.users[0]', username: 'team-a', secret: 's3cret-a', tenants: ['team-a', 'team-a-*'] },
    { key: 'auth.ingress.users[1]', username: 'team-b', secret: 's3cret-b', tenants: ['team-b'] },
    { key: 'auth.ingress.users[2]', secret: 'ci-token-123', tenants: ['*'] },
  ],
  'reject',
);

describe('parseAuthorization', () => {
  it('reads Basic (any case of the scheme, UTF-8, a colon in the password) and Bearer', () => {
    expect(parseAuthorization(basicHeader('u', 'p:w'))).toEqual({
      ok: true,
      credential: { kind: 'basic', username: 'u', password: 'p:w' },
    });
    expect(parseAuthorization(`bAsIc ${Buffer.from('ü:ß').toString('base64')}`)).toMatchObject({
      ok: true,
      credential: { username: 'ü', password: 'ß' },
    });
    expect(parseAuthorization('Bearer abc.DEF-_~+/=')).toEqual({
      ok: true,
      credential: { kind: 'bearer', token: 'abc.DEF-_~+/=' },
    });
  });

  it.each([
    [undefined, 'missing', /send an Authorization header/],
    ['   ', 'missing', /send an Authorization header/],
    ['Digest abc', 'malformed', /scheme is "Digest": use Basic or Bearer/],
    ['Basic', 'malformed', /not base64/],
    ['Basic !!!!', 'malformed', /not base64/],
    ['Basic abc', 'malformed', /not base64/],
    [`Basic ${Buffer.from('nocolon').toString('base64')}`, 'malformed', /no ":"/],
    [`Basic ${Buffer.from([0xff, 0x3a, 0x41]).toString('base64')}`, 'malformed', /UTF-8/],
    ['Bearer', 'malformed', /Bearer token is empty/],
    ['Bearer a b', 'malformed', /spaces/],
  ])('%j is %s', (header, problem, message) => {
    const parsed = parseAuthorization(header);
    expect(parsed).toMatchObject({ ok: false, problem });
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('createCredentialStore', () => {
  it('accepts the right credentials with their tenant rights', () => {
    const a = store.authenticate(basicHeader('team-a', 's3cret-a'));
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.rights.credential).toBe('user "team-a"');
    expect(a.rights.onForbidden).toBe('reject');
    expect(['team-a', 'team-a-dev', 'team-b'].map((t) => a.rights.allows(t))).toEqual([true, true, false]);
    const ci = store.authenticate('Bearer ci-token-123');
    expect(ci.ok && ci.rights.allows('anything')).toBe(true);
    expect(ci.ok && ci.rights.credential).toBe('the bearer token of auth.ingress.users[2]');
  });

  it('answers the same for a wrong password, an unknown user, and a wrong token', () => {
    const answers = [
      store.authenticate(basicHeader('team-a', 's3cret-b')),
      store.authenticate(basicHeader('nobody', 's3cret-a')),
      store.authenticate(basicHeader('team-a', '')),
      store.authenticate('Bearer s3cret-a'),
      // A password is not a token, nor the other way round.
      store.authenticate(basicHeader('', 'ci-token-123')),
    ];
    for (const a of answers) expect(a).toEqual({ ok: false, problem: 'wrong', message: 'invalid credentials' });
  });

  it('compares with timingSafeEqual over fixed-length digests, against every credential', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    store.authenticate(basicHeader('team-a', 'wrong-and-much-longer-than-the-real-password'));
    // Two basic credentials, user and password each: four comparisons, even after a user matched.
    expect(spy).toHaveBeenCalledTimes(4);
    for (const [x, y] of spy.mock.calls) {
      expect((x as Buffer).byteLength).toBe(32);
      expect((y as Buffer).byteLength).toBe(32);
    }
    spy.mockClear();
    store.authenticate('Bearer x');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('refuses two credentials holding the same bearer token', () => {
    expect(() =>
      createCredentialStore(
        [
          { key: 'auth.ingress.users[0]', secret: 'tok', tenants: ['a'] },
          { key: 'auth.ingress.users[1]', secret: 'tok', tenants: ['b'] },
        ],
        'drop',
      ),
    ).toThrow(/auth\.ingress\.users\[1\]\.bearer_token_file: holds the same token as auth\.ingress\.users\[0\]/);
  });
});
