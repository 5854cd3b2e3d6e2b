import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../../src/cli/cluster.js';

describe('cluster workers', () => {
  it('run with a 4 MiB young-generation semi-space unless the operator set one', () => {
    expect(workerExecArgv([], undefined)).toEqual(['--max-semi-space-size=4']);
    expect(workerExecArgv(['--enable-source-maps'], '')).toEqual(['--enable-source-maps', '--max-semi-space-size=4']);
    expect(workerExecArgv(['--max-semi-space-size=16'], undefined)).toEqual(['--max-semi-space-size=16']);
    expect(workerExecArgv([], '--max_semi_space_size=32 --trace-warnings')).toEqual([]);
  });
});
