import { ConfigError } from '../errors.js';
import type { AnyComponentDefinition } from './types.js';

/**
 * The component kinds a host can build: a literal map from kind to definition. The list is
 * explicit (no discovery, no side-effect registration); the CLI composes it, e.g.
 * `createRegistry([remoteWriteDefinition, createReceiveHttpDefinition({ metrics })])`.
 */
export interface Registry {
  get(kind: string): AnyComponentDefinition | undefined;
  kinds(): readonly string[];
}

export function createRegistry(definitions: readonly AnyComponentDefinition[]): Registry {
  const byKind = new Map<string, AnyComponentDefinition>();
  for (const d of definitions) {
    if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(d.kind)) {
      throw new ConfigError(
        'bad_kind',
        `component kind ${JSON.stringify(d.kind)} must be dotted snake_case, e.g. prometheus.remote_write`,
      );
    }
    if (byKind.has(d.kind)) throw new ConfigError('duplicate_kind', `component kind ${d.kind} is registered twice`);
    byKind.set(d.kind, d);
  }
  return {
    get: (kind) => byKind.get(kind),
    kinds: () => [...byKind.keys()].sort(),
  };
}
