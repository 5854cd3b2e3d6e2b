import type { ComponentDefinition } from '../types.js';
import { alertingCortexSyncArgsSchema, type AlertingCortexSyncArgs } from './arguments.js';
import { createAlertingCortexSync, type AlertingCortexSyncExports } from './component.js';

/** The registry entry of `alerting.cortex_sync`: it needs nothing beyond its arguments. */
export const alertingCortexSyncDefinition: ComponentDefinition<AlertingCortexSyncArgs, AlertingCortexSyncExports> = {
  kind: 'alerting.cortex_sync',
  args: alertingCortexSyncArgsSchema,
  async build(options, args) {
    const c = createAlertingCortexSync(options);
    await c.update(args);
    return c;
  },
};
