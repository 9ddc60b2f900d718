import {
  CreateTableCommand,
  ScanCommand,
  waitUntilTableExists,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { streamResource, type Version } from "@projectionkit/core";
import { createTable, dynamoProjection, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { randomBytes } from "node:crypto";
import type { Deposit } from "./deposit-history.js";
import type { ReadModelSnapshot } from "./read-model-check.js";

/** The tables of one run: the adapter's version table and the read model's two tables. */
export interface LedgerTables {
  readonly versions: string;
  /** One row per deposit id: account, amount, and `applied`, added to on every application. */
  readonly deposits: string;
  /** One item per account: `balance` and `deposits`, added to on every application. */
  readonly balances: string;
}

/** The projection's identity (its key must never change: it is in every version item's key). */
const IDENTITY = { name: "reliability-ledger", key: "5b0e8f7c-3d2a-4c19-8e6b-7a1f2c3d4e5f" } as const;

/**
 * Table names no earlier run on the same emulator used: `<prefix>-<role>-<16 hex digits>`.
 *
 * @param prefix - e.g. `"soak"`.
 * @returns the names.
 *
 * @example
 * ```ts
 * const tables = ledgerTables("soak"); // { versions: "soak-versions-…", … }
 * ```
 */
export function ledgerTables(prefix: string): LedgerTables {
  const suffix = randomBytes(8).toString("hex");
  return { versions: `${prefix}-versions-${suffix}`, deposits: `${prefix}-deposits-${suffix}`, balances: `${prefix}-balances-${suffix}` };
}

/**
 * Creates the three tables and waits until they are active.
 *
 * @param client - a client without injected faults.
 * @param tables - the names.
 *
 * @example
 * ```ts
 * await createLedgerTables(admin, tables);
 * ```
 */
export async function createLedgerTables(client: DynamoDBClient, tables: LedgerTables): Promise<void> {
  await createTable(client, tables.versions);
  for (const [name, key] of [
    [tables.deposits, "id"],
    [tables.balances, "account"],
  ] as const) {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
        KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
  }
}

/**
 * The read-model writes of one deposit: its row (`applied` counts applications, so a double shows
 * as 2) and its account's balance.
 *
 * @param tables - the names.
 * @param event - the deposit.
 * @returns two transaction items.
 *
 * @example
 * ```ts
 * const [row, balance] = depositItems(tables, deposit);
 * ```
 */
export function depositItems(tables: LedgerTables, event: Deposit): TransactWriteItem[] {
  const amount = { N: String(event.amount) };
  const one = { N: "1" };
  return [
    {
      Update: {
        TableName: tables.deposits,
        Key: { id: { S: event.id } },
        UpdateExpression: "SET account = :account, amount = :amount ADD applied :one",
        ExpressionAttributeValues: { ":account": { S: event.account }, ":amount": amount, ":one": one },
      },
    },
    {
      Update: {
        TableName: tables.balances,
        Key: { account: { S: event.account } },
        UpdateExpression: "ADD balance :amount, deposits :one",
        ExpressionAttributeValues: { ":amount": amount, ":one": one },
      },
    },
  ];
}

/**
 * The read-model writes of a run of consecutive deposits of one stream, coalesced (D16): each
 * deposit's row, and one `ADD` per account of the run's sum and count, so that a batch touches its
 * balance item once (DynamoDB allows one action per item in a transaction).
 *
 * @param tables - the names.
 * @param events - the run's deposits, in order.
 * @returns one row update per deposit and one balance update per account.
 *
 * @example
 * ```ts
 * const items = runItems(tables, deliveries.map(({ event }) => event));
 * ```
 */
export function runItems(tables: LedgerTables, events: readonly Deposit[]): TransactWriteItem[] {
  const rows = events.map((event) => depositItems(tables, event)[0] as TransactWriteItem);
  const totals = new Map<string, { amount: number; count: number }>();
  for (const event of events) {
    const total = totals.get(event.account) ?? { amount: 0, count: 0 };
    totals.set(event.account, { amount: total.amount + event.amount, count: total.count + 1 });
  }
  const balances = [...totals].map(([account, total]): TransactWriteItem => ({
    Update: {
      TableName: tables.balances,
      Key: { account: { S: account } },
      UpdateExpression: "ADD balance :amount, deposits :count",
      ExpressionAttributeValues: { ":amount": { N: String(total.amount) }, ":count": { N: String(total.count) } },
    },
  }));
  return [...rows, ...balances];
}

/**
 * The ledger projection on DynamoDB: each deposit writes its row and adds to its balance, in the
 * same `TransactWriteItems` as the version check; a run of deposits that the driver batches (G8)
 * adds to the balance once ({@link runItems}). With `items: false` it writes no items (the version
 * alone), for the broken "split" variant that writes them separately.
 *
 * @param tables - the names.
 * @param options - `items: false` to leave the read model out of the commit.
 * @returns the handler, for `dynamoProjection`.
 *
 * @example
 * ```ts
 * const projection = dynamoProjection(client, tables.versions, dynamoLedgerHandler(tables));
 * ```
 */
export function dynamoLedgerHandler(tables: LedgerTables, options: { readonly items?: boolean } = {}): DynamoProjectionHandler<Deposit> {
  const withItems = options.items ?? true;
  return {
    configure(c) {
      c.identity(IDENTITY.name, IDENTITY.key);
      c.handlesEvents("Deposited");
    },
    handleEvent: (_scope, event) => (withItems ? depositItems(tables, event) : []),
    handleEvents: (deliveries) => (withItems ? runItems(tables, deliveries.map(({ event }) => event)) : []),
  };
}

/**
 * Reads the read model back with consistent scans, and every stream's stored version through the
 * projection's `resourceVersion`.
 *
 * @param client - a client without injected faults.
 * @param tables - the names.
 * @param streams - the streams whose versions to read.
 * @returns the snapshot.
 *
 * @example
 * ```ts
 * const check = checkFold(await readDynamoLedger(admin, tables, history.streams), history.expected);
 * ```
 */
export async function readDynamoLedger(client: DynamoDBClient, tables: LedgerTables, streams: readonly string[]): Promise<ReadModelSnapshot> {
  const rows = new Map<string, { account: string; amount: number; applied: number }>();
  for (const item of await scanAll(client, tables.deposits)) {
    rows.set(String(item["id"]?.S), { account: String(item["account"]?.S), amount: Number(item["amount"]?.N), applied: Number(item["applied"]?.N ?? 0) });
  }
  const balances = new Map<string, { balance: number; deposits: number }>();
  for (const item of await scanAll(client, tables.balances)) {
    balances.set(String(item["account"]?.S), { balance: Number(item["balance"]?.N ?? 0), deposits: Number(item["deposits"]?.N ?? 0) });
  }
  const reader = dynamoProjection(client, tables.versions, dynamoLedgerHandler(tables));
  const versions = new Map<string, Version>();
  for (const stream of streams) {
    versions.set(stream, await reader.resourceVersion(streamResource(stream)));
  }
  return { balances, rows, versions };
}

async function scanAll(client: DynamoDBClient, table: string): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return items;
}
