import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, never, open, removeTempDirs, tempDir, text } from './wal-test-kit.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  removeTempDirs();
});

describe('wal under SIGKILL', () => {
  it('keeps every acknowledged append', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'append-loop-child.ts'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const acked = new Set<number>();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let buffered = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fewer than 200 acks in 20 s; stderr: ${stderr}`)), 20_000);
      child.stdout?.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const l of lines) acked.add(Number(l));
        if (acked.size >= 200 && child.signalCode === null) {
          clearTimeout(timer);
          child.kill('SIGKILL'); // mid-run: appends are in flight
          resolve();
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        if (acked.size < 200) reject(new Error(`child exited early; stderr: ${stderr}`));
      });
    });
    await exited;
    const wal = await open(dir);
    const found = new Set<number>();
    for (const t of wal.tenants()) {
      for (const r of await wal.log(t).read(undefined, LIMITS, never)) {
        const m = /^id-(\d+)-/.exec(text(r.payload));
        expect(m).not.toBeNull();
        found.add(Number(m?.[1]));
      }
    }
    await wal.close();
    const missing = [...acked].filter((id) => !found.has(id));
    expect(missing).toEqual([]);
    expect(found.size).toBeGreaterThanOrEqual(acked.size);
  });
});
