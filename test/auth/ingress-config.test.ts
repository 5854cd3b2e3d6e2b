import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCredentialStore } from '../../src/auth/read-secrets.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { effectiveConfigDocument } from '../../src/cli/effective-config.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tw-ingress-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const parse = (ingress: string[]) =>
  parseCortexTenantConfig(['auth:', '  ingress:', ...ingress.map((l) => `    ${l}`), ''].join('\n'), 'test.yml', {
    env: {},
    defaultWorkers: 1,
  });
const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('auth.ingress.users in the cortex-tenant config', () => {
  it('normalizes users and on_forbidden (default reject); without users the proxy stays open', () => {
    const c = parse([
      'users:',
      "  - { username: team-a, password_file: /etc/a.pass, tenants: ['team-a', 'team-a-*'] }",
      "  - { bearer_token_file: /etc/ci.token, tenants: ['*'] }",
    ]);
    expect(c.auth.ingress.users).toEqual({
      onForbidden: 'reject',
      users: [
        {
          key: 'auth.ingress.users[0]',
          username: 'team-a',
          passwordFile: '/etc/a.pass',
          tenants: ['team-a', 'team-a-*'],
        },
        { key: 'auth.ingress.users[1]', bearerTokenFile: '/etc/ci.token', tenants: ['*'] },
      ],
    });
    expect(
      parse(['users:', '  - { bearer_token_file: /t, tenants: [x] }', 'on_forbidden: drop']).auth.ingress.users
        ?.onForbidden,
    ).toBe('drop');
    expect(parseCortexTenantConfig('listen: :8080\n', 't.yml', { env: {} }).auth.ingress.users).toBeUndefined();
  });

  it.each([
    [['users:', '  - { username: a, tenants: [x] }'], /users\[0\]\.password_file is missing/],
    [['users:', '  - { password_file: /p, tenants: [x] }'], /users\[0\]\.username is missing/],
    [
      ['users:', '  - { username: a, password_file: /p, bearer_token_file: /t, tenants: [x] }'],
      /users\[0\]: set either username and password_file, or bearer_token_file/,
    ],
    [['users:', '  - { tenants: [x] }'], /users\[0\]: set either/],
    [
      ['users:', '  - { bearer_token_file: /t, tenants: [] }'],
      /users\.0\.tenants: an empty list would allow no tenant/,
    ],
    [['users:', '  - { bearer_token_file: /t }'], /users\.0\.tenants/],
    [['users:', '  - { bearer_token_file: /t, tenants: ["a|b"] }'], /tenant pattern "a\|b" contains "\|"/],
    [['users:', '  - { bearer_token_file: /t, tenants: [x], role: admin }'], /users\.0\.role: unknown key/],
    [['users: []'], /auth\.ingress\.users is an empty list/],
    [['on_forbidden: drop'], /on_forbidden is set but auth\.ingress\.users is not/],
    [['users:', '  - { bearer_token_file: /t, tenants: [x] }', 'on_forbidden: ignore'], /on_forbidden/],
    [['user: []'], /auth\.ingress\.user: unknown key/],
    [
      [
        'users:',
        '  - { username: a, password_file: /p, tenants: [x] }',
        '  - { username: a, password_file: /q, tenants: [y] }',
      ],
      /users\[1\]\.username: "a" is already used by auth\.ingress\.users\[0\]\.username/,
    ],
    [['users:', '  - { username: "a:b", password_file: /p, tenants: [x] }'], /may not contain ":"/],
  ])('refuses %j naming the key', (lines, message) => {
    expect(refusal(() => parse(lines))).toMatch(message);
  });

  it('the effective config shows file names, never secrets', () => {
    const c = parse([
      'users:',
      '  - { username: team-a, password_file: /etc/a.pass, tenants: [team-a] }',
      'on_forbidden: drop',
    ]);
    expect(effectiveConfigDocument(c).auth).toEqual({
      egress: {},
      ingress: {
        users: [{ username: 'team-a', password_file: '/etc/a.pass', tenants: ['team-a'] }],
        on_forbidden: 'drop',
      },
    });
  });
});

describe('loadCredentialStore', () => {
  const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

  it('reads the files, strips one trailing newline (LF or CRLF), and checks against them', async () => {
    const store = await loadCredentialStore({
      onForbidden: 'reject',
      users: [
        {
          key: 'auth.ingress.users[0]',
          username: 'u',
          passwordFile: file('a.pass', 'pw with space\n'),
          tenants: ['a'],
        },
        { key: 'auth.ingress.users[1]', bearerTokenFile: file('ci.token', 'tok\r\n'), tenants: ['*'] },
        { key: 'auth.ingress.users[2]', username: 'v', passwordFile: file('b.pass', 'two\n\n'), tenants: ['b'] },
      ],
    });
    expect(store.authenticate(basic('u', 'pw with space')).ok).toBe(true);
    expect(store.authenticate(basic('u', 'pw with space\n')).ok).toBe(false);
    expect(store.authenticate('Bearer tok').ok).toBe(true);
    // Only one newline is stripped.
    expect(store.authenticate(basic('v', 'two\n')).ok).toBe(true);
  });

  it('an unreadable, empty or unusable file stops the start naming the key and the path, not the content', async () => {
    const missing = join(dir, 'nope.pass');
    const load = (u: Record<string, unknown>) =>
      loadCredentialStore({ onForbidden: 'reject', users: [{ key: 'auth.ingress.users[0]', tenants: ['a'], ...u }] });
    await expect(load({ username: 'u', passwordFile: missing })).rejects.toThrow(
      `auth.ingress.users[0].password_file: cannot read ${missing} (ENOENT)`,
    );
    await expect(load({ username: 'u', passwordFile: dir })).rejects.toThrow(
      /password_file: cannot read .* \(EISDIR\)/,
    );
    await expect(load({ bearerTokenFile: file('empty.token', '\n') })).rejects.toThrow(
      /auth\.ingress\.users\[0\]\.bearer_token_file: .*empty\.token is empty/,
    );
    const spaced = file('spaced.token', 'not a token\n');
    const e = await load({ bearerTokenFile: spaced }).catch((x: Error) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toMatch(/bearer_token_file: .* holds spaces/);
    expect((e as Error).message).not.toContain('not a token');
    await expect(load({ bearerTokenFile: file('big.token', Buffer.alloc(5000, 0x61)) })).rejects.toThrow(
      /more than the 4096/,
    );
  });
});
