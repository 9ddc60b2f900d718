import type { DeleteItemCommandInput, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { encodeOffset, isProjectionKitError } from "@projectionkit/core";
import { DynamoResourceRepository, versionItemKey } from "@projectionkit/dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { deleteVersions, describeVersionTable, scanVersions, type VersionEntry } from "../src/index.ts";
import { describeOnEmulators } from "../../../test/support/dynamodb-clients.js";
import { HANDLER, keysOf, NEIGHBOUR, readWholeTable, seedVersionTable, uniqueTable } from "./support/fixtures.ts";

const utf8 = new TextEncoder();
const ACC_1 = utf8.encode("acc-1");

/** Runs `effect` once, just before the first DeleteItem of `key` is sent by `client` (an injected concurrent writer). */
function beforeDeleteOf(client: DynamoDBClient, key: Uint8Array, effect: () => Promise<void>): void {
  let done = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const target = (args.input as DeleteItemCommandInput).Key?.["HandlerAndResource"]?.B;
      if (!done && context.commandName === "DeleteItemCommand" && target !== undefined && Buffer.from(target).equals(key)) {
        done = true;
        await effect();
      }
      return next(args);
    },
    { step: "initialize", name: "concurrentWriter" },
  );
}

describeOnEmulators("scanVersions and deleteVersions", (emulator) => {
  const client = emulator.client();
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await emulator.endpoint();
  });

  const connect = (own: DynamoDBClient = emulator.client()) => ({ client: own, target: { endpoint, region: "us-east-1" } });

  it("a version advanced between the scan and its delete is kept and reported with its new version", async () => {
    const table = uniqueTable("lib-kept");
    await seedVersionTable(client, table);
    const connection = connect();
    const writer = new DynamoResourceRepository(client, HANDLER, table);
    beforeDeleteOf(connection.client, versionItemKey(HANDLER, ACC_1), () => writer.storeResourceVersion(ACC_1, encodeOffset(3)));

    const summary = await deleteVersions(connection, table, HANDLER);

    expect(summary.kept.map(({ entry, current }) => [Buffer.from(entry.resource).toString(), entry.version, current])).toEqual([["acc-1", encodeOffset(2), encodeOffset(3)]]);
    expect(summary).toMatchObject({ found: 4, deleted: 3, alreadyGone: 0, complete: true });
    expect(await writer.resourceVersion(ACC_1)).toEqual(encodeOffset(3));
    expect(keysOf(await readWholeTable(client, table), HANDLER)).toEqual([Buffer.from(versionItemKey(HANDLER, ACC_1)).toString("hex")]);
  });

  it("an item deleted by someone else between the scan and its delete counts as already gone", async () => {
    const table = uniqueTable("lib-gone");
    await seedVersionTable(client, table);
    const connection = connect();
    const other = new DynamoResourceRepository(client, HANDLER, table);
    beforeDeleteOf(connection.client, versionItemKey(HANDLER, ACC_1), () => other.deleteResource(ACC_1));

    const summary = await deleteVersions(connection, table, HANDLER);

    expect(summary).toMatchObject({ found: 4, deleted: 3, alreadyGone: 1, kept: [], complete: true });
    expect(keysOf(await readWholeTable(client, table), HANDLER)).toEqual([]);
  });

  it("an abort stops it with exact counts (the delete in flight finishes, the rest waits), and a second call finishes the job", async () => {
    const table = uniqueTable("lib-abort");
    await seedVersionTable(client, table, { handlerExtra: 16, fillers: 4 });
    const before = await readWholeTable(client, table);
    const handlerItems = keysOf(before, HANDLER).length;
    expect(handlerItems).toBe(20);
    const interrupt = new AbortController();

    const first = await deleteVersions(connect(), table, HANDLER, {
      concurrency: 1,
      pageSize: 10,
      signal: interrupt.signal,
      onProgress: ({ deleted }) => {
        if (deleted === 1) interrupt.abort();
      },
    });

    expect(first).toMatchObject({ deleted: 1, complete: false, kept: [] });
    expect(first.found).toBeGreaterThanOrEqual(1);
    const middle = await readWholeTable(client, table);
    expect(keysOf(middle, HANDLER)).toHaveLength(handlerItems - 1);
    expect(middle.length).toBe(before.length - 1);

    const second = await deleteVersions(connect(), table, HANDLER, { pageSize: 10 });

    expect(second).toMatchObject({ deleted: handlerItems - 1, complete: true, kept: [] });
    const after = await readWholeTable(client, table);
    expect(after).toEqual(before.filter((item) => keysOf([item], HANDLER).length === 0));
    expect(keysOf(after, NEIGHBOUR)).toHaveLength(5);
  });

  it("an abort during a scan abandons the rest and resolves with what was found", async () => {
    const table = uniqueTable("lib-scan-abort");
    await seedVersionTable(client, table, { handlerExtra: 16 });
    const interrupt = new AbortController();
    const received: VersionEntry[] = [];

    const summary = await scanVersions(connect(), table, HANDLER, {
      pageSize: 5,
      signal: interrupt.signal,
      onEntries: (entries) => {
        received.push(...entries);
        interrupt.abort();
      },
    });

    expect(summary.complete).toBe(false);
    expect(summary.found).toBe(received.length);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(20);
  });
});

describe("arguments are checked before any request", () => {
  const sent: unknown[] = [];
  const connection = {
    client: { send: async (command: unknown) => void sent.push(command) } as unknown as DynamoDBClient,
    target: { endpoint: "http://127.0.0.1:9", region: "us-east-1" },
  };

  it.each([
    ["a handler key that is not a UUID", () => scanVersions(connection, "Versions", "balances"), "ERR_INVALID_IDENTITY"],
    ["a malformed table name", () => scanVersions(connection, "x", HANDLER), "ERR_INVALID_ARGUMENT"],
    ["zero segments", () => scanVersions(connection, "Versions", HANDLER, { segments: 0 }), "ERR_INVALID_ARGUMENT"],
    ["a fractional page size", () => scanVersions(connection, "Versions", HANDLER, { pageSize: 1.5 }), "ERR_INVALID_ARGUMENT"],
    ["the same key and version attribute", () => scanVersions(connection, "Versions", HANDLER, { attributeNames: { key: "k", version: "k" } }), "ERR_INVALID_ARGUMENT"],
    ["zero concurrency", () => deleteVersions(connection, "Versions", HANDLER, { concurrency: 0 }), "ERR_INVALID_ARGUMENT"],
    ["a misspelt option (E2)", () => scanVersions(connection, "Versions", HANDLER, { segmnts: 2 } as never), "ERR_INVALID_ARGUMENT"],
    ["a misspelt option of a reset (E2)", () => deleteVersions(connection, "Versions", HANDLER, { concurency: 2 } as never), "ERR_INVALID_ARGUMENT"],
    ["a misspelt option of describeVersionTable (E2)", () => describeVersionTable(connection, "Versions", { keyAtribute: "pk" } as never), "ERR_INVALID_ARGUMENT"],
    ["a handler key that is not a UUID, to delete", () => deleteVersions(connection, "Versions", `${HANDLER}x`), "ERR_INVALID_IDENTITY"],
  ] as const)("%s: a typed error and no request", async (_label, call, code) => {
    const error: unknown = await call().catch((e: unknown) => e);

    expect(isProjectionKitError(error, code)).toBe(true);
    expect(sent).toEqual([]);
  });
});
