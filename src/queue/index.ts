/** The durable per-tenant queue's public surface. */
export { createDurableQueue, RETRY_AFTER_CAP_MS } from './durable-queue.js';
export {
  QueueError,
  QueueFullError,
  QueueIoError,
  QueueClosedError,
  DEFAULT_FULL_RETRY_AFTER_MS,
  toQueueError,
} from './queue-errors.js';
export { queueMetrics, walMetricsFor, QUEUE_DROP_REASONS, type QueueMetrics, type QueueDropReason } from './metrics.js';
export { encodeRecord, decodeRecord, QueueRecordError, RECORD_FORMAT, type QueueRecord } from './record.js';
export type {
  DurableQueue,
  DurableQueueConfig,
  DurableQueueMetrics,
  DurableQueueOptions,
  QueuePiece,
} from './types.js';
