import type { DeliveryDriver } from "../driver/delivery-driver.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { DynamoDBStreamRecordLike } from "./aws-event-shapes.js";
import type { RecordReader } from "./batch-delivery.js";
import { batchHandler } from "./batch-handler.js";
import type { BatchHandler, BatchHandlerOptions } from "./batch-handler-options.js";
import { dynamoDBItemStream } from "./dynamodb-stream-key.js";
import { epochDate, requireRecordString } from "./record-fields.js";

/**
 * Options of {@link dynamoDBStreamsHandler}.
 *
 * @example
 * ```ts
 * const options: DynamoDBStreamsHandlerOptions<OrderEvent> = {
 *   toEvent: (record) => (record.eventName === "REMOVE" ? undefined : orderEventFrom(record.dynamodb?.NewImage)),
 * };
 * ```
 */
export interface DynamoDBStreamsHandlerOptions<E extends ProjectionEvent, R extends DynamoDBStreamRecordLike = DynamoDBStreamRecordLike>
  extends BatchHandlerOptions<R> {
  /**
   * The event to project for a record, or `undefined` to skip it (e.g. the `REMOVE` records the
   * projection ignores); a skipped record is not a failure. A throw is a failure of the record,
   * and the later records of its stream in the batch are held.
   */
  readonly toEvent: (record: R) => NoInfer<E> | undefined;
}

/**
 * A Lambda handler for a DynamoDB Streams event source mapping with `ReportBatchItemFailures`,
 * that projects each record exactly once in effect through `driver` and returns the partial batch
 * response.
 *
 * - The stream (resource) of a record is, by default, the item it changed: the table name from
 *   `eventSourceARN` and the record's `Keys` in canonical form (`Orders/{"pk":{"S":"o-1"}}`), or,
 *   when that is over 512 UTF-8 bytes, the table and a SHA-256 of the canonical keys
 *   (`Orders/#sha256:…`), so that it fits a backend's key; `streamOf` replaces it.
 * - The sequence is `dynamodb.SequenceNumber`, which is also the item identifier Lambda expects;
 *   `recordedAt` is `dynamodb.ApproximateCreationDateTime` (seconds).
 * - All records go to one `deliverAll` call: different streams in parallel, each stream in
 *   sequence order, a repeated record settling with the first, and each stream's records committed
 *   in batches when the projection offers `handleEventBatch` (the driver's `maxBatchSize`).
 * - `batchItemFailures` lists the records whose outcome is failed, gap, held or cancelled, never
 *   duplicates nor applied or skipped records: for each stream, the first record that did not settle
 *   and every later record of that stream. A record that cannot be read is failed and the
 *   later records of its stream are held (all later records, when its stream cannot be told).
 * - With a Lambda `context`, delivery is cancelled `safetyMarginMs` before the invocation times
 *   out; the records it did not finish are reported.
 *
 * @param driver - delivers the events to the projection.
 * @param options - see {@link DynamoDBStreamsHandlerOptions}.
 * @returns the handler.
 * @throws `InvalidArgumentError` for a malformed driver or options, at once. The handler rejects
 *   (so Lambda retries the whole batch) only for an event without `Records` or a record without a
 *   `SequenceNumber`, which cannot be reported.
 *
 * @example
 * ```ts
 * import type { DynamoDBRecord } from "aws-lambda";
 * import { DeliveryDriver, dynamoDBStreamsHandler } from "@projectionkit/core";
 *
 * const driver = new DeliveryDriver(ordersProjection);
 * export const handler = dynamoDBStreamsHandler(driver, {
 *   toEvent: (record: DynamoDBRecord) =>
 *     record.eventName === "REMOVE"
 *       ? undefined
 *       : { type: "OrderChanged", orderId: record.dynamodb?.NewImage?.["pk"]?.S ?? "", status: record.dynamodb?.NewImage?.["status"]?.S ?? "" },
 * });
 * ```
 */
export function dynamoDBStreamsHandler<E extends ProjectionEvent, R extends DynamoDBStreamRecordLike = DynamoDBStreamRecordLike>(
  driver: DeliveryDriver<E>,
  options: DynamoDBStreamsHandlerOptions<E, R>,
): BatchHandler<R> {
  return batchHandler(driver, options, dynamoDBStreamsReader);
}

/** How a DynamoDB Streams record is read: its stream is the item it changed, its sequence `SequenceNumber`. */
function dynamoDBStreamsReader<E extends ProjectionEvent, R extends DynamoDBStreamRecordLike>(toEvent: (record: R) => E | undefined): RecordReader<R, E> {
  return {
    itemIdentifier: (record, argument) => requireRecordString(record?.dynamodb?.SequenceNumber, `${argument}.dynamodb.SequenceNumber`),
    stream: (record, argument) => dynamoDBItemStream(record, argument),
    sequence: (record, argument) => requireRecordString(record.dynamodb?.SequenceNumber, `${argument}.dynamodb.SequenceNumber`),
    recordedAt: (record) => {
      const seconds = record.dynamodb?.ApproximateCreationDateTime;
      return typeof seconds === "number" ? epochDate(seconds * 1_000) : undefined;
    },
    event: (record) => toEvent(record),
  };
}
