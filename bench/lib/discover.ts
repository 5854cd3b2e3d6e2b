/** Finds the suites: every bench/<name>/index.ts that exports `suite: BenchSuite`. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchSuite } from './suite.js';

/** The order suites run and appear in; others follow by name. */
export const SUITE_ORDER = ['wire', 'split', 'pipeline', 'proxy', 'overload', 'alerting'];

const NOT_SUITES = new Set(['lib', 'payloads', 'results']);

export function suiteNames(benchDir: string): string[] {
  const found = readdirSync(benchDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_SUITES.has(d.name) && existsSync(join(benchDir, d.name, 'index.ts')))
    .map((d) => d.name);
  const rank = (n: string): number => (SUITE_ORDER.includes(n) ? SUITE_ORDER.indexOf(n) : SUITE_ORDER.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isSuite(x: unknown): x is BenchSuite {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as BenchSuite).name === 'string' &&
    typeof (x as BenchSuite).run === 'function'
  );
}

export async function loadSuite(benchDir: string, name: string): Promise<BenchSuite> {
  const mod = (await import(pathToFileURL(join(benchDir, name, 'index.ts')).href)) as { suite?: unknown };
  if (!isSuite(mod.suite)) throw new Error(`bench/${name}/index.ts does not export \`suite: BenchSuite\``);
  return mod.suite;
}
