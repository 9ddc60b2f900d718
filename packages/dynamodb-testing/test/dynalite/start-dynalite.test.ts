import {
  DeleteTableCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  ListTablesCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { isProjectionKitError } from "@projectionkit/core";
import { startDynalite, type StartDynaliteOptions } from "@projectionkit/dynamodb-testing";
import { request } from "node:http";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { canListen, createTable, key, rejection } from "./support.js";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";
import { expectServesOnItsClient, stoppedAfterAll } from "../support/started-emulators.js";

const start = stoppedAfterAll(startDynalite);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1" }, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") {
    throw new Error("no port");
  }
  return address.port;
}

describe("startDynalite", () => {
  it("serves dynalite on 127.0.0.1 with a ready client; other operations are dynalite's own", async () => {
    const ddb = await start();
    const table = "start";
    await expectServesOnItsClient(ddb, table);

    // Still dynalite underneath: what it does not know stays unknown.
    const unknown = await rejection(ddb.client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${table}"` })));
    expect((unknown as Error).name).toBe("UnknownOperationException");
  });

  it("creates and deletes tables at once by default: usable right after CreateTable, re-creatable right after DeleteTable", async () => {
    const ddb = await start();
    for (let round = 0; round < 20; round += 1) {
      const table = `instant-${round}`;
      await createStringKeyTable(ddb.client, table);
      await ddb.client.send(new PutItemCommand({ TableName: table, Item: key("k") }));
      await ddb.client.send(new DeleteTableCommand({ TableName: table }));
      await createStringKeyTable(ddb.client, table);
      const { Table } = await ddb.client.send(new DescribeTableCommand({ TableName: table }));
      expect(Table?.TableStatus).toBe("ACTIVE");
      expect(Table?.ItemCount).toBe(0);
    }
  });

  it("createTableMs keeps dynalite's CREATING phase", async () => {
    const ddb = await start({ createTableMs: 300 });
    const table = await createTable(ddb.client, "slow");
    const { Table } = await ddb.client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.TableStatus).toBe("CREATING");
  });

  it("each instance is its own empty database on its own port", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
    await createTable(a.client, "only-in-a");
    expect((await a.client.send(new ListTablesCommand({}))).TableNames).toHaveLength(1);
    expect((await b.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it("stop() closes the server, even with an open keep-alive connection, and frees the port; it is idempotent", async () => {
    const ddb = await startDynalite();
    const table = await createTable(ddb.client, "stop");
    const other = ddb.createClient();
    await other.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: key("k") } }] }));
    // A raw keep-alive connection the harness does not own.
    await new Promise<void>((resolve, reject) => {
      const agentRequest = request(
        { host: "127.0.0.1", port: ddb.port, method: "GET", path: "/", headers: { connection: "keep-alive" } },
        (response) => {
          response.resume();
          response.on("end", resolve);
        },
      );
      agentRequest.on("error", reject);
      agentRequest.end();
    });
    expect(await canListen(ddb.port)).toBe(false);

    const stopping = ddb.stop();
    expect(ddb.stop()).toBe(stopping);
    await stopping;
    expect(await canListen(ddb.port)).toBe(true);
    // Its clients are destroyed.
    await expect(ddb.client.send(new ListTablesCommand({}))).rejects.toThrow();
  });

  it("await using stops it", async () => {
    let port: number;
    {
      await using ddb = await startDynalite();
      port = ddb.port;
      expect(await canListen(port)).toBe(false);
    }
    expect(await canListen(port)).toBe(true);
  });

  it("listens on a given port; a taken port rejects with EADDRINUSE", async () => {
    const port = await freePort();
    const ddb = await start({ port });
    expect(ddb.port).toBe(port);
    const error = await rejection(startDynalite({ port }));
    expect((error as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
  });

  it("an aborted signal rejects with its reason and leaves nothing listening", async () => {
    const reason = new Error("not today");
    expect(await rejection(startDynalite({ signal: AbortSignal.abort(reason) }))).toBe(reason);

    const port = await freePort();
    const controller = new AbortController();
    const starting = startDynalite({ port, signal: controller.signal });
    controller.abort(reason);
    expect(await rejection(starting)).toBe(reason);
    expect(await canListen(port)).toBe(true);
  });

  it("a signal aborted after the start has no effect", async () => {
    const controller = new AbortController();
    const ddb = await start({ signal: controller.signal });
    controller.abort();
    expect((await ddb.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it("rejects malformed options, naming them", async () => {
    for (const [options, argument] of [
      [{ port: 70_000 }, "options.port"],
      [{ port: 1.5 }, "options.port"],
      [{ createTableMs: -1 }, "options.createTableMs"],
      [{ idempotencyWindowMs: "10" }, "options.idempotencyWindowMs"],
      [{ signal: "stop" }, "options.signal"],
      [{ prot: 1 }, "options.prot"],
    ] as const) {
      const error = await rejection(startDynalite(options as StartDynaliteOptions));
      expect(isProjectionKitError(error, "ERR_INVALID_ARGUMENT")).toBe(true);
      expect((error as { argument?: string }).argument).toBe(argument);
    }
  });
});
