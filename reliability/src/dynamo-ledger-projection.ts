import { TransactWriteItemsCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { ProjectionMessageHandler } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import { splitCommit, withoutVersionCheck, type Breakage } from "./breakage.js";
import type { Deposit } from "./deposit-history.js";
import { depositItems, dynamoLedgerHandler, type LedgerTables } from "./dynamo-ledger.js";

/**
 * The ledger projection of one worker on DynamoDB, through its own client: the correct
 * `dynamoProjection`, or one of the deliberately broken variants.
 *
 * @param client - the worker's client (with its faults).
 * @param tables - the names.
 * @param breakage - `none`, or the broken variant.
 * @returns the projection to give a `DeliveryDriver`.
 *
 * @example
 * ```ts
 * const driver = new DeliveryDriver(dynamoLedgerProjection(client, tables, "none"));
 * ```
 */
export function dynamoLedgerProjection(client: DynamoDBClient, tables: LedgerTables, breakage: Breakage): ProjectionMessageHandler<Deposit> {
  switch (breakage) {
    case "none":
      return dynamoProjection(client, tables.versions, dynamoLedgerHandler(tables));
    case "double":
      return withoutVersionCheck(dynamoProjection(client, tables.versions, dynamoLedgerHandler(tables)));
    case "split":
      return splitCommit(dynamoProjection(client, tables.versions, dynamoLedgerHandler(tables, { items: false })), async (event, signal) => {
        await client.send(new TransactWriteItemsCommand({ TransactItems: depositItems(tables, event) }), signal === undefined ? {} : { abortSignal: signal });
      });
  }
}
