import type { DeliveryDriver } from "../driver/delivery-driver.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { SQSRecordLike } from "./aws-event-shapes.js";
import type { RecordReader } from "./batch-delivery.js";
import { batchHandler } from "./batch-handler.js";
import type { BatchHandler, BatchHandlerOptions } from "./batch-handler-options.js";
import { epochDate, requireRecordString } from "./record-fields.js";

const NOT_FIFO = "not a record of a FIFO queue";

/**
 * Options of {@link sqsFifoHandler}.
 *
 * @example
 * ```ts
 * const options: SQSFifoHandlerOptions<AccountEvent> = { toEvent: (record) => JSON.parse(record.body) as AccountEvent };
 * ```
 */
export interface SQSFifoHandlerOptions<E extends ProjectionEvent, R extends SQSRecordLike = SQSRecordLike> extends BatchHandlerOptions<R> {
  /**
   * The event to project for a message, or `undefined` to skip it; a skipped message is not a
   * failure. A throw is a failure of the message, and the later messages of its group in the
   * batch are held.
   */
  readonly toEvent: (record: R) => NoInfer<E> | undefined;
}

/**
 * A Lambda handler for an SQS FIFO queue event source mapping with `ReportBatchItemFailures`,
 * that projects each message exactly once in effect through `driver` and returns the partial
 * batch response.
 *
 * - The stream (resource) of a message is, by default, `attributes.MessageGroupId`; `streamOf`
 *   replaces it.
 * - The sequence is `attributes.SequenceNumber` (it grows within a message group); the item
 *   identifier is `messageId`; `recordedAt` is `attributes.SentTimestamp`.
 * - A message without `MessageGroupId` or `SequenceNumber` (a standard queue's) is a failure of
 *   that message, with an `InvalidArgumentError` naming the attribute.
 * - All messages go to one `deliverAll` call: different groups in parallel, each group in
 *   sequence order, a repeated message settling with the first, and each group's messages committed
 *   in batches when the projection offers `handleEventBatch` (the driver's `maxBatchSize`).
 * - `batchItemFailures` lists the messages whose outcome is failed, gap, held or cancelled, never
 *   duplicates nor applied or skipped messages: for each group, the first message that did not settle
 *   and every later message of that group. A message that cannot be read is failed and the
 *   later messages of its group are held (all later messages, when its group cannot be told).
 * - With a Lambda `context`, delivery is cancelled `safetyMarginMs` before the invocation times
 *   out; the messages it did not finish are reported.
 *
 * @param driver - delivers the events to the projection.
 * @param options - see {@link SQSFifoHandlerOptions}.
 * @returns the handler.
 * @throws `InvalidArgumentError` for a malformed driver or options, at once. The handler rejects
 *   (so Lambda retries the whole batch) only for an event without `Records` or a message without
 *   a `messageId`, which cannot be reported.
 *
 * @example
 * ```ts
 * import { DeliveryDriver, sqsFifoHandler } from "@projectionkit/core";
 *
 * export const handler = sqsFifoHandler(new DeliveryDriver(balances), {
 *   toEvent: (record) => JSON.parse(record.body) as AccountEvent,
 *   onFailure: ({ itemIdentifier, outcome, error }) => console.warn(itemIdentifier, outcome, error),
 * });
 * ```
 */
export function sqsFifoHandler<E extends ProjectionEvent, R extends SQSRecordLike = SQSRecordLike>(
  driver: DeliveryDriver<E>,
  options: SQSFifoHandlerOptions<E, R>,
): BatchHandler<R> {
  return batchHandler(driver, options, sqsFifoReader);
}

/** How an SQS FIFO message is read: its stream is its message group, its sequence the group's `SequenceNumber`. */
function sqsFifoReader<E extends ProjectionEvent, R extends SQSRecordLike>(toEvent: (record: R) => E | undefined): RecordReader<R, E> {
  return {
    itemIdentifier: (record, argument) => requireRecordString(record?.messageId, `${argument}.messageId`),
    stream: (record, argument) => requireRecordString(record.attributes?.MessageGroupId, `${argument}.attributes.MessageGroupId`, NOT_FIFO),
    sequence: (record, argument) => requireRecordString(record.attributes?.SequenceNumber, `${argument}.attributes.SequenceNumber`, NOT_FIFO),
    recordedAt: (record) => {
      const sent = record.attributes?.SentTimestamp;
      return typeof sent === "string" && /^\d+$/.test(sent) ? epochDate(Number(sent)) : undefined;
    },
    event: (record) => toEvent(record),
  };
}
