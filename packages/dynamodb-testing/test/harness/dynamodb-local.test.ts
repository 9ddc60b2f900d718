import { ListTablesCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynamoDBLocal } from "@projectionkit/dynamodb-testing";
import { createServer } from "node:net";
import { expect, it } from "vitest";
import { describeNeedingJava } from "../support/clients.js";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";
import { expectServesOnItsClient, stoppedAfterAll } from "../support/started-emulators.js";

const start = stoppedAfterAll(startDynamoDBLocal);

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await createStringKeyTable(client, name);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

describeNeedingJava("startDynamoDBLocal", () => {
  it("starts a real DynamoDB Local: CreateTable, PutItem, GetItem round-trip", async () => {
    const ddb = await start();
    await expectServesOnItsClient(ddb, "round_trip");

    // Another client, with its own configuration, sees the same database.
    const other = ddb.createClient({ maxAttempts: 2 });
    expect(await other.config.maxAttempts()).toBe(2);
    expect((await other.send(new ListTablesCommand({}))).TableNames).toEqual(["round_trip"]);
  });

  it("a second instance at the same time gets another port, another process and an empty database", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
    expect(a.pid).not.toBe(b.pid);
    await createTable(a.client, "only_in_a");
    expect((await a.client.send(new ListTablesCommand({}))).TableNames).toEqual(["only_in_a"]);
    expect((await b.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it("stop() kills Java, frees the port, destroys the clients, and is idempotent", async () => {
    const ddb = await start();
    const { pid, port } = ddb;
    expect(isAlive(pid)).toBe(true);
    expect(await canListen(port)).toBe(false);

    const first = ddb.stop();
    const second = ddb.stop();
    expect(second).toBe(first);
    await first;
    await ddb.stop();

    expect(isAlive(pid)).toBe(false);
    expect(await canListen(port)).toBe(true);
    const probe = ddb.createClient();
    await expect(probe.send(new ListTablesCommand({}))).rejects.toThrow();
    probe.destroy();
  });

  it("await using stops the instance at the end of the block", async () => {
    let pid = 0;
    let port = 0;
    {
      await using ddb = await startDynamoDBLocal();
      ({ pid, port } = ddb);
      expect((await ddb.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      expect(isAlive(pid)).toBe(true);
    }
    expect(isAlive(pid)).toBe(false);
    expect(await canListen(port)).toBe(true);
  });

  it("applies options.clientConfig to client and createClient(), and starts on a given port", async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, () => resolve((server.address() as { port: number }).port)),
    );
    await new Promise((resolve) => server.close(resolve));

    const ddb = await start({ port, clientConfig: { maxAttempts: 4, region: "eu-west-1" } });
    expect(ddb.port).toBe(port);
    expect(ddb.endpoint).toBe(`http://127.0.0.1:${port}`);
    expect(await ddb.client.config.maxAttempts()).toBe(4);
    expect(await ddb.createClient().config.region()).toBe("eu-west-1");
    expect(await ddb.createClient({ maxAttempts: 1 }).config.maxAttempts()).toBe(1);
    await ddb.stop();
  });
});
