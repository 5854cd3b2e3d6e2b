#!/usr/bin/env node
/**
 * The tenantwire CLI: argv and environment in, a running server (or a one-shot command) out.
 *   tenantwire                         the embedded default (127.0.0.1:8080 -> ./data/<tenant>/)
 *   tenantwire --config FILE           cortex-tenant's YAML, or a pipeline file (told apart by shape)
 *   tenantwire inspect FILE|-          decode a remote-write body
 *   tenantwire alerting render|sync    per-cluster Alertmanager configs
 */
import cluster from 'node:cluster';
import { runCli } from './cli/run-cli.js';
import { exitFailedWorker } from './cli/cluster.js';

// `tenantwire inspect ... | head`: a reader that stops reading ends the command quietly, as
// other command-line tools do, instead of an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A worker's IPC channel would keep it alive after it drained.
    if (cluster.isWorker) process.exit(code);
  },
  (error: unknown) => {
    process.exitCode = 1;
    // A failed cluster worker would stay up on its IPC channel: it hands its reason to the
    // primary, which prints it once and stops the others.
    if (cluster.isWorker) exitFailedWorker(error);
    else process.stderr.write(`tenantwire: ${error instanceof Error ? error.message : String(error)}\n`);
  },
);
