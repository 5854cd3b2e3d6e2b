import { createHash } from 'node:crypto';

/**
 * Tenant names to directory names and back, filesystem-safe for any string: `/`, `..`, the
 * empty string, unicode, names past the 255-byte limit of a path component, and case-insensitive
 * filesystems (two tenants differing only in case get different directories). Pure.
 *
 * Kept as is: `a-z 0-9 - _ .` (a leading `.` is escaped). An upper-case letter becomes `^` and
 * the letter in lower case; any other UTF-8 byte becomes `%xx`. The empty tenant is `%`. A name
 * whose encoding is longer than MAX_DIR_NAME is cut and given `~` and a hash of the whole name;
 * such a directory holds a `tenant` file with the name (`~` never appears otherwise).
 */

export const MAX_DIR_NAME = 200;
const KEEP_PREFIX = 150;
export const TENANT_NAME_FILE = 'tenant';

const isKept = (b: number): boolean =>
  (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2e;

function escapeTenant(tenant: string): string {
  const bytes = Buffer.from(tenant, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (isKept(b) && !(i === 0 && b === 0x2e)) out += String.fromCharCode(b);
    else if (b >= 0x41 && b <= 0x5a) out += `^${String.fromCharCode(b + 0x20)}`;
    else out += `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export interface TenantDirName {
  readonly name: string;
  /** True when the name is hashed: the tenant is stored in a TENANT_NAME_FILE inside. */
  readonly hashed: boolean;
}

export function encodeTenantDir(tenant: string): TenantDirName {
  if (tenant === '') return { name: '%', hashed: false };
  const escaped = escapeTenant(tenant);
  if (escaped.length <= MAX_DIR_NAME) return { name: escaped, hashed: false };
  // cut at an escape boundary so the prefix stays readable
  let cut = KEEP_PREFIX;
  while (cut > 0 && (escaped[cut - 1] === '^' || escaped[cut - 1] === '%' || escaped[cut - 2] === '%')) cut--;
  const hash = createHash('sha256').update(tenant, 'utf8').digest('hex').slice(0, 32);
  return { name: `${escaped.slice(0, cut)}~${hash}`, hashed: true };
}

/** The tenant a directory name stands for; `hashed` when the name file must be read; undefined if not ours. */
export function decodeTenantDir(name: string): { readonly tenant: string } | { readonly hashed: true } | undefined {
  if (name === '%') return { tenant: '' };
  if (name.includes('~')) return { hashed: true };
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x5e) {
      const next = name.charCodeAt(i + 1);
      if (!(next >= 0x61 && next <= 0x7a)) return undefined;
      bytes.push(next - 0x20);
      i++;
    } else if (c === 0x25) {
      const hex = name.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (isKept(c) && !(i === 0 && c === 0x2e)) bytes.push(c);
    else return undefined;
  }
  const tenant = Buffer.from(bytes).toString('utf8');
  // a name that does not round-trip (invalid UTF-8, another spelling) is not one we wrote
  return encodeTenantDir(tenant).name === name ? { tenant } : undefined;
}

const SEGMENT_RE = /^(\d{20})\.seg$/;

export const segmentFileName = (segment: number): string => `${String(segment).padStart(20, '0')}.seg`;

export function parseSegmentFileName(name: string): number | undefined {
  const m = SEGMENT_RE.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}
