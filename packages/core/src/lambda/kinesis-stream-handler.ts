import type { DeliveryDriver } from "../driver/delivery-driver.js";
import { InvalidArgumentError } from "../errors/argument-errors.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { KinesisStreamRecordLike } from "./aws-event-shapes.js";
import type { RecordReader } from "./batch-delivery.js";
import { batchHandler } from "./batch-handler.js";
import type { BatchHandler, BatchHandlerOptions } from "./batch-handler-options.js";
import { epochDate, requireRecordString } from "./record-fields.js";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Options of {@link kinesisStreamHandler}.
 *
 * @example
 * ```ts
 * const decoder = new TextDecoder();
 * const options: KinesisStreamHandlerOptions<AccountEvent> = {
 *   toEvent: (_record, data) => JSON.parse(decoder.decode(data)) as AccountEvent,
 * };
 * ```
 */
export interface KinesisStreamHandlerOptions<E extends ProjectionEvent, R extends KinesisStreamRecordLike = KinesisStreamRecordLike>
  extends BatchHandlerOptions<R> {
  /**
   * The event to project for a record, given its decoded `data`, or `undefined` to skip it; a
   * skipped record is not a failure. A throw is a failure of the record, and the later records of
   * its stream in the batch are held.
   */
  readonly toEvent: (record: R, data: Uint8Array) => NoInfer<E> | undefined;
}

/**
 * A Lambda handler for a Kinesis Data Streams event source mapping with
 * `ReportBatchItemFailures`, that projects each record exactly once in effect through `driver` and
 * returns the partial batch response.
 *
 * - The stream (resource) of a record is, by default, `kinesis.partitionKey`; `streamOf` replaces it.
 * - The sequence is `kinesis.sequenceNumber`, which is also the item identifier Lambda expects;
 *   `recordedAt` is `kinesis.approximateArrivalTimestamp` (seconds); `toEvent` receives the
 *   base64-decoded `kinesis.data`. A record aggregated by the Kinesis Producer Library (its data
 *   starts with the KPL's magic bytes `F3 89 9A C2`) holds several user records, possibly of
 *   different partition keys, under one sequence number, which one event per sequence cannot
 *   express: it fails with `InvalidArgumentError` (`argument` ends in `kinesis.data`) instead of
 *   being projected as one event. Turn aggregation off in the producer, or de-aggregate first.
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
 * @param options - see {@link KinesisStreamHandlerOptions}.
 * @returns the handler.
 * @throws `InvalidArgumentError` for a malformed driver or options, at once. The handler rejects
 *   (so Lambda retries the whole batch) only for an event without `Records` or a record without a
 *   `sequenceNumber`, which cannot be reported.
 *
 * @example
 * ```ts
 * import { DeliveryDriver, kinesisStreamHandler } from "@projectionkit/core";
 *
 * const decoder = new TextDecoder();
 * export const handler = kinesisStreamHandler(new DeliveryDriver(balances), {
 *   toEvent: (_record, data) => JSON.parse(decoder.decode(data)) as AccountEvent,
 * });
 * ```
 */
export function kinesisStreamHandler<E extends ProjectionEvent, R extends KinesisStreamRecordLike = KinesisStreamRecordLike>(
  driver: DeliveryDriver<E>,
  options: KinesisStreamHandlerOptions<E, R>,
): BatchHandler<R> {
  return batchHandler(driver, options, kinesisStreamReader);
}

/** How a Kinesis record is read: its stream is its partition key, its sequence `sequenceNumber`, its event from the decoded data. */
function kinesisStreamReader<E extends ProjectionEvent, R extends KinesisStreamRecordLike>(
  toEvent: (record: R, data: Uint8Array) => E | undefined,
): RecordReader<R, E> {
  return {
    itemIdentifier: (record, argument) => requireRecordString(record?.kinesis?.sequenceNumber, `${argument}.kinesis.sequenceNumber`),
    stream: (record, argument) => requireRecordString(record.kinesis?.partitionKey, `${argument}.kinesis.partitionKey`),
    sequence: (record, argument) => requireRecordString(record.kinesis?.sequenceNumber, `${argument}.kinesis.sequenceNumber`),
    recordedAt: (record) => {
      const seconds = record.kinesis?.approximateArrivalTimestamp;
      return typeof seconds === "number" ? epochDate(Math.round(seconds * 1_000)) : undefined;
    },
    event: (record, argument) => toEvent(record, decodeBase64(record.kinesis?.data, `${argument}.kinesis.data`)),
  };
}

function decodeBase64(data: unknown, argument: string): Uint8Array {
  if (typeof data !== "string" || !BASE64.test(data)) {
    throw new InvalidArgumentError(argument, "expected base64 data");
  }
  const bytes = Buffer.from(data, "base64");
  if (KPL_MAGIC.every((byte, index) => bytes[index] === byte)) {
    throw new InvalidArgumentError(
      argument,
      "a record aggregated by the Kinesis Producer Library (magic bytes F3 89 9A C2): its user records share one sequence number; turn KPL aggregation off or de-aggregate the records before projecting them",
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The first bytes of a KPL-aggregated record's data. */
const KPL_MAGIC = [0xf3, 0x89, 0x9a, 0xc2] as const;
