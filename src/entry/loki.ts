// `tenantwire/loki`: Loki push codecs and the per-tenant Loki proxy (cortex-tenant's /loki/push).

export { decodePushRequest } from '../loki/decode-push.js';
export { encodePushRequest } from '../loki/encode-push.js';
export { decodePushJson, encodePushJson } from '../loki/push-json.js';
export { parseStreamLabels, printStreamLabels } from '../loki/labels-string.js';
export type { LokiEntry, LokiFormat, LokiLimits, LokiPushRequest, LokiStream, LokiTimestamp } from '../loki/types.js';
export { LOKI_ERROR_CODES } from '../loki/loki-errors.js';
export type { LokiErrorCode } from '../loki/loki-errors.js';
export { createLokiProxy, lokiNotConfigured } from '../proxy/loki-proxy.js';
export type { IncomingLokiPush, LokiProxyOptions, LokiPushHandler } from '../proxy/loki-proxy.js';
export { createLokiMetrics } from '../proxy/loki-metrics.js';
export type { LokiMetrics } from '../proxy/loki-metrics.js';
