/**
 * `npm run bench` on a fresh clone: a missing peer makes it run the peers installer itself, and
 * only a failed install fails the run, naming what is missing and how to get it. A stand-in
 * installer script takes the place of scripts/install-peers.sh.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePeers, findPeer } from '../../bench/lib/peers.js';
import { tempDir } from '../helpers/peers.js';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function layout() {
  const tmp = tempDir('ensure-peers');
  dirs.push(tmp);
  const bin = join(tmp.path, 'root/usr/bin');
  const installer = join(tmp.path, 'install.sh');
  const ran = join(tmp.path, 'ran');
  const script = (body: string) => writeFileSync(installer, `#!/usr/bin/env bash\necho run >> '${ran}'\n${body}\n`);
  const tool = (name: string) => {
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, name), '#!/bin/sh\n');
    chmodSync(join(bin, name), 0o755);
  };
  return { root: tmp.path, bin, installer, ran, script, tool };
}

describe('ensurePeers', () => {
  it('does nothing when every peer is there', () => {
    const l = layout();
    l.tool('wrk');
    l.script('exit 1');
    const lines: string[] = [];
    ensurePeers(l.root, l.bin, ['wrk'], { installer: l.installer, log: (x) => lines.push(x) });
    expect(lines).toEqual([]);
  });

  it('runs the installer when a peer is missing, says so, and finds what it installed', () => {
    const l = layout();
    l.script(`mkdir -p '${l.bin}' && printf '#!/bin/sh\\n' > '${l.bin}/wrk' && chmod +x '${l.bin}/wrk'`);
    const lines: string[] = [];
    ensurePeers(l.root, l.bin, ['wrk'], { installer: l.installer, log: (x) => lines.push(x) });
    expect(lines[0]).toMatch(/wrk not found .*: installing the peers with .*install\.sh/);
    expect(lines[1]).toBe(`installed: ${join(l.bin, 'wrk')}`);
    expect(findPeer(l.bin, 'wrk', '')).toBe(join(l.bin, 'wrk'));
  });

  it('fails with a clear message when the installer fails, naming the peer and how to install it', () => {
    const l = layout();
    l.script('echo "E: no mirror" >&2; exit 100');
    expect(() => ensurePeers(l.root, l.bin, ['wrk'], { installer: l.installer, log: () => {} })).toThrow(
      /wrk missing and the peers installer failed \(exit 100\).*npm run peers.*apt-get install wrk/,
    );
  });

  it('installs a missing optional peer but goes on without it when that fails', () => {
    const l = layout();
    l.tool('wrk');
    l.script('exit 1');
    const lines: string[] = [];
    ensurePeers(l.root, l.bin, ['wrk'], { optional: ['vmagent'], installer: l.installer, log: (x) => lines.push(x) });
    expect(lines.join('\n')).toMatch(/vmagent not found[\s\S]*installer failed \(exit 1\); going on without vmagent/);
  });

  it('finds a peer on PATH when the peers folder lacks it', () => {
    const l = layout();
    const other = join(l.root, 'elsewhere');
    mkdirSync(other);
    writeFileSync(join(other, 'wrk'), '#!/bin/sh\n');
    chmodSync(join(other, 'wrk'), 0o755);
    expect(findPeer(l.bin, 'wrk', `/nonexistent:${other}`)).toBe(join(other, 'wrk'));
    expect(findPeer(l.bin, 'wrk', '/nonexistent')).toBeUndefined();
  });
});
