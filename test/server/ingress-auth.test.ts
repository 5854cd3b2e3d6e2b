import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
/**
 * Ingress authentication through the built CLI (a real process with a cortex-tenant config)
 * against a recording upstream: 401 without valid credentials (before the body is read), 403
 * for a tenant the credential may not write with nothing forwarded, on_forbidden: drop
 * forwarding the rest and counting, health endpoints open, the sender's Authorization never
 * forwarded, and the secrets never in the logs (debug level, everything logged).
 */
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/peers.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { startProxyCli, startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { eventually } from '../helpers/eventually.js';

const PASSWORD_A = 'pw-team-a-S3CRET-7f1c';
const PASSWORD_B = 'pw-team-b-S3CRET-9d2e';
const TOKEN_CI = 'tok-ci-S3CRET-41aa';
const SECRETS = [PASSWORD_A, PASSWORD_B, TOKEN_CI];

const tmp = tempDir('tenantwire-ingress-auth-');
let upstream: RecordingUpstream;
const procs: TenantwireProcess[] = [];
let strict = ''; // on_forbidden: reject, prefix_prefer_source, Loki forwarded
let dropping = ''; // on_forbidden: drop
let queued = ''; // queue mode, on_forbidden: reject
let strictPort = 0;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const body = (...tenants: string[]) =>
  remoteWriteBody(tenants.map((t, i) => series({ __name__: 'auth_test', __tenant__: t, id: String(i) })));

async function write(url: string, payload: Uint8Array, headers: Record<string, string> = {}) {
  const r = await fetch(`${url}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', ...headers },
    body: payload,
  });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

async function lokiPush(url: string, tenant: string, headers: Record<string, string> = {}) {
  const payload = JSON.stringify({
    streams: [{ stream: { __tenant__: tenant, app: 'api' }, values: [['1700000000000000000', 'hello']] }],
  });
  const r = await fetch(`${url}/loki/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  return { status: r.status, text: await r.text() };
}

async function metricValue(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const secret = (name: string, value: string) => {
    const path = join(tmp.path, name);
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    return path;
  };
  const users = [
    'auth:',
    '  ingress:',
    '    users:',
    `      - { username: team-a, password_file: ${secret('a.pass', PASSWORD_A)}, tenants: ['team-a', 'team-a-*'] }`,
    `      - { username: team-b, password_file: ${secret('b.pass', PASSWORD_B)}, tenants: ['team-b'] }`,
    `      - { bearer_token_file: ${secret('ci.token', TOKEN_CI)}, tenants: ['*'] }`,
  ];
  const common = ['log_level: debug', 'timeout_shutdown: 100ms', 'workers: 1', 'tenant:', '  label: __tenant__'];
  const a = await startProxyCli(
    tmp.path,
    upstream.url,
    [
      ...common,
      '  prefix_prefer_source: true',
      `target_loki: ${upstream.url.replace('/api/v1/push', '/loki/api/v1/push')}`,
      ...users,
    ],
    [],
  );
  const b = await startProxyCli(tmp.path, upstream.url, [...common, ...users, '    on_forbidden: drop'], []);
  const q = await startProxyCli(
    tmp.path,
    upstream.url,
    [...common, ...users, 'queue:', `  dir: ${join(tmp.path, 'queue')}`, '  batch_send_deadline: 100ms'],
    [],
  );
  procs.push(a.tw, b.tw, q.tw);
  queued = `http://127.0.0.1:${q.port}`;
  strict = `http://127.0.0.1:${a.port}`;
  strictPort = a.port;
  dropping = `http://127.0.0.1:${b.port}`;
}, 60_000);

afterAll(async () => {
  for (const p of procs) await p.stop(5_000);
  await upstream?.close();
  tmp.remove();
});

describe('ingress authentication (auth.ingress.users)', () => {
  it('leaves /alive, /ready, /-/healthy and /metrics open', async () => {
    for (const path of ['/alive', '/ready', '/-/healthy', '/-/ready', '/metrics']) {
      expect((await fetch(`${strict}${path}`)).status, path).toBe(200);
    }
  });

  it('answers 401 with both challenges to missing, malformed and wrong credentials, forwarding nothing', async () => {
    const before = upstream.received.length;
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /authentication required: send an Authorization header/],
      [{ authorization: 'Digest x' }, /malformed Authorization header: the scheme is "Digest"/],
      [{ authorization: 'Basic %%%' }, /malformed Authorization header: .*not base64/],
      [{ authorization: basic('team-a', PASSWORD_B) }, /^authentication required: invalid credentials\n$/],
      [{ authorization: basic('nobody', PASSWORD_A) }, /^authentication required: invalid credentials\n$/],
      [{ authorization: `Bearer ${PASSWORD_A}` }, /^authentication required: invalid credentials\n$/],
    ];
    for (const [headers, message] of cases) {
      const r = await write(strict, body('team-a'), headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="tenantwire", Bearer realm="tenantwire"');
      expect(r.text).toMatch(message);
    }
    expect(upstream.received.length).toBe(before);
    expect(await metricValue(strict, /tenantwire_ingress_refused_total\{reason="wrong_credentials"\} (\d+)/)).toBe(3);
  });

  it('answers 401 before reading the body: a declared 50 MB body that never comes', async () => {
    const socket = connect(strictPort, '127.0.0.1');
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        let got = '';
        socket.on('data', (c: Buffer) => {
          got += c.toString('latin1');
          if (got.includes('\r\n\r\n')) resolve(got);
        });
        socket.once('error', reject);
        socket.write(
          'POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n' +
            'Content-Encoding: snappy\r\nContent-Length: 50000000\r\n\r\n',
        );
      });
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    } finally {
      socket.destroy();
    }
  });

  it('forwards an allowed write without the sender Authorization header', async () => {
    const before = upstream.received.length;
    expect(
      (await write(strict, body('team-a', 'team-a-dev'), { authorization: basic('team-a', PASSWORD_A) })).status,
    ).toBe(204);
    expect((await write(strict, body('zeta'), { authorization: `Bearer ${TOKEN_CI}` })).status).toBe(204);
    const got = upstream.received.slice(before);
    expect(got.map((r) => r.tenant).sort()).toEqual(['team-a', 'team-a-dev', 'zeta']);
    for (const r of got) expect(r.headers.authorization).toBeUndefined();
  });

  it('refuses a write with a forbidden tenant with 403 naming it, forwarding nothing of it', async () => {
    const before = upstream.received.length;
    const r = await write(strict, body('team-a', 'team-b'), { authorization: basic('team-a', PASSWORD_A) });
    expect(r.status).toBe(403);
    expect(r.text).toBe('user "team-a" may not write tenant "team-b": nothing of this request was forwarded\n');
    // team-b's own credential may not write team-a.
    const r2 = await write(strict, body('team-a'), { authorization: basic('team-b', PASSWORD_B) });
    expect(r2.status).toBe(403);
    expect(r2.text).toMatch(/user "team-b" may not write tenant "team-a"/);
    expect(upstream.received.length).toBe(before);
    expect(await metricValue(strict, /tenantwire_ingress_refused_total\{reason="forbidden_tenant"\} (\d+)/)).toBe(2);
  });

  it('prefix_prefer_source: the tenant header must be allowed; the final id is what is checked', async () => {
    const before = upstream.received.length;
    const auth = { authorization: basic('team-a', PASSWORD_A) };
    const ok = await write(strict, body('dev'), { ...auth, 'x-scope-orgid': 'team-a' });
    expect(ok.status).toBe(204);
    expect(upstream.received.slice(before).map((r) => r.tenant)).toEqual(['team-a-dev']);
    const bad = await write(strict, body('dev'), { ...auth, 'x-scope-orgid': 'team-b' });
    expect(bad.status).toBe(403);
    expect(bad.text).toMatch(/user "team-a" may not write tenant "team-b" named by the X-Scope-OrgID header/);
    expect(upstream.received.length).toBe(before + 1);
  });

  it('guards the Loki push the same way', async () => {
    const before = upstream.received.length;
    expect((await lokiPush(strict, 'team-a')).status).toBe(401);
    const forbidden = await lokiPush(strict, 'team-b', { authorization: basic('team-a', PASSWORD_A) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toMatch(/may not write tenant "team-b"/);
    expect(upstream.received.length).toBe(before);
    expect((await lokiPush(strict, 'team-a', { authorization: basic('team-a', PASSWORD_A) })).status).toBe(204);
    const got = upstream.received.slice(before);
    expect(got.map((r) => r.tenant)).toEqual(['team-a']);
    expect(got[0]?.headers.authorization).toBeUndefined();
  });

  it('on_forbidden: drop forwards the allowed tenants and counts the dropped samples', async () => {
    const before = upstream.received.length;
    const r = await write(dropping, body('team-a', 'team-b', 'team-c', 'team-a-x'), {
      authorization: basic('team-a', PASSWORD_A),
    });
    expect(r.status).toBe(204);
    expect(
      upstream.received
        .slice(before)
        .map((x) => x.tenant)
        .sort(),
    ).toEqual(['team-a', 'team-a-x']);
    expect(await metricValue(dropping, /tenantwire_samples_dropped_total\{reason="forbidden_tenant"\} (\d+)/)).toBe(2);
    // Everything forbidden: nothing to send, still acknowledged (counted as dropped).
    expect((await write(dropping, body('team-b'), { authorization: basic('team-a', PASSWORD_A) })).status).toBe(204);
    expect(await metricValue(dropping, /tenantwire_samples_dropped_total\{reason="forbidden_tenant"\} (\d+)/)).toBe(3);
    // Wrong credentials are still 401 in drop mode.
    expect((await write(dropping, body('team-a'), { authorization: basic('team-a', 'nope') })).status).toBe(401);
  });

  it('queue mode: a forbidden tenant is refused before anything is queued, allowed ones are delivered', async () => {
    const auth = { authorization: basic('team-b', PASSWORD_B) };
    const before = upstream.received.length;
    expect((await write(queued, body('team-b'), {})).status).toBe(401);
    const r = await write(queued, body('team-b', 'team-a'), auth);
    expect(r.status).toBe(403);
    expect(r.text).toMatch(/user "team-b" may not write tenant "team-a"/);
    expect((await write(queued, body('team-b'), auth)).status).toBe(204);
    await eventually(() => upstream.received.length > before, {
      timeoutMs: 10_000,
      message: 'the queued write delivered',
    });
    expect(upstream.received.slice(before).map((x) => x.tenant)).toEqual(['team-b']);
  });

  it('a password file that cannot be read stops the start, naming the key and the path', async () => {
    const missing = join(tmp.path, 'missing.pass');
    const config = join(tmp.path, 'bad.yml');
    writeFileSync(
      config,
      [
        'listen: 127.0.0.1:0',
        'workers: 1',
        `target: ${upstream.url}`,
        'auth:',
        '  ingress:',
        `    users: [{ username: u, password_file: ${missing}, tenants: [a] }]`,
        '',
      ].join('\n'),
    );
    const tw = startTenantwire(['--config', config]);
    procs.push(tw);
    expect(await tw.exited).toBe(2);
    expect(tw.output()).toContain(`tenantwire: auth.ingress.users[0].password_file: cannot read ${missing} (ENOENT)`);
  });

  it('never logs a secret, plain or base64', () => {
    const logs = procs.map((p) => p.output()).join('\n');
    require('node:fs').writeFileSync('/tmp/auth-logs.txt', logs);
    expect(logs).toContain('effective configuration');
    expect(logs).toContain('password_file');
    for (const s of SECRETS) {
      expect(logs).not.toContain(s);
      expect(logs).not.toContain(Buffer.from(s).toString('base64').slice(0, 16));
    }
    expect(logs).not.toContain(basic('team-a', PASSWORD_A));
  });
});
