import type { DeliveryDriver } from "../driver/delivery-driver.js";
import type { DeliveryOutcome } from "../driver/delivery-report.js";
import type { SequenceSourceEvent } from "../driver/source-event.js";
import { streamKey } from "../driver/stream-key.js";
import { InvalidArgumentError } from "../errors/argument-errors.js";
import type { ProjectionEvent } from "../projection-event.js";
import { encodeSequence } from "../sequence-codec.js";
import { streamResource } from "../stream-versions.js";
import { describeValue } from "../validation.js";
import type { BatchResponse } from "./batch-response.js";
import type { RecordFailure, ResolvedBatchHandlerOptions } from "./batch-handler-options.js";
import { invocationDeadline } from "./invocation-deadline.js";

/**
 * How one event source's records are read. Each method may throw; `argument` names the record
 * (`event.Records[3]`) for the error.
 *
 * @example
 * ```ts
 * const reader: RecordReader<SQSRecordLike, AccountEvent> = {
 *   itemIdentifier: (record, argument) => requireRecordString(record.messageId, `${argument}.messageId`),
 *   stream: (record, argument) => requireRecordString(record.attributes.MessageGroupId, `${argument}.attributes.MessageGroupId`),
 *   sequence: (record, argument) => requireRecordString(record.attributes.SequenceNumber, `${argument}.attributes.SequenceNumber`),
 *   recordedAt: () => undefined,
 *   event: (record) => JSON.parse(record.body) as AccountEvent,
 * };
 * ```
 */
export interface RecordReader<R, E extends ProjectionEvent> {
  /** The record's item identifier. Throwing fails the whole invocation: the record cannot be reported. */
  itemIdentifier(record: R, argument: string): string;
  /** The default stream, when the options give no `streamOf`. */
  stream(record: R, argument: string): string;
  /** The record's sequence number, a decimal string. */
  sequence(record: R, argument: string): string;
  /** When the source recorded it, if it says. */
  recordedAt(record: R): Date | undefined;
  /** The event to project, or `undefined` to skip the record. */
  event(record: R, argument: string): E | undefined;
}

/** The outcomes that put a record in `batchItemFailures`. */
const REPORTED: ReadonlySet<DeliveryOutcome> = new Set(["failed", "gap", "held", "cancelled"]);

type RecordPlan<E extends ProjectionEvent> =
  | { readonly kind: "skip" }
  | { readonly kind: "deliver"; readonly source: SequenceSourceEvent<E>; readonly key: string }
  | { readonly kind: "unreadable"; readonly key: string | undefined; readonly error: unknown };

interface Settled {
  readonly outcome: DeliveryOutcome;
  readonly error?: unknown;
}

/**
 * Delivers one Lambda batch with one `deliverAll` call and builds the partial batch response.
 *
 * Every record is read first, without I/O. A record whose reading throws is `failed`, and the later
 * records of its stream are `held` (not delivered), so that its stream keeps its order; when even
 * its stream is unknown, every later record of the batch is held. `toEvent` returning `undefined`
 * skips a record. The other records go to the driver in one call, cancelled by the invocation's
 * deadline: different streams in parallel, each stream in sequence order and in batches (G7, G8).
 * The driver holds every record of a stream after the first that did not settle, so the response
 * (the records whose outcome is failed, gap, held or cancelled, each identifier once, in batch
 * order) holds, for each stream, that record and every later one (G9).
 *
 * @param driver - delivers the events.
 * @param reader - reads this source's records.
 * @param options - the checked handler options.
 * @param event - the Lambda event.
 * @param context - the Lambda context, for the deadline.
 * @returns the partial batch response.
 * @throws `InvalidArgumentError` for an event without a `Records` array or a record without an
 *   identifier; whatever `deliverAll` throws.
 *
 * @internal
 */
