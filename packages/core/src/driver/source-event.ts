import type { ProjectionEvent } from "../projection-event.js";

/**
 * An event as a source delivers it, with where it sits in its stream (clause G1). Give `offset`
 * for contiguous per-stream offsets (event stores: 0, 1, 2 … with no holes), or `sequence` for
 * ordered but non-contiguous sequence numbers (Kinesis, DynamoDB Streams, SQS FIFO).
 *
 * @example
 * ```ts
 * const fromEventStore: SourceEvent<Deposited> = { stream: "account-42", offset: 7, event };
 * const fromKinesis: SourceEvent<Deposited> = { stream: record.kinesis.partitionKey, sequence: record.kinesis.sequenceNumber, event };
 * ```
 */
export type SourceEvent<E extends ProjectionEvent> = OffsetSourceEvent<E> | SequenceSourceEvent<E>;

/** Fields every {@link SourceEvent} has. */
export interface SourceEventBase<E extends ProjectionEvent> {
  /** The stream (the resource): a stream id, a partition key, a message group. */
  readonly stream: string | Uint8Array;
  /** The event to project. */
  readonly event: E;
  /** When the source recorded it. Default: the time of delivery. */
  readonly recordedAt?: Date | undefined;
  /** An id for reports and batch responses (a Lambda record's item identifier). */
  readonly id?: string | undefined;
}

/**
 * An event at a contiguous offset of its stream: c is the version of offset − 1 (empty for 0) and
 * n the version of the offset, from the offset codec.
 *
 * @example
 * ```ts
 * const source: OffsetSourceEvent<Deposited> = { stream: "account-42", offset: 0, event };
 * ```
 */
export interface OffsetSourceEvent<E extends ProjectionEvent> extends SourceEventBase<E> {
  readonly offset: bigint | number;
  readonly sequence?: undefined;
}

/**
 * An event with an ordered, non-contiguous sequence number: it applies when its sequence is after
 * the stored version, with c = the stored version and n = the encoded sequence.
 *
 * @example
 * ```ts
 * const source: SequenceSourceEvent<Deposited> = { stream: "acc-42", sequence: "49590338271490256608559692538361571095921575989136588898", event };
 * ```
 */
export interface SequenceSourceEvent<E extends ProjectionEvent> extends SourceEventBase<E> {
  readonly sequence: string | bigint;
  readonly offset?: undefined;
}
