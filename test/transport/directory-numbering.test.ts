import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDirectoryTransport } from '../../src/transport/directory-transport.js';
import { formatSeq, scanNames } from '../../src/transport/directory-numbering.js';
import { repoRoot, tempDir } from '../helpers/peers.js';

/**
 * File numbers of the directory transport when several writers share a tenant directory:
 * transports in one process, separate processes, and a restart.
 */
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
const dir = () => {
  const d = tempDir('dirnumbers');
  dirs.push(d);
  return d.path;
};

/** The data files of a tenant directory, and everything else found there. */
function listing(path: string): { numbers: number[]; names: string[]; other: string[] } {
  const names: string[] = [];
  const other: string[] = [];
  for (const name of readdirSync(path)) (/^\d{9}-\d+\.snappy$/.test(name) ? names : other).push(name);
  names.sort();
  return { numbers: names.map((n) => Number(n.slice(0, 9))), names, other };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('directory transport file numbers', () => {
  it('stay unique, gapless and complete with several transports writing one tenant at once', async () => {
    const root = dir();
    // One fixed timestamp: two writers that picked the same number would also pick the same name.
    const transports = Array.from({ length: 4 }, () =>
      createDirectoryTransport({ dir: root, now: () => 1_700_000_000_000 }),
    );
    const sends = range(100).map((i) =>
      transports[i % transports.length]!.send({
        url: 'dir://x',
        headers: { 'X-Scope-OrgID': 'team-a' },
        body: Buffer.from(`body-${i}`),
      }),
    );
    const results = await Promise.all(sends);
    expect(results.map((r) => (r.kind === 'response' ? r.status : r.error.message))).toEqual(range(100).map(() => 204));
    const { numbers, names, other } = listing(join(root, 'team-a'));
    expect(numbers).toEqual(range(100));
    expect(other).toEqual([]);
    const bodies = names.map((n) => readFileSync(join(root, 'team-a', n), 'utf8')).sort();
    expect(bodies).toEqual(
      range(100)
        .map((i) => `body-${i}`)
        .sort(),
    );
  });

  it('stay unique across processes writing concurrently, and no file is lost', async () => {
    const root = dir();
    const module = join(repoRoot, 'dist/transport/directory-transport.js');
    const script = `
      const { createDirectoryTransport } = await import(process.env.MODULE);
      const t = createDirectoryTransport({ dir: process.env.ROOT });
      const all = [];
      for (let i = 0; i < 40; i++) {
        const body = Buffer.from(process.env.ID + '-' + i);
        all.push(t.send({ url: 'dir://x', headers: { 'X-Scope-OrgID': 'shared' }, body }));
        if (i % 4 === 3) await Promise.all(all.splice(0));
      }
      const results = await Promise.all(all);
      process.exitCode = results.every((r) => r.kind === 'response' && r.status === 204) ? 0 : 3;
    `;
    const runs = range(4).map((id) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, MODULE: module, ROOT: root, ID: String(id) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      return new Promise<string>((r) =>
        child.once('exit', (code) => {
          clearTimeout(timer);
          r(`${code} ${err}`);
        }),
      );
    });
    expect(await Promise.all(runs)).toEqual(range(4).map(() => '0 '));
    const { numbers, names, other } = listing(join(root, 'shared'));
    expect(numbers).toEqual(range(160));
    expect(other).toEqual([]);
    const bodies = new Set(names.map((n) => readFileSync(join(root, 'shared', n), 'utf8')));
    expect(bodies.size).toBe(160);
  }, 30_000);

  it('continue after a restart without reusing a number, and skip a number a crashed writer claimed', async () => {
    const root = dir();
    const tenant = join(root, 'ops');
    mkdirSync(tenant);
    writeFileSync(join(tenant, '000000007-1700000000000.snappy'), 'old');
    writeFileSync(join(tenant, `.${formatSeq(8)}.claim`), '');
    const t = createDirectoryTransport({ dir: root });
    await t.send({ url: 'dir://x', headers: { 'X-Scope-OrgID': 'ops' }, body: Buffer.from('new') });
    const { names, numbers } = listing(tenant);
    expect(numbers).toEqual([7, 9]);
    expect(readFileSync(join(tenant, names[0]!), 'utf8')).toBe('old');
  });

  it('a stale writer that falls behind moves past numbers others already used', async () => {
    const root = dir();
    const slow = createDirectoryTransport({ dir: root });
    const fast = createDirectoryTransport({ dir: root });
    const send = (t: typeof slow, body: string) =>
      t.send({ url: 'dir://x', headers: { 'X-Scope-OrgID': 'a' }, body: Buffer.from(body) });
    await send(slow, 's1');
    for (let i = 0; i < 5; i++) await send(fast, `f${i}`);
    await send(slow, 's2');
    const { numbers, names } = listing(join(root, 'a'));
    expect(numbers).toEqual(range(7));
    expect(readFileSync(join(root, 'a', names[6]!), 'utf8')).toBe('s2');
  });

  it('scanNames finds the highest number among data files and claims', () => {
    expect(scanNames(['000000003-1.snappy', '.000000009.claim', 'x', '.tmp', '12-3.snappy'])).toEqual({
      max: 12,
      taken: false,
    });
    expect(scanNames(['000000003-1.snappy'], 3)).toEqual({ max: 3, taken: true });
    expect(scanNames(['.000000003.claim'], 3)).toEqual({ max: 3, taken: false });
    expect(scanNames([])).toEqual({ max: 0, taken: false });
  });
});
