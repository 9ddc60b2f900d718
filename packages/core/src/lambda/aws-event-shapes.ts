/**
 * The smallest structural shapes of the Lambda events the batch handlers read. The types of
 * `@types/aws-lambda` (`DynamoDBStreamEvent`, `KinesisStreamEvent`, `SQSEvent`, `Context`) are
 * assignable to them, so the published types of `@projectionkit/core` do not depend on that
 * package. Optional fields also accept `undefined`, for `exactOptionalPropertyTypes`.
 */

/**
 * A DynamoDB attribute value as DynamoDB Streams encode it (`{ S: "…" }`, `{ N: "42" }`, …).
 *
 * @example
 * ```ts
 * const id: DynamoDBAttributeValueLike = { S: "order-17" };
 * const amount = Number(record.dynamodb?.NewImage?.["amount"]?.N);
 * ```
 */
export interface DynamoDBAttributeValueLike {
  readonly B?: string | undefined;
  readonly BOOL?: boolean | undefined;
  readonly BS?: readonly string[] | undefined;
  readonly L?: readonly DynamoDBAttributeValueLike[] | undefined;
  readonly M?: { readonly [name: string]: DynamoDBAttributeValueLike } | undefined;
  readonly N?: string | undefined;
  readonly NS?: readonly string[] | undefined;
  readonly NULL?: boolean | undefined;
  readonly S?: string | undefined;
  readonly SS?: readonly string[] | undefined;
}

/**
 * One record of a DynamoDB Streams event (`DynamoDBRecord` of `@types/aws-lambda`).
 *
 * @example
 * ```ts
 * const record: DynamoDBStreamRecordLike = {
 *   eventName: "INSERT",
 *   eventSourceARN: "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000",
 *   dynamodb: { Keys: { pk: { S: "order-17" } }, SequenceNumber: "4421584500000000017450439091", ApproximateCreationDateTime: 1704067200 },
 * };
 * ```
 */
export interface DynamoDBStreamRecordLike {
  readonly eventID?: string | undefined;
  readonly eventName?: string | undefined;
  readonly eventSource?: string | undefined;
  readonly eventSourceARN?: string | undefined;
  readonly awsRegion?: string | undefined;
  readonly dynamodb?:
    | {
        /** Seconds since the epoch. */
        readonly ApproximateCreationDateTime?: number | undefined;
        readonly Keys?: { readonly [name: string]: DynamoDBAttributeValueLike } | undefined;
        readonly NewImage?: { readonly [name: string]: DynamoDBAttributeValueLike } | undefined;
        readonly OldImage?: { readonly [name: string]: DynamoDBAttributeValueLike } | undefined;
        readonly SequenceNumber?: string | undefined;
        readonly SizeBytes?: number | undefined;
        readonly StreamViewType?: string | undefined;
      }
    | undefined;
}

/**
 * A DynamoDB Streams event (`DynamoDBStreamEvent` of `@types/aws-lambda`).
 *
 * @example
 * ```ts
 * const event: DynamoDBStreamEventLike<DynamoDBStreamRecordLike> = { Records: [] };
 * ```
 */
export interface DynamoDBStreamEventLike<R extends DynamoDBStreamRecordLike = DynamoDBStreamRecordLike> {
  readonly Records: readonly R[];
}

/**
 * One record of a Kinesis Data Streams event (`KinesisStreamRecord` of `@types/aws-lambda`).
 *
 * @example
 * ```ts
 * const record: KinesisStreamRecordLike = {
 *   eventID: "shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
 *   kinesis: { partitionKey: "acc-42", sequenceNumber: "49590338271490256608559692538361571095921575989136588898", data: "eyJ0eXBlIjoiT3BlbmVkIn0=", approximateArrivalTimestamp: 1545084650.987 },
 * };
 * ```
 */
export interface KinesisStreamRecordLike {
  readonly eventID?: string | undefined;
  readonly eventSourceARN?: string | undefined;
  readonly kinesis: {
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    /** The payload, base64-encoded. */
    readonly data: string;
    /** Seconds since the epoch, with milliseconds as the fraction. */
    readonly approximateArrivalTimestamp?: number | undefined;
  };
}

/**
 * A Kinesis Data Streams event (`KinesisStreamEvent` of `@types/aws-lambda`).
 *
 * @example
 * ```ts
 * const event: KinesisStreamEventLike = { Records: [] };
 * ```
 */
export interface KinesisStreamEventLike<R extends KinesisStreamRecordLike = KinesisStreamRecordLike> {
  readonly Records: readonly R[];
}

/**
 * One record of an SQS event (`SQSRecord` of `@types/aws-lambda`). The FIFO handler needs
 * `attributes.MessageGroupId` and `attributes.SequenceNumber`, which only FIFO queues set.
 *
 * @example
 * ```ts
 * const record: SQSRecordLike = {
 *   messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
 *   body: '{"type":"Opened","account":"acc-42"}',
 *   attributes: { MessageGroupId: "acc-42", SequenceNumber: "18849496460467696128", SentTimestamp: "1573251510774" },
 * };
 * ```
 */
export interface SQSRecordLike {
  readonly messageId: string;
  readonly body: string;
  readonly eventSourceARN?: string | undefined;
  readonly attributes: {
    readonly MessageGroupId?: string | undefined;
    readonly SequenceNumber?: string | undefined;
    readonly MessageDeduplicationId?: string | undefined;
    /** Milliseconds since the epoch, as a decimal string. */
    readonly SentTimestamp?: string | undefined;
    readonly ApproximateReceiveCount?: string | undefined;
  };
}

/**
 * An SQS event (`SQSEvent` of `@types/aws-lambda`).
 *
 * @example
 * ```ts
 * const event: SQSEventLike = { Records: [] };
 * ```
 */
export interface SQSEventLike<R extends SQSRecordLike = SQSRecordLike> {
  readonly Records: readonly R[];
}

/**
 * The part of the Lambda `Context` the handlers use: the time left before the invocation times out.
 *
 * @example
 * ```ts
 * const context: LambdaContextLike = { getRemainingTimeInMillis: () => 30_000 };
 * ```
 */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}
