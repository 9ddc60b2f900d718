// The emulators every DynamoDB bench runs on: dynalite (in this process) and AWS's DynamoDB Local
// (a JVM). A smoke run uses dynalite only.
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTable } from "@projectionkit/dynamodb";
import { startDynalite, startDynamoDBLocal } from "@projectionkit/dynamodb-testing";
import { SMOKE } from "./run-environment.ts";

/**
 * A started emulator: a client on it, a way to make more, and its stop.
 *
 * @example
 * ```ts
 * await onEachEmulator(async (emulator: Emulator) => emulator.client.send(new ListTablesCommand({})));
 * ```
 */
export interface Emulator {
  readonly name: string;
  /**
   * Where a bench takes the write units of a TransactWriteItems from: what the emulator reports,
   * or the documented rule where its reports are wrong (DynamoDB Local, for transactions over two
   * tables; see support/wire-meter.ts).
   */
  readonly transactionUnits: "reported" | "rule";
  readonly client: DynamoDBClient;
  createClient(): DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * The emulators to run on, by name, each started when asked.
 *
 * @example
 * ```ts
 * for (const { name, start } of EMULATORS) console.log(name);
 * ```
 */
export const EMULATORS: ReadonlyArray<{ readonly name: string; start(): Promise<Emulator> }> = [
  { name: "dynalite", start: async () => ({ name: "dynalite", transactionUnits: "reported" as const, ...(await startDynalite()) }) },
  ...(SMOKE ? [] : [{ name: "DynamoDB Local", start: async () => ({ name: "DynamoDB Local", transactionUnits: "rule" as const, ...(await startDynamoDBLocal()) }) }]),
];

/**
 * Runs `body` on each emulator in turn, stopping each after.
 *
 * @example
 * ```ts
 * const results = await onEachEmulator(async ({ client }) => createVersionTable(client));
 * ```
 */
export async function onEachEmulator<T>(body: (emulator: Emulator) => Promise<T>): Promise<Array<{ emulator: string; units: Emulator["transactionUnits"]; result: T }>> {
  const results: Array<{ emulator: string; units: Emulator["transactionUnits"]; result: T }> = [];
  for (const { name, start } of EMULATORS) {
    const emulator = await start();
    try {
      results.push({ emulator: name, units: emulator.transactionUnits, result: await body(emulator) });
    } finally {
      await emulator.stop();
    }
  }
  return results;
}

let tables = 0;

/**
 * Creates projectionkit's version table, under a fresh name, and returns the name.
 *
 * @example
 * ```ts
 * const versions = await createVersionTable(client); // "Versions1"
 * ```
 */
export async function createVersionTable(client: DynamoDBClient, prefix = "Versions"): Promise<string> {
  const name = `${prefix}${++tables}`;
  await createTable(client, name);
  return name;
}

/**
 * Creates a user table with a string partition key `pk`, under a fresh name, and returns the name.
 *
 * @example
 * ```ts
 * const balances = await createUserTable(client, "Balances"); // "Balances2"
 * ```
 */
export async function createUserTable(client: DynamoDBClient, prefix = "Rows"): Promise<string> {
  const name = `${prefix}${++tables}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return name;
}

/**
 * The write units of `counts` as the emulator's `units` says to take them.
 *
 * @example
 * ```ts
 * const units = writeUnitsOf(meter.counts, emulator.transactionUnits);
 * ```
 */
export function writeUnitsOf(counts: { readonly writeUnits: number; readonly writeUnitsByRule: number }, units: Emulator["transactionUnits"]): number {
  return units === "rule" ? counts.writeUnitsByRule : counts.writeUnits;
}
