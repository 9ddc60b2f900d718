/**
 * One record Lambda must deliver again: for DynamoDB Streams and Kinesis its sequence number, for
 * SQS its message id.
 *
 * @example
 * ```ts
 * const failure: BatchItemFailure = { itemIdentifier: "4421584500000000017450439091" };
 * ```
 */
export interface BatchItemFailure {
  itemIdentifier: string;
}

/**
 * The partial batch response of a Lambda function whose event source mapping has
 * `FunctionResponseTypes: ["ReportBatchItemFailures"]`. An empty list means the whole batch is
 * done. It is structurally the `DynamoDBBatchResponse`, `KinesisStreamBatchResponse` and
 * `SQSBatchResponse` of `@types/aws-lambda`.
 *
 * @example
 * ```ts
 * const response: BatchResponse = { batchItemFailures: [{ itemIdentifier: "059f36b4-87a3-44ab-83d2-661975830a7d" }] };
 * ```
 */
export interface BatchResponse {
  batchItemFailures: BatchItemFailure[];
}
