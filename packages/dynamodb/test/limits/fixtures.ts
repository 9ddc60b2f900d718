import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { TransactionContext } from "../../src/transaction-limits.js";

/** The version item used by the limit tests: table "Versions", key attribute "HandlerAndResource". */
export const VERSION_KEY = new Uint8Array([...new TextEncoder().encode("handler "), 1, 2, 3]);

export const context: TransactionContext = {
  versionTable: "Versions",
  versionKeyAttribute: "HandlerAndResource",
  versionKey: VERSION_KEY,
};

/** An Update of the version item, as the adapter makes it (action 0). */
export const versionAction: TransactWriteItem = {
  Update: {
    TableName: "Versions",
    Key: { HandlerAndResource: { B: VERSION_KEY } },
    UpdateExpression: "SET #v = :n, #t = :t",
    ConditionExpression: "#v = :c",
    ExpressionAttributeNames: { "#v": "Version", "#t": "Token" },
    ExpressionAttributeValues: { ":n": { B: new Uint8Array(8) }, ":c": { B: new Uint8Array(8) }, ":t": { S: "token" } },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
};

export const put = (table: string, pk: string, extra: Record<string, AttributeValue> = {}): TransactWriteItem => ({
  Put: { TableName: table, Item: { pk: { S: pk }, ...extra } },
});

export const update = (table: string, pk: string): TransactWriteItem => ({
  Update: { TableName: table, Key: { pk: { S: pk } }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } },
});

export const remove = (table: string, pk: string): TransactWriteItem => ({ Delete: { TableName: table, Key: { pk: { S: pk } } } });
