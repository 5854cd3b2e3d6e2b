import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDirectoryTransport,
  directoryFromUrl,
  isSafeTenantSegment,
} from '../../src/transport/directory-transport.js';
import { tempDir } from '../helpers/peers.js';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe('createDirectoryTransport', () => {
  it('writes one file per request under <dir>/<tenant>/ with the exact bytes, in order', async () => {
    const d = tempDir('dirtransport');
    dirs.push(d);
    let t = 1_700_000_000_000;
    const transport = createDirectoryTransport({ dir: d.path, now: () => t++ });
    const send = (tenant: string, bytes: number[]) =>
      transport.send({ url: 'dir://ignored', headers: { 'x-scope-orgid': tenant }, body: new Uint8Array(bytes) });
    expect(await send('team-a', [1, 2])).toMatchObject({ kind: 'response', status: 204 });
    await send('team-a', [3]);
    await send('team-b', [4]);
    const a = readdirSync(join(d.path, 'team-a')).sort();
    expect(a).toEqual(['000000001-1700000000000.snappy', '000000002-1700000000001.snappy']);
    expect([...readFileSync(join(d.path, 'team-a', a[0] ?? ''))]).toEqual([1, 2]);
    expect(readdirSync(join(d.path, 'team-b'))).toHaveLength(1);
    // A second transport on the same directory continues the sequence.
    const again = createDirectoryTransport({ dir: d.path });
    await again.send({ url: 'dir://x', headers: { 'X-Scope-OrgID': 'team-a' }, body: new Uint8Array([5]) });
    expect(readdirSync(join(d.path, 'team-a')).sort()[2]).toMatch(/^000000003-/);
  });

  it('refuses unsafe or missing tenants with 400 and writes nothing', async () => {
    const d = tempDir('dirtransport');
    dirs.push(d);
    const transport = createDirectoryTransport({ dir: d.path });
    for (const tenant of ['..', '.', 'a/b', 'x\\y', '']) {
      const r = await transport.send({
        url: 'dir://x',
        headers: { 'X-Scope-OrgID': tenant },
        body: new Uint8Array([1]),
      });
      expect(r.kind === 'response' && r.status).toBe(400);
    }
    const r = await transport.send({ url: 'dir://x', headers: {}, body: new Uint8Array([1]) });
    expect(r.kind === 'response' && r.status).toBe(400);
    expect(readdirSync(d.path)).toEqual([]);
  });

  it('uses the dir:// URL when no dir is configured, and a custom header and default tenant', async () => {
    const d = tempDir('dirtransport');
    dirs.push(d);
    const transport = createDirectoryTransport({ tenantHeader: 'X-Tenant', defaultTenant: 'anonymous' });
    await transport.send({ url: `dir://${d.path}`, headers: { 'x-tenant': 'ops' }, body: new Uint8Array([1]) });
    await transport.send({ url: `dir://${d.path}`, headers: {}, body: new Uint8Array([1]) });
    expect(readdirSync(d.path).sort()).toEqual(['anonymous', 'ops']);
  });

  it('parses dir:// URLs and tenant segments', () => {
    expect(directoryFromUrl('dir:///var/lib/tw')).toBe('/var/lib/tw');
    expect(directoryFromUrl('http://x')).toBeUndefined();
    expect(directoryFromUrl('dir://./data')?.endsWith('/data')).toBe(true);
    expect(isSafeTenantSegment("team_a-1.(x)*'!")).toBe(true);
    expect(isSafeTenantSegment('a|b')).toBe(false);
  });
});