export async function deliverBatch<R, E extends ProjectionEvent>(
  driver: DeliveryDriver<E>,
  reader: RecordReader<R, E>,
  options: ResolvedBatchHandlerOptions<R>,
  event: { readonly Records: readonly R[] },
  context: unknown,
): Promise<BatchResponse> {
  if (typeof event !== "object" || event === null || !Array.isArray(event.Records)) {
    throw new InvalidArgumentError("event.Records", `expected an array, got ${describeValue((event as { Records?: unknown } | null)?.Records)}`);
  }
  const records: readonly R[] = event.Records;
  const identifiers = records.map((record, index) => reader.itemIdentifier(record, `event.Records[${index}]`));
  const plans = records.map((record, index) => planRecord(reader, options, record, `event.Records[${index}]`, identifiers[index] as string));

  const settled: Array<Settled | undefined> = new Array(records.length);
  const sources: SequenceSourceEvent<E>[] = [];
  const sourceIndexes: number[] = [];
  const poisoned = new Set<string>();
  let poisonAll = false;
  plans.forEach((plan, index) => {
    if (plan.kind === "unreadable") {
      settled[index] = { outcome: "failed", error: plan.error };
      if (plan.key === undefined) {
        poisonAll = true;
      } else {
        poisoned.add(plan.key);
      }
    } else if (plan.kind === "deliver") {
      if (poisonAll || poisoned.has(plan.key)) {
        settled[index] = { outcome: "held" };
      } else {
        sources.push(plan.source);
        sourceIndexes.push(index);
      }
    }
  });

  if (sources.length > 0) {
    const deadline = invocationDeadline(context, options.safetyMarginMs);
    try {
      // An already aborted signal (the time is up) comes back as every event cancelled.
      const { reports } = await driver.deliverAll(sources, deadline.signal === undefined ? undefined : { signal: deadline.signal });
      reports.forEach((report, position) => {
        settled[sourceIndexes[position] as number] = { outcome: report.outcome, error: report.error };
      });
    } finally {
      deadline.dispose();
    }
  }

  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  const reported = new Set<string>();
  settled.forEach((result, index) => {
    if (result === undefined || !REPORTED.has(result.outcome)) {
      return;
    }
    const itemIdentifier = identifiers[index] as string;
    if (!reported.has(itemIdentifier)) {
      reported.add(itemIdentifier);
      batchItemFailures.push({ itemIdentifier });
    }
    notify(options, {
      record: records[index] as R,
      index,
      itemIdentifier,
      outcome: result.outcome as RecordFailure<R>["outcome"],
      ...(result.error === undefined ? {} : { error: result.error }),
    });
  });
  return { batchItemFailures };
}

function planRecord<R, E extends ProjectionEvent>(
  reader: RecordReader<R, E>,
  options: ResolvedBatchHandlerOptions<R>,
  record: R,
  argument: string,
  id: string,
): RecordPlan<E> {
  // The event first: a skipped record needs nothing else (a custom `streamOf` may not apply to it).
  let event: E | undefined;
  let eventFailure: { readonly error: unknown } | undefined;
  try {
    event = reader.event(record, argument);
    if (event !== undefined && (typeof event !== "object" || event === null)) {
      throw new InvalidArgumentError(`toEvent(${argument})`, `expected an event object or undefined, got ${describeValue(event)}`);
    }
  } catch (error) {
    eventFailure = { error };
  }
  if (eventFailure === undefined && event === undefined) {
    return { kind: "skip" };
  }
  let stream: string;
  let key: string;
  try {
    stream = requireStream(options.streamOf === undefined ? reader.stream(record, argument) : options.streamOf(record), argument);
    key = streamKey(streamResource(stream));
  } catch (error) {
    return { kind: "unreadable", key: undefined, error: eventFailure === undefined ? error : eventFailure.error };
  }
  if (eventFailure !== undefined || event === undefined) {
    return { kind: "unreadable", key, error: eventFailure?.error };
  }
  try {
    const sequence = reader.sequence(record, argument);
    requireSequence(sequence, argument);
    const recordedAt = reader.recordedAt(record);
    return { kind: "deliver", key, source: { stream, sequence, event, id, ...(recordedAt === undefined ? {} : { recordedAt }) } };
  } catch (error) {
    return { kind: "unreadable", key, error };
  }
}

/** The driver would reject the whole batch for one malformed sequence: check it per record. */
function requireSequence(sequence: string, argument: string): void {
  try {
    encodeSequence(sequence);
  } catch (error) {
    throw new InvalidArgumentError(`sequence of ${argument}`, `expected a decimal sequence number, got ${JSON.stringify(sequence)}`, { cause: error });
  }
}

function requireStream(stream: unknown, argument: string): string {
  if (typeof stream !== "string" || stream.length === 0) {
    throw new InvalidArgumentError(`stream of ${argument}`, `expected a non-empty string, got ${typeof stream === "string" ? '""' : describeValue(stream)}`);
  }
  return stream;
}

function notify<R>(options: ResolvedBatchHandlerOptions<R>, failure: RecordFailure<R>): void {
  try {
    options.onFailure?.(failure);
  } catch {
    // Observability must not change the response.
  }
}
