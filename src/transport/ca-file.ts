import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/** CA bundles a config names (a pipeline's `tls.ca_file`): read where the transport is built. */
export function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      'unreadable_file',
      `tls.ca_file: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}
