import { createRequire } from 'node:module';

/**
 * tenantwire's version, read from package.json (the one place it is written): `src/` under tsx
 * and `dist/` once built both sit one level below it. Used by `--version`, the `User-Agent` of
 * every outgoing request and `tenantwire_build_info`.
 */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** The `User-Agent` of every request tenantwire sends. */
export const USER_AGENT = `tenantwire/${VERSION}`;
