import type { ComponentDefinition } from '../types.js';
import { remoteWriteArgsSchema, type RemoteWriteArgs } from './arguments.js';
import { createRemoteWrite, type RemoteWriteExports, type RemoteWriteOptions } from './component.js';

/**
 * The registry entry of `prometheus.remote_write`. Options that are not arguments (the metrics
 * registry, a transport for tests) are bound here by the program that builds the registry.
 */
export function remoteWriteDefinitionWith(
  options: Omit<RemoteWriteOptions, 'logger'> = {},
): ComponentDefinition<RemoteWriteArgs, RemoteWriteExports> {
  return {
    kind: 'prometheus.remote_write',
    args: remoteWriteArgsSchema,
    async build(componentOptions, args) {
      return createRemoteWrite(args, { ...options, logger: componentOptions.logger });
    },
  };
}

export const remoteWriteDefinition: ComponentDefinition<RemoteWriteArgs, RemoteWriteExports> =
  remoteWriteDefinitionWith();
