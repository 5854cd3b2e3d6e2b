import type { ZodType } from 'zod';
import type { Logger } from '../logger.js';

/**
 * The component contract, after Grafana Alloy: typed arguments (a strict zod schema with
 * defaults), immutable exports, construction that ends by calling `update(args)` so the first
 * and every later config take one path, `run(signal)` that resolves after cleanup once the
 * signal aborts, and `update(args)` while running that rejects invalid arguments and keeps the
 * old ones.
 */
export interface ComponentOptions<Exports> {
  /** `<kind>.<label>`, e.g. `prometheus.remote_write.cortex` */
  readonly id: string;
  readonly logger: Logger;
  /** Called when the component's exports change (the host re-evaluates dependants). */
  readonly onStateChange: (exports: Exports) => void;
  /** Resolves another component's export by reference string (`kind.label.export`). */
  readonly resolve?: (reference: string) => unknown;
}

export interface Component<Args, Exports> {
  /** The exports; the host reads this after build and after each onStateChange. */
  readonly exports: Exports;
  run(signal: AbortSignal): Promise<void>;
  update(args: Args): Promise<void>;
  /**
   * Reads again what the arguments point at (secret files): the host calls it on a reload that
   * leaves the component's arguments unchanged. Failing keeps what is in force (it logs).
   */
  refresh?(): Promise<void>;
  /** Optional health report for the host's status page. */
  health?(): ComponentHealth;
}

export interface ComponentHealth {
  readonly state: 'healthy' | 'unhealthy' | 'unknown';
  readonly message: string;
}

export interface ComponentDefinition<Args, Exports> {
  /** e.g. `prometheus.remote_write` */
  readonly kind: string;
  /**
   * Validates the arguments as written in the pipeline file (after references are replaced by
   * the exported values). Strict: unknown keys are errors. Input and output types may differ
   * (defaults, durations as text).
   */
  readonly args: ZodType<Args, unknown>;
  build(options: ComponentOptions<Exports>, args: Args): Promise<Component<Args, Exports>>;
}

/** A definition whatever its types, for registries and hosts. */
// biome-ignore lint/suspicious/noExplicitAny: an existential type; unknown would not accept every definition
export type AnyComponentDefinition = ComponentDefinition<any, any>;
