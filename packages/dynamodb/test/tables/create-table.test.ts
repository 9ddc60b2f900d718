import { DeleteTableCommand, DynamoDBServiceException, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { encodeOffset, isProjectionKitError } from "@projectionkit/core";
import { createTable, DynamoResourceRepository, type Decorator } from "@projectionkit/dynamodb";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { injectFault, logRequests, serviceException } from "../support/faults.js";
import { readTable, rewriteTableStatus } from "./describe-faults.js";
import { createKeyedTable, keySchema, type TableKeySchema } from "../../../../test/support/dynamodb-tables.js";

describeOnEmulators("createTable", (emulator) => {
  const setup = emulator.client();
  const utf8 = new TextEncoder();
  const HANDLER_KEY = "3f0a6e52-8a1b-4c7d-9e2f-5b6c7d8e9f01";

  describe("D1/D2 createTable makes the Go v0.7.1 layout", () => {
    it("D2: sends exactly the Go layout and the table DescribeTable shows is ACTIVE with that layout", async () => {
      const client = emulator.client();
      const log = logRequests(client);
      const table = uniqueTableName("create");

      await createTable(client, table);

      expect(log.commands[0]).toBe("CreateTableCommand");
      expect(log.inputs[0]).toEqual({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: "HandlerAndResource", AttributeType: "B" }],
        KeySchema: [{ AttributeName: "HandlerAndResource", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      });
      const described = await readTable(setup, table);
      expect(described?.TableStatus).toBe("ACTIVE");
      expect(described?.AttributeDefinitions).toEqual([{ AttributeName: "HandlerAndResource", AttributeType: "B" }]);
      expect(described?.KeySchema).toEqual([{ AttributeName: "HandlerAndResource", KeyType: "HASH" }]);
      expect(described?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
      expect(described?.GlobalSecondaryIndexes).toBeUndefined();
      expect(described?.LocalSecondaryIndexes).toBeUndefined();
      expect(described?.StreamSpecification).toBeUndefined();
    });

    it("D2: right after CreateTable, a DescribeTable that does not see the table yet (eventual consistency) is polled past", async () => {
      const client = emulator.client();
      const requests = logRequests(client);
      injectFault(client, { command: "DescribeTableCommand", when: "before", times: 2, error: serviceException("ResourceNotFoundException") });
      const table = uniqueTableName("create-unseen");

      await createTable(client, table);

      expect(requests.count("DescribeTableCommand")).toBe(3);
      expect((await readTable(setup, table))?.TableStatus).toBe("ACTIVE");
    });

    it("D2: resolves only once DescribeTable says ACTIVE (not while CREATING or UPDATING)", async () => {
      const client = emulator.client();
      const statuses = ["CREATING", "UPDATING"] as const;
      const log = rewriteTableStatus(client, (n) => statuses[n]);

      await createTable(client, uniqueTableName("create-wait"));

      expect(log.seen).toEqual(["CREATING", "UPDATING", "ACTIVE"]);
    });

    it("D1: the table created works with the adapter: a version stored by DynamoResourceRepository reads back", async () => {
      const table = uniqueTableName("create-adapter");
      await createTable(setup, table);
      const repository = new DynamoResourceRepository(setup, HANDLER_KEY, table);

      await repository.storeResourceVersion(utf8.encode("r-1"), encodeOffset(7));

      expect(await repository.resourceVersion(utf8.encode("r-1"))).toEqual(encodeOffset(7));
    });
  });

  describe("D2 createTable is idempotent", () => {
    it("D2: a second createTable resolves and leaves the table and its items as they were", async () => {
      const table = uniqueTableName("create-twice");
      await createTable(setup, table);
      const repository = new DynamoResourceRepository(setup, HANDLER_KEY, table);
      await repository.storeResourceVersion(utf8.encode("kept"), encodeOffset(3));
      const client = emulator.client();
      const log = logRequests(client);

      await createTable(client, table);

      expect(log.count("CreateTableCommand")).toBe(1); // it did try, and met ResourceInUseException
      expect(await repository.resourceVersion(utf8.encode("kept"))).toEqual(encodeOffset(3));
      expect((await readTable(setup, table))?.TableStatus).toBe("ACTIVE");
    });

    it("D2: five concurrent createTable calls on one name all resolve", async () => {
      const table = uniqueTableName("create-concurrent");

      const results = await Promise.allSettled(Array.from({ length: 5 }, () => createTable(emulator.client(), table)));

      expect(results.map((r) => r.status)).toEqual(Array(5).fill("fulfilled"));
      expect((await readTable(setup, table))?.KeySchema).toEqual([{ AttributeName: "HandlerAndResource", KeyType: "HASH" }]);
    });

    it("D2: a table of that name that is being deleted is waited for until gone, then created again with our layout", async () => {
      const table = uniqueTableName("create-deleting");
      // An old table with another key: were DELETING not handled, this would be a schema mismatch.
      await createKeyedTable(setup, table, keySchema(["old", "S"]));
      const client = emulator.client();
      const requests = logRequests(client);
      // The first DescribeTable (after ResourceInUseException) shows the table DELETING; then it goes.
      const log = rewriteTableStatus(
        client,
        (n) => (n === 0 ? "DELETING" : undefined),
        async (n) => {
          if (n === 0) {
            await setup.send(new DeleteTableCommand({ TableName: table }));
          }
        },
      );

      await createTable(client, table);

      expect(log.seen).toEqual(["DELETING", "NotFound", "ACTIVE"]);
      expect(requests.count("CreateTableCommand")).toBe(2);
      expect((await readTable(setup, table))?.KeySchema).toEqual([{ AttributeName: "HandlerAndResource", KeyType: "HASH" }]);
    });
  });

  describe("D2 createTable detects a table with another key schema (pitfall GP7)", () => {
    const cases: Array<[string, TableKeySchema, string]> = [
      ["the key attribute of type S", keySchema(["HandlerAndResource", "S"]), "HASH HandlerAndResource (S)"],
      ["a RANGE key as well", keySchema(["HandlerAndResource", "B"], ["sk", "S"]), "HASH HandlerAndResource (B), RANGE sk (S)"],
      ["another key attribute", keySchema(["pk", "B"]), "HASH pk (B)"],
    ];

    it.each(cases)("D2: an existing table with %s is ERR_TABLE_SCHEMA_MISMATCH and is left alone", async (_label, schema, actual) => {
      const table = uniqueTableName("mismatch");
      await createKeyedTable(setup, table, schema);

      const error: unknown = await createTable(emulator.client(), table).catch((e: unknown) => e);

      expect(isProjectionKitError(error, "ERR_TABLE_SCHEMA_MISMATCH")).toBe(true);
      if (isProjectionKitError(error, "ERR_TABLE_SCHEMA_MISMATCH")) {
        expect(error.table).toBe(table);
        expect(error.expected).toBe("HASH HandlerAndResource (B)");
        expect(error.actual).toBe(actual);
        expect(error.retryable).toBe(false);
      }
      expect((await readTable(setup, table))?.KeySchema).toEqual(schema.KeySchema);
    });

    it("D2: the mismatch is found with wait: false too", async () => {
      const table = uniqueTableName("mismatch-nowait");
      await createKeyedTable(setup, table, keySchema(["pk", "S"]));

      await expect(createTable(emulator.client(), table, { wait: false })).rejects.toSatisfy((e: unknown) =>
        isProjectionKitError(e, "ERR_TABLE_SCHEMA_MISMATCH"),
      );
    });
  });

  describe("D1 createTable with custom attribute names", () => {
    it("D1: attributeNames.key names the HASH key; the adapter with the same names uses the table; default names are a mismatch", async () => {
      const table = uniqueTableName("create-names");
      const attributeNames = { key: "pk", version: "v", token: "t" };

      await createTable(setup, table, { attributeNames });

      const described = await readTable(setup, table);
      expect(described?.AttributeDefinitions).toEqual([{ AttributeName: "pk", AttributeType: "B" }]);
      expect(described?.KeySchema).toEqual([{ AttributeName: "pk", KeyType: "HASH" }]);
      await createTable(setup, table, { attributeNames }); // same names: idempotent
      const repository = new DynamoResourceRepository(setup, HANDLER_KEY, table, { attributeNames });
      await repository.storeResourceVersion(utf8.encode("r"), encodeOffset(1));
      expect(await repository.resourceVersion(utf8.encode("r"))).toEqual(encodeOffset(1));
      await expect(createTable(setup, table)).rejects.toSatisfy(
        (e: unknown) => isProjectionKitError(e, "ERR_TABLE_SCHEMA_MISMATCH") && e.actual === "HASH pk (B)",
      );
    });
  });

  describe("D11 createTable decorators", () => {
    it("D11: decorators run in order on the built input; a later one sees an earlier one's change; the table is made from the result", async () => {
      const client = emulator.client();
      const log = logRequests(client);
      const table = uniqueTableName("create-decorated");
      const seen: string[] = [];
      const first: Decorator<CreateTableCommandInput> = (input) => {
        seen.push(`first:${input.BillingMode}`);
        input.BillingMode = "PROVISIONED";
        input.Tags = [{ Key: "first", Value: "1" }];
      };
      const second: Decorator<CreateTableCommandInput> = (input) => {
        seen.push(`second:${input.BillingMode}`);
        return {
          ...input,
          // Only right if `first` ran before: PROVISIONED needs a throughput.
          ...(input.BillingMode === "PROVISIONED" ? { ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } } : {}),
          Tags: [...(input.Tags ?? []), { Key: "second", Value: "2" }],
        };
      };

      await createTable(client, table, { decorators: { createTable: [first, second] } });

      expect(seen).toEqual(["first:PAY_PER_REQUEST", "second:PROVISIONED"]);
      expect((log.inputs[0] as CreateTableCommandInput).Tags).toEqual([
        { Key: "first", Value: "1" },
        { Key: "second", Value: "2" },
      ]);
      const described = await readTable(setup, table);
      expect(described?.ProvisionedThroughput?.ReadCapacityUnits).toBe(7);
      expect(described?.ProvisionedThroughput?.WriteCapacityUnits).toBe(3);
      expect(described?.KeySchema).toEqual([{ AttributeName: "HandlerAndResource", KeyType: "HASH" }]);
    });

    it("D11: a decorator may rename the table; createTable creates, waits for and re-checks that name", async () => {
      const requested = uniqueTableName("create-requested");
      const renamed = uniqueTableName("create-renamed");
      const rename: Decorator<CreateTableCommandInput> = (input) => ({ ...input, TableName: renamed });

      await createTable(setup, requested, { decorators: { createTable: rename }, waitTimeoutMs: 5_000 });
      await createTable(setup, requested, { decorators: { createTable: rename }, waitTimeoutMs: 5_000 });

      expect((await readTable(setup, renamed))?.TableStatus).toBe("ACTIVE");
      expect(await readTable(setup, requested)).toBeUndefined();
    });

    it.each([
      ["changes the key schema", (input: CreateTableCommandInput) => void (input.KeySchema = [{ AttributeName: "pk", KeyType: "HASH" }])],
      [
        "changes the key attribute's type",
        (input: CreateTableCommandInput) => void (input.AttributeDefinitions = [{ AttributeName: "HandlerAndResource", AttributeType: "S" }]),
      ],
    ])("D11: a decorator that %s is ERR_DECORATOR_BROKE_VERSION_CHECK and nothing is sent", async (_label, decorator) => {
      const client = emulator.client();
      const log = logRequests(client);
      const table = uniqueTableName("create-broken");

      await expect(createTable(client, table, { decorators: { createTable: decorator } })).rejects.toSatisfy(
        (e: unknown) => isProjectionKitError(e, "ERR_DECORATOR_BROKE_VERSION_CHECK") && e.operation === "createTable",
      );
      expect(log.count()).toBe(0);
      expect(await readTable(setup, table)).toBeUndefined();
    });
  });

  describe("D2 createTable errors and waiting", () => {
    it("D2: a service error other than ResourceInUseException propagates unchanged (the SDK's exception)", async () => {
      const provisionedWithoutThroughput: Decorator<CreateTableCommandInput> = (input) => void (input.BillingMode = "PROVISIONED");

      const error: unknown = await createTable(emulator.client(), uniqueTableName("create-invalid"), {
        decorators: { createTable: provisionedWithoutThroughput },
      }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DynamoDBServiceException);
      expect((error as Error).name).toBe("ValidationException");
      expect(isProjectionKitError(error)).toBe(false);
    });

    it("D2: a DescribeTable error that polling cannot cure ends the wait at once, unchanged", async () => {
      const client = emulator.client();
      const injected = serviceException("AccessDeniedException", {}, 400)();
      injectFault(client, { command: "DescribeTableCommand", when: "before", error: () => injected });
      const started = Date.now();

      await expect(createTable(client, uniqueTableName("create-denied"), { waitTimeoutMs: 30_000 })).rejects.toBe(injected);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it("D2: a table that stays CREATING past waitTimeoutMs is ERR_TABLE_NOT_READY, retryable, after polling more than once", async () => {
      const client = emulator.client();
      const log = rewriteTableStatus(client, () => "CREATING");
      const table = uniqueTableName("create-slow");
      const started = Date.now();

      const error: unknown = await createTable(client, table, { waitTimeoutMs: 2_000 }).catch((e: unknown) => e);

      const elapsed = Date.now() - started;
      expect(isProjectionKitError(error, "ERR_TABLE_NOT_READY")).toBe(true);
      if (isProjectionKitError(error, "ERR_TABLE_NOT_READY")) {
        expect(error.table).toBe(table);
        expect(error.retryable).toBe(true);
        expect(error.waitedMs).toBeGreaterThanOrEqual(1_000);
        expect(error.waitedMs).toBeLessThanOrEqual(elapsed);
      }
      expect(elapsed).toBeLessThan(4_000);
      expect(log.seen.length).toBeGreaterThanOrEqual(2);
    });

    it("D2: wait: false resolves without waiting for ACTIVE (no DescribeTable)", async () => {
      const client = emulator.client();
      const requests = logRequests(client);
      rewriteTableStatus(client, () => "CREATING");
      const table = uniqueTableName("create-nowait");

      await createTable(client, table, { wait: false, waitTimeoutMs: 5_000 });

      expect(requests.commands).toEqual(["CreateTableCommand"]);
      expect(await readTable(setup, table)).toBeDefined();
    });

    it("D2: aborting while CreateTable is on its way rejects with the reason, and the request is not completed", async () => {
      const client = emulator.client();
      const controller = new AbortController();
      const reason = new Error("cancelled");
      // Hold the request back before the HTTP handler, and abort meanwhile.
      client.middlewareStack.add(
        (next) => async (args) => {
          controller.abort(reason);
          return next(args);
        },
        { step: "build", name: "abortWhileSending" },
      );
      const table = uniqueTableName("create-abort-send");

      await expect(createTable(client, table, { signal: controller.signal })).rejects.toBe(reason);
      expect(await readTable(setup, table)).toBeUndefined();
    });

    it("D2: an already-aborted signal rejects with its reason and sends nothing", async () => {
      const client = emulator.client();
      const log = logRequests(client);
      const reason = new Error("stop");

      await expect(createTable(client, uniqueTableName("create-aborted"), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(log.count()).toBe(0);
    });

    it("D2: aborting while waiting for ACTIVE rejects with the reason at once and stops polling", async () => {
      const client = emulator.client();
      const log = rewriteTableStatus(client, () => "CREATING");
      const controller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => controller.abort(reason), 300);
      const started = Date.now();

      await expect(createTable(client, uniqueTableName("create-abort-wait"), { signal: controller.signal, waitTimeoutMs: 5_000 })).rejects.toBe(reason);

      expect(Date.now() - started).toBeLessThan(1_500);
      const polls = log.seen.length;
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the waiter's next poll
      expect(log.seen.length).toBe(polls);
    });
  });
});
