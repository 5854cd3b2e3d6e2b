/**
 * `npm run bench`: runs the selected suites (bench/<name>/index.ts), prints each table, and
 * writes bench/results/<name>.{json,md,svg} plus bench/results/README.md. Every process a suite
 * starts is stopped at the end, on error and on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './lib/args.js';
import { loadSuite, SUITE_ORDER, suiteNames } from './lib/discover.js';
import { machineInfo, describeMachine } from './lib/machine.js';
import { defaultPeersBin, ensurePeers, peerVersions, type BenchPeer } from './lib/peers.js';
import { installCleanup, stopAll } from './lib/processes.js';
import { renderResultsReadme, renderSuiteMarkdown } from './lib/results-markdown.js';
import { readRecords, writeRecord, type ResultRecord } from './lib/results-record.js';
import type { BenchOptions } from './lib/suite.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '..');

/** The peers each suite starts: required ones fail the run when they cannot be installed. */
const SUITE_PEERS: Readonly<
  Record<string, { readonly required: readonly BenchPeer[]; readonly optional: readonly BenchPeer[] }>
> = {
  proxy: { required: ['wrk'], optional: ['vmagent'] },
};

/** `abc1234`, `abc1234-dirty` when the tree has changes, undefined outside a git checkout. */
function sourceRevision(): string | undefined {
  try {
    const git = (args: string[]): string =>
      execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git(['rev-parse', '--short', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) === '' ? head : `${head}-dirty`;
  } catch {
    return undefined;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const available = suiteNames(benchDir);
  if (args.list) {
    process.stdout.write(`${available.join('\n')}\n`);
    return 0;
  }
  const selected = args.only ?? available;
  const outDir = resolve(repoRoot, args.out ?? 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const peersBin = defaultPeersBin(repoRoot);
  const needs = selected.map((n) => SUITE_PEERS[n]).filter((p) => p !== undefined);
  if (needs.length > 0) {
    // A fresh clone has no .peers/: install them here rather than fail a suite half-way.
    ensurePeers(repoRoot, peersBin, [...new Set(needs.flatMap((p) => p.required))], {
      optional: [...new Set(needs.flatMap((p) => p.optional))],
      log: (line) => process.stderr.write(`bench: ${line}\n`),
    });
  }
  const machine = machineInfo();
  const peers = peerVersions(peersBin);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  // A tree exported with `git archive` has no .git: the caller may name the commit.
  const revision = process.env.TENANTWIRE_BENCH_REVISION ?? sourceRevision();
  process.stderr.write(
    `bench: ${selected.join(', ')} (${args.quick ? 'quick' : 'full'}) on ${describeMachine(machine)}\n`,
  );

  const failures: string[] = [];
  for (const name of selected) {
    if (!available.includes(name)) {
      process.stderr.write(
        `bench: skipping ${name}: bench/${name}/index.ts not found (suites: ${available.join(', ')})\n`,
      );
      continue;
    }
    const options: BenchOptions = {
      quick: args.quick,
      peersBin,
      ...(args.rows ? { rows: args.rows } : {}),
      ...(args.replayMib !== undefined ? { replayMib: args.replayMib } : {}),
      ...(args.cortexTenant !== undefined ? { cortexTenant: args.cortexTenant } : {}),
      log: (line) => process.stderr.write(`[${name}] ${line}\n`),
    };
    const started = performance.now();
    const loadAverage = loadavg()[0] ?? NaN;
    try {
      const suite = await loadSuite(benchDir, name);
      const result = await suite.run(options);
      const record: ResultRecord = {
        ...result,
        command,
        mode: args.quick ? 'quick' : 'full',
        date: new Date().toISOString(),
        elapsedSec: (performance.now() - started) / 1000,
        loadAverage,
        machine,
        peers,
        ...(revision !== undefined ? { revision } : {}),
      };
      const written = writeRecord(outDir, record);
      process.stdout.write(`\n${renderSuiteMarkdown(record, false, 2)}\n`);
      options.log(`wrote ${written.map((w) => relative(repoRoot, w)).join(', ')}`);
    } catch (e) {
      failures.push(name);
      process.stderr.write(`bench: suite ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    } finally {
      await stopAll();
    }
  }
  writeFileSync(join(outDir, 'README.md'), renderResultsReadme(readRecords(outDir, SUITE_ORDER)));
  if (failures.length > 0) process.stderr.write(`bench: failed: ${failures.join(', ')}\n`);
  return failures.length > 0 ? 1 : 0;
}

installCleanup();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    void stopAll().finally(() => process.exit(2));
  },
);
