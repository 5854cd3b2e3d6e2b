import type { CortexTenantConfig } from '../config/cortex-tenant.js';

/** Slack after `timeout` for the last answers to be written and connections to close. */
export const DRAIN_MARGIN_MS = 1_000;

/**
 * How long after SIGTERM a proxy process takes at most to exit: `timeout_shutdown` (serving,
 * /alive 503), then `timeout` for the requests in flight, then a second; a request not answered
 * by then has its connection closed unanswered, so its sender retries.
 */
export function shutdownDeadlineMs(
  config: Pick<CortexTenantConfig, 'timeoutShutdownMs' | 'timeoutMs' | 'queue'>,
): number {
  // Queue mode: then `timeout` more to deliver what the queues hold; the rest stays on disk.
  const flush = config.queue ? config.timeoutMs + DRAIN_MARGIN_MS : 0;
  return config.timeoutShutdownMs + config.timeoutMs + 2 * DRAIN_MARGIN_MS + flush;
}
