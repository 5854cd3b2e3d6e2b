// `tenantwire/pipeline`: the component host, the registry and the built-in components.

export type * from '../component/types.js';
export { createRegistry } from '../component/registry.js';
export { createDefaultRegistry } from '../component/default-registry.js';
export { createHost } from '../component/host.js';
export type { Host } from '../component/host.js';
export { BackPressureError, ReceiverClosedError, fanOutReceiver, isReceiver } from '../component/receiver.js';
export type { Receiver, PushContext } from '../component/receiver.js';
export type { OverloadErrorCode } from '../errors.js';
export { createRemoteWrite } from '../component/remote-write/component.js';
export type {
  RemoteWriteComponent,
  RemoteWriteOptions,
  RemoteWriteExports,
} from '../component/remote-write/component.js';
export { remoteWriteDefinition, remoteWriteDefinitionWith } from '../component/remote-write/definition.js';
export { remoteWriteArgsSchema } from '../component/remote-write/arguments.js';
export type { RemoteWriteArgs, RemoteWriteArgsInput } from '../component/remote-write/arguments.js';
export { createReceiveHttpDefinition } from '../component/receive-http/definition.js';
export { createOtlpReceiveHttpDefinition } from '../component/otlp-receive-http/definition.js';
export { alertingCortexSyncDefinition } from '../component/alertmanager-sync/definition.js';
export { createAlertingCortexSync } from '../component/alertmanager-sync/component.js';
