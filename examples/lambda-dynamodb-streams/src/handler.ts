import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBStreamHandler } from "aws-lambda";
import { createHandler } from "./create-handler.js";

export { createHandler, type CreateHandlerOptions } from "./create-handler.js";

/**
 * The Lambda entry point (`handler.handler`): the `Orders` stream projected into `CustomerTotals`.
 *
 * Built once per cold start, without I/O, from the environment:
 *
 * - `VERSIONS_TABLE`: the version table; `TOTALS_TABLE`: the `CustomerTotals` table (required).
 * - The `DynamoDBClient` reads the SDK's own variables: `AWS_REGION` (Lambda sets it) and, for a
 *   run against DynamoDB Local, `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`).
 *
 * @example
 * ```ts
 * // Lambda: Runtime nodejs22.x, Handler "handler.handler",
 * // Environment { VERSIONS_TABLE: "ProjectionVersions", TOTALS_TABLE: "CustomerTotals" }
 * const { batchItemFailures } = (await handler(event, context, () => {})) ?? { batchItemFailures: [] };
 * ```
 */
export const handler: DynamoDBStreamHandler = createHandler({
  client: new DynamoDBClient({}),
  versionsTable: requireEnv("VERSIONS_TABLE"),
  totalsTable: requireEnv("TOTALS_TABLE"),
});

/**
 * Reads a required environment variable; a missing one fails the cold start with a clear message
 * instead of failing every record.
 */
function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") {
    throw new Error(`the environment variable ${name} is not set: the function needs the name of that table`);
  }
  return value;
}
