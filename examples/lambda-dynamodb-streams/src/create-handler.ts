import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, dynamoDBStreamsHandler, type BatchHandler, type DeliveryDriverOptions, type RecordFailure } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { customerTotalsProjection, orderEventOf, type OrderEvent } from "./customer-totals-projection.js";

/**
 * What {@link createHandler} needs.
 *
 * @example
 * ```ts
 * const options: CreateHandlerOptions = { client: new DynamoDBClient({}), versionsTable: "ProjectionVersions", totalsTable: "CustomerTotals" };
 * ```
 */
export interface CreateHandlerOptions {
  /** The client for both tables. The handler never destroys it: it lives as long as the container. */
  readonly client: DynamoDBClient;
  /** The version table (`createTable` of `@projectionkit/dynamodb`): one version item per order. */
  readonly versionsTable: string;
  /** The `CustomerTotals` read model (HASH key `customerId`, S). */
  readonly totalsTable: string;
  /** Options of the `DeliveryDriver` (retries, concurrency, hooks). Default: its defaults. */
  readonly driver?: DeliveryDriverOptions<OrderEvent> | undefined;
  /**
   * Called for each record reported in `batchItemFailures`. Default: one JSON line on
   * `console.error` with the record's ids, outcome and error, never its images.
   */
  readonly onFailure?: ((failure: RecordFailure<DynamoDBRecord>) => void) | undefined;
  /** How long before the invocation times out to stop and report the rest. Default 1,000 ms. */
  readonly safetyMarginMs?: number | undefined;
}

/**
 * Builds the Lambda handler that projects the `Orders` stream into `CustomerTotals`: the
 * projection bound to DynamoDB (`dynamoProjection`, one version per order item), a
 * `DeliveryDriver`, and `dynamoDBStreamsHandler`, which answers with the records to retry
 * (`ReportBatchItemFailures`). No I/O happens here: call it at module scope, once per cold start.
 *
 * Each record's stream (resource) is the order item it changed (`Orders/{"orderId":{"S":…}}`) and
 * its version the record's `SequenceNumber`: a record whose sequence number is not after the
 * stored one is a duplicate and writes nothing.
 *
 * @param options - the client, the table names, and optional driver and failure settings.
 * @returns the handler, assignable to `DynamoDBStreamHandler` of `@types/aws-lambda`.
 * @throws `InvalidArgumentError` or `InvalidConfigurationError` for a malformed option, at once.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 *
 * const handler = createHandler({ client: new DynamoDBClient({}), versionsTable: "ProjectionVersions", totalsTable: "CustomerTotals" });
 * const { batchItemFailures } = await handler(event, context);
 * ```
 */
export function createHandler(options: CreateHandlerOptions): BatchHandler<DynamoDBRecord> {
  const { client, versionsTable, totalsTable } = options;
  const projection = dynamoProjection(client, versionsTable, customerTotalsProjection(totalsTable), {
    keySchemas: { [totalsTable]: ["customerId"] },
  });
  const driver = new DeliveryDriver(projection, options.driver);
  return dynamoDBStreamsHandler(driver, {
    toEvent: orderEventOf,
    onFailure: options.onFailure ?? logFailure,
    safetyMarginMs: options.safetyMarginMs,
  });
}

/** The default `onFailure`: what CloudWatch needs to find the record, and nothing of its data. */
function logFailure(failure: RecordFailure<DynamoDBRecord>): void {
  console.error(
    JSON.stringify({
      message: "stream record not projected; Lambda will deliver it again",
      outcome: failure.outcome,
      sequenceNumber: failure.itemIdentifier,
      eventID: failure.record.eventID,
      eventName: failure.record.eventName,
      keys: failure.record.dynamodb?.Keys,
      error: failure.error === undefined ? undefined : String(failure.error),
    }),
  );
}
