// The projection the DynamoDB benches measure: each deposit adds its amount to its account's
// balance item (one Update), optionally coalesced by handleEvents, plus the hand-written requests
// of the same writes that the overhead bench compares it with.
import { randomUUID } from "node:crypto";
import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { Version } from "@projectionkit/core";
import { documentItem, type DynamoProjectionHandler } from "@projectionkit/dynamodb";

/**
 * The event of every DynamoDB bench.
 *
 * @example
 * ```ts
 * const event: Deposited = { type: "Deposited", account: "acc-1", amount: 5, id: "acc-1@0" };
 * ```
 */
export type Deposited = { readonly type: "Deposited"; readonly account: string; readonly amount: number; readonly id: string };

/**
 * The handler identity's key; the benches use one per handler kind.
 *
 * @example
 * ```ts
 * c.identity("bench", HANDLER_KEY);
 * ```
 */
export const HANDLER_KEY = "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11";

/**
 * The Update that adds `amount` to the balance of `account` in `table`.
 *
 * @example
 * ```ts
 * const items = [addToBalance("Balances", "acc-1", 5)];
 * ```
 */
export function addToBalance(table: string, account: string, amount: number) {
  return documentItem({ Update: { TableName: table, Key: { pk: account }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": amount } } });
}

/**
 * What the projection writes for each event.
 *
 * @example
 * ```ts
 * const shape: ProjectionShape = "balance, coalesced";
 * ```
 */
export type ProjectionShape = "balance" | "balance, native" | "balance, coalesced" | "no items" | "row per event";

/**
 * The same Update as {@link addToBalance}, in DynamoDB's native attribute values: what the
 * hand-written baseline sends as its second action.
 *
 * @example
 * ```ts
 * const action = balanceUpdate("Balances", "acc-1", 5); // { Update: { …, ExpressionAttributeValues: { ":a": { N: "5" } } } }
 * ```
 */
export function balanceUpdate(table: string, account: string, amount: number): TransactWriteItem {
  return { Update: { TableName: table, Key: { pk: { S: account } }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": { N: String(amount) } } } };
}

/**
 * A handler of the given shape writing into `table`.
 *
 * @example
 * ```ts
 * const projection = dynamoProjection(client, "Versions", depositHandler("Balances", "balance"));
 * ```
 */
export function depositHandler(table: string, shape: ProjectionShape, key = HANDLER_KEY): DynamoProjectionHandler<Deposited> {
  const configure: DynamoProjectionHandler<Deposited>["configure"] = (c) => {
    c.identity("bench", key);
    c.handlesEvents("Deposited");
  };
  switch (shape) {
    case "no items":
      return { configure, handleEvent: () => [] };
    case "row per event":
      return { configure, handleEvent: (_scope, event) => [documentItem({ Put: { TableName: table, Item: { pk: event.id, amount: event.amount } } })] };
    case "balance":
      return { configure, handleEvent: (_scope, event) => [addToBalance(table, event.account, event.amount)] };
    case "balance, native":
      // The action the hand-written baseline sends, built as it builds it (no documentItem).
      return { configure, handleEvent: (_scope, event) => [balanceUpdate(table, event.account, event.amount)] };
    case "balance, coalesced":
      return {
        configure,
        handleEvent: (_scope, event) => [addToBalance(table, event.account, event.amount)],
        handleEvents: (deliveries) => [addToBalance(table, deliveries[0]?.event.account ?? "", deliveries.reduce((sum, { event }) => sum + event.amount, 0))],
      };
  }
}

/**
 * A hand-written conditional TransactWriteItems of the same two actions the adapter sends for one
 * "balance" event: the version write (a Put when the stream is new, else an Update from `current`
 * to `next`, with a token attribute, ALL_OLD on failure) and the balance's Update, with the same
 * token as ClientRequestToken. What a careful user would write by hand.
 *
 * @example
 * ```ts
 * const { current, next } = streamEventVersions("acc-1", 0);
 * await handWrittenEvent(client, "Versions", versionKey, current, next, "Balances", "acc-1", 1);
 * ```
 */
export async function handWrittenEvent(
  client: DynamoDBClient,
  versionTable: string,
  versionKey: Uint8Array,
  current: Version,
  next: Version,
  balanceTable: string,
  account: string,
  amount: number,
): Promise<void> {
  const token = randomUUID();
  const version =
    current.length === 0
      ? {
          Put: {
            TableName: versionTable,
            Item: { HandlerAndResource: { B: versionKey }, Version: { B: next }, CommitToken: { S: token } },
            ConditionExpression: "attribute_not_exists(#v) OR size(#v) = :zero",
            ExpressionAttributeNames: { "#v": "Version" },
            ExpressionAttributeValues: { ":zero": { N: "0" } },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
          },
        }
      : {
          Update: {
            TableName: versionTable,
            Key: { HandlerAndResource: { B: versionKey } },
            UpdateExpression: "SET #v = :n, #t = :t",
            ConditionExpression: "#v = :c",
            ExpressionAttributeNames: { "#v": "Version", "#t": "CommitToken" },
            ExpressionAttributeValues: { ":c": { B: current }, ":n": { B: next }, ":t": { S: token } },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
          },
        };
  await client.send(
    new TransactWriteItemsCommand({
      ClientRequestToken: token,
      TransactItems: [
        version,
        balanceUpdate(balanceTable, account, amount),
      ],
    }),
  );
}
