import { ScanCommand, type DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { ProjectionConfigurer } from "@projectionkit/core";
import { createTable, documentItem, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { beforeAll } from "vitest";
import { uniqueTableName, type TestEmulator } from "./clients.js";
import { logRequests, type RequestLog } from "./faults.js";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";

export const LEDGER_KEY = "8f1d1c3e-2a5b-4c47-9d0e-6b7a8c9d0e1f";

export type LedgerEvent =
  | { type: "Deposited"; id: string; account: string; amount: number }
  | { type: "Noted"; id: string }
  | { type: "Audited"; id: string };

export function configureLedger(c: ProjectionConfigurer<LedgerEvent>): void {
  c.identity("ledger", LEDGER_KEY);
  c.handlesEvents("Deposited", "Noted");
}

/**
 * A read model that records each applied event as its own item (so that double application is
 * visible) and keeps a balance per account. "Noted" events have no items at all.
 */
export function ledgerHandler(readModel: string, overrides: Partial<DynamoProjectionHandler<LedgerEvent>> = {}): DynamoProjectionHandler<LedgerEvent> {
  return {
    configure: configureLedger,
    handleEvent(_scope, event) {
      if (event.type !== "Deposited") {
        return [];
      }
      return [
        documentItem({
          Put: {
            TableName: readModel,
            Item: { pk: `event#${event.id}`, account: event.account, amount: event.amount },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        }),
        documentItem({
          Update: {
            TableName: readModel,
            Key: { pk: `balance#${event.account}` },
            UpdateExpression: "ADD balance :amount",
            ExpressionAttributeValues: { ":amount": event.amount },
          },
        }),
      ];
    },
    ...overrides,
  };
}

export async function createReadModel(client: DynamoDBClient, name: string): Promise<void> {
  await createStringKeyTable(client, name);
}

/** Reads the whole read model, straight from the table. */
export async function readModel(client: DynamoDBClient, name: string): Promise<{ events: string[]; balances: Record<string, number> }> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }));
  const events: string[] = [];
  const balances: Record<string, number> = {};
  for (const item of Items.map((i) => unmarshall(i))) {
    const pk = String(item["pk"]);
    if (pk.startsWith("event#")) events.push(pk.slice(6));
    if (pk.startsWith("balance#")) balances[pk.slice(8)] = Number(item["balance"]);
  }
  return { events: events.sort(), balances };
}

/**
 * The tables of a suite that projects the ledger: a version table and a read model, created once
 * before the suite's tests on `emulator`; `setup` is the client that created them.
 */
export function ledgerTables(emulator: TestEmulator, prefix: string): { setup: DynamoDBClient; versions: string; model: string } {
  const setup = emulator.client();
  const versions = uniqueTableName(prefix);
  const model = uniqueTableName(`${prefix}model`);
  beforeAll(async () => {
    await createTable(setup, versions);
    await createReadModel(setup, model);
  });
  return { setup, versions, model };
}

/** What one test of a ledger suite works on, shared with no other test. */
export interface LedgerTest {
  /** Its read model. */
  readonly model: string;
  /** Its client, whose requests `log` records. */
  readonly client: DynamoDBClient;
  readonly log: RequestLog;
  /** Its stream, and the stream's resource. */
  readonly stream: string;
  readonly resource: Uint8Array;
}

/**
 * A version table of a suite that projects the ledger, created once before the suite's tests on
 * `emulator` by `setup`; `fresh()` gives each test a read model of its own (created then), a
 * client of its own whose requests are logged, and a stream of its own.
 */
export function ledgerSuite(emulator: TestEmulator, prefix: string): { setup: DynamoDBClient; versions: string; fresh(config?: DynamoDBClientConfig): Promise<LedgerTest> } {
  const setup = emulator.client();
  const versions = uniqueTableName(prefix);
  let tests = 0;
  beforeAll(async () => {
    await createTable(setup, versions);
  });
  return {
    setup,
    versions,
    fresh: async (config) => {
      tests++;
      const model = uniqueTableName(`${prefix}model${tests}`);
      await createReadModel(setup, model);
      const client = emulator.client(config);
      const stream = `${prefix}-${tests}`;
      return { model, client, log: logRequests(client), stream, resource: new TextEncoder().encode(stream) };
    },
  };
}
