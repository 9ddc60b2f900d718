import { createServer } from "node:net";
import { PutItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createEventScope, encodeOffset, streamEventVersions } from "@projectionkit/core";
import { createTable, DynamoResourceRepository, dynamoProjection, versionItemKey } from "@projectionkit/dynamodb";
import { randomBytes } from "node:crypto";
import type { TestEmulator } from "../../../../test/support/dynamodb-clients.js";

const utf8 = new TextEncoder();

/** The projection the tests list and reset. */
export const HANDLER = "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11";
/** Another projection whose key shares all but the last character with {@link HANDLER}. */
export const NEIGHBOUR = "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c1f";
/** {@link HANDLER} in upper case: the adapter uses keys verbatim, so this is another projection. */
export const UPPER = HANDLER.toUpperCase();
/**
 * A key a Go service may have used (the Go library did not require UUIDs) that starts with all of
 * {@link HANDLER}: only the space after the handler key tells their items apart.
 */
export const FOREIGN = `${HANDLER}0`;

/** What {@link HANDLER} has after {@link seedVersionTable}, as `versions` shows it (sorted by resource bytes). */
export const HANDLER_ROWS = [
  ["00ff", "hex", "010203", "hex"],
  ["acc-1", "utf-8", "2", "offset"],
  ["acc-2", "utf-8", "0", "offset"],
  ["6d792073747265616d", "hex", "18446744073709551615", "offset"], // "my stream": white space shows as hex
] as const;

/**
 * Whether the emulator keeps DescribeTable's ItemCount and TableSizeBytes up to date: DynamoDB Local
 * counts at once, dynalite never does (AWS every six hours).
 */
export function countsItems(emulator: TestEmulator): boolean {
  return emulator.name === "DynamoDB Local";
}

/** A table name no other test uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString("hex")}`;
}

/**
 * Creates a version table and writes versions of four projections into it with the adapter
 * (`dynamoProjection` and `DynamoResourceRepository`), plus one item of a foreign (Go) key:
 *
 * - {@link HANDLER}: `acc-1` at offset 2 and `acc-2` at offset 0 (three and one events through
 *   `dynamoProjection`), `00ff` at version `010203` and `my stream` at the largest offset;
 * - {@link NEIGHBOUR}: `acc-1` at offset 7 and `fillers` more resources;
 * - {@link UPPER}: `acc-1` at offset 5;
 * - {@link FOREIGN}: `acc-1` at offset 9, written raw.
 */
export async function seedVersionTable(client: DynamoDBClient, table: string, options: { fillers?: number; handlerExtra?: number } = {}): Promise<void> {
  await createTable(client, table);
  const projection = dynamoProjection<{ type: "Ticked" }>(client, table, {
    configure(c) {
      c.identity("ticks", HANDLER);
      c.handlesEvents("Ticked");
    },
    handleEvent: () => [],
  });
  for (const [stream, offsets] of [["acc-1", 3], ["acc-2", 1]] as const) {
    for (let offset = 0; offset < offsets; offset++) {
      const { resource, current, next } = streamEventVersions(stream, offset);
      if (!(await projection.handleEvent(resource, current, next, createEventScope(), { type: "Ticked" }))) {
        throw new Error(`seeding: ${stream}@${offset} was not applied`);
      }
    }
  }
  const handler = new DynamoResourceRepository(client, HANDLER, table);
  await handler.storeResourceVersion(new Uint8Array([0x00, 0xff]), new Uint8Array([1, 2, 3]));
  await handler.storeResourceVersion(utf8.encode("my stream"), encodeOffset((1n << 64n) - 1n));
  for (let i = 0; i < (options.handlerExtra ?? 0); i++) {
    await handler.storeResourceVersion(utf8.encode(`extra-${i}`), encodeOffset(i));
  }
  const neighbour = new DynamoResourceRepository(client, NEIGHBOUR, table);
  await neighbour.storeResourceVersion(utf8.encode("acc-1"), encodeOffset(7));
  for (let i = 0; i < (options.fillers ?? 0); i++) {
    await neighbour.storeResourceVersion(utf8.encode(`filler-${i}`), encodeOffset(i));
  }
  await new DynamoResourceRepository(client, UPPER, table).storeResourceVersion(utf8.encode("acc-1"), encodeOffset(5));
  const foreignKey = new Uint8Array([...utf8.encode(FOREIGN), 0x20, ...utf8.encode("acc-1")]);
  await client.send(new PutItemCommand({ TableName: table, Item: { HandlerAndResource: { B: foreignKey }, Version: { B: encodeOffset(9) } } }));
}

/** The number of items {@link seedVersionTable} writes for `handlerExtra` and `fillers`. */
export function seededItemCount(options: { fillers?: number; handlerExtra?: number } = {}): number {
  return 4 + (options.handlerExtra ?? 0) + 1 + (options.fillers ?? 0) + 1 + 1;
}

/** Every item of the table, each as canonical JSON, sorted: for before/after comparisons. */
export async function readWholeTable(client: DynamoDBClient, table: string): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    for (const item of page.Items ?? []) {
      items.push(canonical(item));
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort();
}

/** The hex keys of the table's items that belong to `handlerKey`. */
export function keysOf(items: readonly string[], handlerKey: string): string[] {
  const prefix = Buffer.from(`${handlerKey} `).toString("hex");
  return items.map((item) => (JSON.parse(item) as { key: string }).key).filter((key) => key.startsWith(prefix));
}

function canonical(item: Record<string, AttributeValue>): string {
  const key = item["HandlerAndResource"]?.B;
  const version = item["Version"]?.B;
  const rest = Object.keys(item).filter((name) => name !== "HandlerAndResource" && name !== "Version").sort();
  return JSON.stringify({
    key: key === undefined ? null : Buffer.from(key).toString("hex"),
    version: version === undefined ? null : Buffer.from(version).toString("hex"),
    rest: rest.map((name) => [name, JSON.stringify(item[name])]),
  });
}

/** The key of a version item of {@link HANDLER}, in hex. */
export function handlerItemKey(resource: string | Uint8Array, handlerKey = HANDLER): string {
  return Buffer.from(versionItemKey(handlerKey, typeof resource === "string" ? utf8.encode(resource) : resource)).toString("hex");
}

/** A port on 127.0.0.1 that was free a moment ago and that nothing listens on now. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
