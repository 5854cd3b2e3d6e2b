import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { configErrorFromZod } from '../zod-errors.js';
import { parsePipeline, type PipelineComponentSpec } from './pipeline/parse.js';
import { dependencyOrder, findReferences, substituteReferences, type Reference } from './pipeline/references.js';
import { stableKey } from './stable-key.js';
import type { Registry } from './registry.js';
import type { AnyComponentDefinition, Component, ComponentHealth } from './types.js';

/**
 * The host (Alloy's controller, reduced): loads a pipeline file, builds components in
 * dependency order, runs them, and re-applies a new file on reload. Unchanged components are
 * left alone, changed ones get `update(args)`, removed ones are stopped; a component's exports
 * (its receiver) stay the same object across reloads.
 */
export interface HostOptions {
  readonly registry: Registry;
  readonly logger: Logger;
  /** Told when a component's run() fails or returns before it was stopped (after the log line). */
  readonly onCrash?: (id: string, reason: string) => void;
}

export interface Host {
  /** Parses, checks and applies a pipeline file; the first load and every reload take this path. */
  reload(text: string): Promise<void>;
  /** Runs every component (and those added later) until `signal` aborts; resolves after cleanup. */
  run(signal: AbortSignal): Promise<void>;
  /** The current exports of a component, e.g. `exports('prometheus.remote_write.cortex')?.receiver`. */
  exports(id: string): Readonly<Record<string, unknown>> | undefined;
  /** Declared component ids in dependency order. */
  ids(): readonly string[];
  health(): Readonly<Record<string, ComponentHealth>>;
}

interface Node {
  readonly spec: PipelineComponentSpec;
  readonly definition: AnyComponentDefinition;
  readonly component: Component<unknown, Record<string, unknown>>;
  exports: Record<string, unknown>;
  argsKey: string;
  refValues: unknown[];
  crashed?: string;
  controller?: AbortController;
  running?: Promise<void>;
}

