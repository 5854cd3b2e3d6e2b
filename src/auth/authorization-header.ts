/**
 * The `Authorization` header of an incoming write, parsed (RFC 7235: the scheme is
 * case-insensitive): `Basic base64(user:password)` (RFC 7617, UTF-8) or `Bearer token`
 * (RFC 6750). Pure: what the header claims, not whether it is right.
 */

export type PresentedCredential =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export type ParsedAuthorization =
  | { readonly ok: true; readonly credential: PresentedCredential }
  | { readonly ok: false; readonly problem: 'missing' | 'malformed'; readonly message: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Visible ASCII without spaces: what a bearer token can be (token68 and then some). */
const TOKEN = /^[\x21-\x7e]+$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (header === undefined || header.trim() === '') {
    return { ok: false, problem: 'missing', message: 'send an Authorization header (Basic or Bearer)' };
  }
  const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+(.*?))?\s*$/s.exec(header);
  const scheme = m?.[1]?.toLowerCase();
  const rest = m?.[2] ?? '';
  if (scheme === 'basic') return basic(rest);
  if (scheme === 'bearer') {
    if (!TOKEN.test(rest)) return malformed('the Bearer token is empty or contains spaces or control characters');
    return { ok: true, credential: { kind: 'bearer', token: rest } };
  }
  const shown = m?.[1] ? `"${m[1].slice(0, 20)}"` : 'missing';
  return malformed(`the scheme is ${shown}: use Basic or Bearer`);
}

function basic(encoded: string): ParsedAuthorization {
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    return malformed('the Basic credentials are not base64 of user:password');
  }
  const decoded = Buffer.from(encoded, 'base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(decoded);
  } catch {
    return malformed('the Basic credentials are not valid UTF-8');
  }
  const colon = text.indexOf(':');
  if (colon < 0) return malformed('the Basic credentials have no ":" between user and password');
  return { ok: true, credential: { kind: 'basic', username: text.slice(0, colon), password: text.slice(colon + 1) } };
}

function malformed(why: string): ParsedAuthorization {
  return { ok: false, problem: 'malformed', message: `malformed Authorization header: ${why}` };
}
