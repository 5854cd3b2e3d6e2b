import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTenantDir, encodeTenantDir, MAX_DIR_NAME } from '../../src/wal/tenant-dir.js';

const SAFE = /^[a-z0-9._%^~-]+$/;

describe('tenant directory names', () => {
  it('round-trips any tenant to a safe, case-distinct name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (tenant) => {
        const { name, hashed } = encodeTenantDir(tenant);
        expect(hashed).toBe(false);
        expect(name).toMatch(SAFE);
        expect(name).not.toMatch(/^\./);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_DIR_NAME);
        // lone surrogates become U+FFFD in UTF-8: the name round-trips to the tenant's UTF-8 form
        expect(decodeTenantDir(name)).toEqual({ tenant: Buffer.from(tenant, 'utf8').toString('utf8') });
      }),
      { numRuns: 3000 },
    );
  });

  it('handles the awkward ones', () => {
    for (const t of ['', '.', '..', '/', '../etc', 'a/b', 'Team-A', 'team-a', "tenant!*'()", 'ünï cødé 😀']) {
      const { name } = encodeTenantDir(t);
      expect(name).toMatch(SAFE);
      expect(['.', '..', '']).not.toContain(name);
      expect(decodeTenantDir(name)).toEqual({ tenant: t });
    }
    expect(encodeTenantDir('Team-A').name.toLowerCase()).not.toBe(encodeTenantDir('team-a').name.toLowerCase());
  });

  it('hashes names past the length limit, distinct per tenant', () => {
    const a = encodeTenantDir('x'.repeat(300));
    const b = encodeTenantDir(`${'x'.repeat(299)}y`);
    const c = encodeTenantDir('é'.repeat(200));
    for (const e of [a, b, c]) {
      expect(e.hashed).toBe(true);
      expect(Buffer.byteLength(e.name)).toBeLessThanOrEqual(MAX_DIR_NAME);
      expect(e.name).toMatch(SAFE);
      expect(decodeTenantDir(e.name)).toEqual({ hashed: true });
    }
    expect(a.name).not.toBe(b.name);
  });

  it('refuses names it did not write', () => {
    for (const n of ['ABC', 'a%zz', 'a%4', '^A', 'a b', '.hidden', '%41']) expect(decodeTenantDir(n)).toBeUndefined();
  });
});