export function createHost(options: HostOptions): Host {
  const { registry, logger } = options;
  const kinds = registry.kinds();
  const kindsLongestFirst = [...kinds].sort((a, b) => b.length - a.length);
  const nodes = new Map<string, Node>();
  let order: string[] = [];
  let refsById = new Map<string, Reference[]>();
  let specs = new Map<string, PipelineComponentSpec>();
  let running = false;
  /** Reloads and re-evaluations run one at a time, in order. */
  let chain: Promise<unknown> = Promise.resolve();

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = chain.then(task);
    chain = next.catch(() => undefined);
    return next;
  };

  function start(node: Node): void {
    const controller = new AbortController();
    node.controller = controller;
    node.running = node.component.run(controller.signal).then(
      () => {
        if (controller.signal.aborted) return;
        node.crashed = 'run() returned before the component was stopped';
        options.onCrash?.(node.spec.id, node.crashed);
      },
      (e: unknown) => {
        node.crashed = e instanceof Error ? e.message : String(e);
        logger.error({ component: node.spec.id, err: e }, 'component run failed');
        if (!controller.signal.aborted) options.onCrash?.(node.spec.id, node.crashed);
      },
    );
  }

  async function stop(node: Node): Promise<void> {
    node.controller?.abort();
    await node.running;
  }

  function resolveArgs(id: string): { args: unknown; refValues: unknown[] } {
    const spec = specs.get(id);
    if (!spec) throw new ConfigError('internal', `${id}: not declared`);
    const refValues: unknown[] = [];
    for (const ref of refsById.get(id) ?? []) {
      const target = nodes.get(ref.componentId);
      if (!target || !(ref.exportName in target.exports)) {
        const names = target ? Object.keys(target.exports).join(', ') || 'none' : 'none';
        throw new ConfigError(
          'unknown_export',
          `${ref.path}: ${ref.componentId} has no export "${ref.exportName}" (exports: ${names})`,
        );
      }
      refValues.push(target.exports[ref.exportName]);
    }
    const args = substituteReferences(
      spec.args,
      kindsLongestFirst,
      (ref) => nodes.get(ref.componentId)?.exports[ref.exportName],
    );
    return { args, refValues };
  }

  function validate(definition: AnyComponentDefinition, id: string, args: unknown): unknown {
    const parsed = definition.args.safeParse(args);
    if (!parsed.success) throw configErrorFromZod(parsed.error, id);
    return parsed.data;
  }

  async function applyOne(id: string): Promise<void> {
    const spec = specs.get(id);
    const definition = spec ? registry.get(spec.kind) : undefined;
    if (!spec || !definition) throw new ConfigError('internal', `${id}: not declared`);
    const { args, refValues } = resolveArgs(id);
    const argsKey = stableKey(spec.args);
    const existing = nodes.get(id);
    if (existing) {
      const same = existing.argsKey === argsKey && refValues.every((v, i) => v === existing.refValues[i]);
      if (same && refValues.length === existing.refValues.length) {
        await existing.component.refresh?.();
        return;
      }
      await existing.component.update(validate(definition, id, args));
      existing.argsKey = argsKey;
      existing.refValues = refValues;
      logger.info({ component: id }, 'component updated');
      return;
    }
    const parsed = validate(definition, id, args);
    const child = logger.child({ component: id });
    let node: Node | undefined;
    const component = (await definition.build(
      {
        id,
        logger: child,
        onStateChange: (exports: Record<string, unknown>) => {
          if (!node || node.exports === exports) return;
          node.exports = exports;
          // Dependants see the new exports on the next evaluation, queued after this one.
          serial(() => applyAll()).catch((e: unknown) =>
            logger.error({ component: id, err: e }, 're-evaluating dependants failed'),
          );
        },
        resolve: (reference: string) =>
          substituteReferences(reference, kindsLongestFirst, (r) => nodes.get(r.componentId)?.exports[r.exportName]),
      },
      parsed,
    )) as Component<unknown, Record<string, unknown>>;
    node = { spec, definition, component, exports: component.exports, argsKey, refValues };
    nodes.set(id, node);
    if (running) start(node);
    logger.info({ component: id }, 'component started');
  }

  async function applyAll(): Promise<void> {
    for (const id of order) await applyOne(id);
  }

  async function reloadNow(text: string): Promise<void> {
    const spec = parsePipeline(text, kinds);
    const declared = new Set(spec.components.map((c) => c.id));
    const nextRefs = new Map<string, Reference[]>();
    for (const c of spec.components) nextRefs.set(c.id, findReferences(c, kinds, declared));
    const dependsOn = new Map([...nextRefs].map(([id, refs]) => [id, [...new Set(refs.map((r) => r.componentId))]]));
    const nextOrder = dependencyOrder(
      spec.components.map((c) => c.id),
      dependsOn,
    );
    // Check what can be checked before touching anything: arguments without references.
    for (const c of spec.components) {
      const definition = registry.get(c.kind);
      if (definition && (nextRefs.get(c.id) ?? []).length === 0) validate(definition, c.id, c.args);
    }
    const removed = [...nodes.keys()].filter((id) => !declared.has(id)).reverse();
    for (const id of removed) {
      const node = nodes.get(id);
      nodes.delete(id);
      if (node) await stop(node);
      logger.info({ component: id }, 'component removed');
    }
    specs = new Map(spec.components.map((c) => [c.id, c]));
    refsById = nextRefs;
    order = nextOrder;
    await applyAll();
  }

  return {
    reload: (text) => serial(() => reloadNow(text)),
    async run(signal) {
      running = true;
      for (const node of nodes.values()) if (!node.running) start(node);
      if (!signal.aborted) await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      await serial(async () => {
        running = false;
        // Senders first, sinks last, so that what is queued can still drain downstream.
        for (const id of [...order].reverse()) {
          const node = nodes.get(id);
          if (node) await stop(node);
        }
      });
    },
    exports: (id) => nodes.get(id)?.exports,
    ids: () => [...order],
    health() {
      const out: Record<string, ComponentHealth> = {};
      for (const [id, node] of nodes) {
        out[id] = node.crashed
          ? { state: 'unhealthy', message: node.crashed }
          : (node.component.health?.() ?? {
              state: running ? 'healthy' : 'unknown',
              message: running ? 'running' : 'not running',
            });
      }
      return out;
    },
  };
}
