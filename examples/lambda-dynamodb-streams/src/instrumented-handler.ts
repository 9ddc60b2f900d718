import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, dynamoDBStreamsHandler, type BatchHandler } from "@projectionkit/core";
import { driverTelemetry, instrumentProjection, type TelemetryOptions } from "@projectionkit/core/telemetry";
import { dynamoProjection } from "@projectionkit/dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { customerTotalsProjection, orderEventOf } from "./customer-totals-projection.js";

/**
 * The Lambda handler of `create-handler.ts`, reporting to OpenTelemetry: a span per commit
 * (`projectionkit.commit`) and per stream record (`projectionkit.delivery`), and counters of
 * outcomes, retries, requests and write units. In Lambda, the ADOT layer (or your own `NodeSDK`)
 * registers the global tracer and meter providers, which are the default; tests pass their own.
 *
 * @param client - the client for both tables.
 * @param tables - the version table and the `CustomerTotals` table.
 * @param telemetry - tracer, meter and attributes; default the global providers.
 * @returns the handler; export it as the Lambda entry point, e.g.
 *   `export const handler = instrumentedHandler(new DynamoDBClient({}), { versionsTable, totalsTable })`.
 */
export function instrumentedHandler(
  client: DynamoDBClient,
  tables: { readonly versionsTable: string; readonly totalsTable: string },
  telemetry: TelemetryOptions = {},
): BatchHandler<DynamoDBRecord> {
  const projection = dynamoProjection(client, tables.versionsTable, customerTotalsProjection(tables.totalsTable), {
    keySchemas: { [tables.totalsTable]: ["customerId"] },
  });
  const attributes = { "projection.name": "customer-totals", ...telemetry.attributes };
  const driver = new DeliveryDriver(instrumentProjection(projection, { ...telemetry, attributes }), {
    hooks: driverTelemetry({ ...telemetry, attributes }),
  });
  return dynamoDBStreamsHandler(driver, { toEvent: orderEventOf });
}
