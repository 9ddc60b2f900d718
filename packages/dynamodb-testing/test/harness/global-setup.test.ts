import {
  DeleteTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, inject, it } from "vitest";
import { describeNeedingJava, dynamoDBLocalUnavailable, localClient, uniqueTableName } from "../support/clients.js";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";

describe("the shared setup of test/support/dynamodb-local-setup.ts", () => {
  it("gives either an endpoint, or no endpoint and the reason with the install hint (never both, never neither)", () => {
    const endpoint = inject("dynamodbLocalEndpoint");
    const unavailable = dynamoDBLocalUnavailable();
    if (endpoint === "") {
      expect(unavailable).toMatch(/^Java was not found\. DynamoDB Local needs Java 17 or later\. On Debian\/Ubuntu: `apt-get install/);
      expect(process.env["CI"]).not.toBe("true");
    } else {
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(unavailable).toBeUndefined();
    }
  });

  it("uniqueTableName gives distinct names DynamoDB accepts, 3–255 characters", () => {
    const names = new Set(Array.from({ length: 1_000 }, () => uniqueTableName("t")));
    expect(names.size).toBe(1_000);
    for (const name of [uniqueTableName(""), uniqueTableName("x".repeat(400)), uniqueTableName("a.b_c-1")]) {
      expect(name).toMatch(/^[a-zA-Z0-9_.-]{3,255}$/);
    }
    expect(uniqueTableName("x".repeat(400))).toHaveLength(255);
    expect(uniqueTableName("orders").startsWith("orders-")).toBe(true);
    expect(() => uniqueTableName("no spaces")).toThrow(TypeError);
  });
});

describeNeedingJava("the shared DynamoDB Local of test/support/dynamodb-local-setup.ts", () => {
  it("provides a loopback endpoint that localClient() reaches; clients share tables", async () => {
    expect(inject("dynamodbLocalEndpoint")).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const writer = localClient();
    const reader = localClient({ maxAttempts: 2 });
    const table = uniqueTableName("shared");
    try {
      await createStringKeyTable(writer, table, "id");
      await writer.send(new PutItemCommand({ TableName: table, Item: { id: { S: "a" }, n: { N: "7" } } }));
      const { TableNames } = await reader.send(new ListTablesCommand({}));
      expect(TableNames).toContain(table);
      const { Item } = await reader.send(new GetItemCommand({ TableName: table, Key: { id: { S: "a" } } }));
      expect(Item).toEqual({ id: { S: "a" }, n: { N: "7" } });
      expect(await reader.config.maxAttempts()).toBe(2);
      expect(await writer.config.maxAttempts()).toBe(1);
    } finally {
      await writer.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      writer.destroy();
      reader.destroy();
    }
  });
});
