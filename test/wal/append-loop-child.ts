/**
 * Run by wal-crash.test.ts in a child process: appends forever with 8 appenders over 3 tenants
 * and prints each id once its append has resolved (is on disk), until it is killed.
 */
import { openWal } from '../../src/wal/index.js';
import { createLogger } from '../../src/logger.js';

const dir = process.argv[2] as string;
const wal = await openWal({
  dir,
  maxDiskBytes: 1 << 30,
  maxTenantDiskBytes: 1 << 30,
  segmentBytes: 64 * 1024,
  logger: createLogger('error', process.stderr),
});
let next = 0;
async function appender(): Promise<void> {
  for (;;) {
    const id = next++;
    await wal.append([{ tenant: `t${id % 3}`, payload: new TextEncoder().encode(`id-${id}-${'p'.repeat(id % 500)}`) }]);
    process.stdout.write(`${id}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, () => appender()));
