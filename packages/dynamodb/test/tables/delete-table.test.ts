import { DeleteTableCommand, DynamoDBServiceException, type DeleteTableCommandInput } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { isProjectionKitError } from "@projectionkit/core";
import { createTable, deleteTable, type Decorator } from "@projectionkit/dynamodb";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { injectFault, logRequests, serviceException } from "../support/faults.js";
import { readTable, rewriteTableStatus } from "./describe-faults.js";

describeOnEmulators("deleteTable", (emulator) => {
  const setup = emulator.client();

  /** A new version table, ACTIVE. */
  async function newTable(prefix: string): Promise<string> {
    const table = uniqueTableName(prefix);
    await createTable(setup, table);
    return table;
  }

  describe("D2 deleteTable is idempotent and waits until the table is gone", () => {
    it("D2: on a table that does not exist it resolves after one DeleteTable", async () => {
      const client = emulator.client();
      const log = logRequests(client);

      await deleteTable(client, uniqueTableName("delete-missing"));

      expect(log.commands).toEqual(["DeleteTableCommand"]);
    });

    it("D2: create, delete, delete: each resolves, and right after the first delete DescribeTable says ResourceNotFound", async () => {
      const table = await newTable("delete-twice");
      expect(await readTable(setup, table)).toBeDefined();

      await deleteTable(emulator.client(), table);
      expect(await readTable(setup, table)).toBeUndefined();
      await deleteTable(emulator.client(), table);
      expect(await readTable(setup, table)).toBeUndefined();
    });

    it("D2: while DescribeTable still shows the table DELETING, deleteTable does not resolve", async () => {
      const table = await newTable("delete-wait");
      const client = emulator.client();
      const log = rewriteTableStatus(client, (n) => (n < 2 ? "DELETING" : undefined));

      await deleteTable(client, table);

      expect(log.seen).toEqual(["DELETING", "DELETING", "NotFound"]);
    });

    it("D2: wait: false resolves without waiting until gone (no DescribeTable)", async () => {
      const table = await newTable("delete-nowait");
      const client = emulator.client();
      const requests = logRequests(client);
      rewriteTableStatus(client, () => "DELETING"); // had it waited, it would time out

      await deleteTable(client, table, { wait: false, waitTimeoutMs: 5_000 });

      expect(requests.commands).toEqual(["DeleteTableCommand"]);
    });

    it("D2: a table that stays DELETING past waitTimeoutMs is ERR_TABLE_NOT_READY, retryable", async () => {
      const table = await newTable("delete-slow");
      const client = emulator.client();
      rewriteTableStatus(client, () => "DELETING");

      const error: unknown = await deleteTable(client, table, { waitTimeoutMs: 1_500 }).catch((e: unknown) => e);

      expect(isProjectionKitError(error, "ERR_TABLE_NOT_READY")).toBe(true);
      if (isProjectionKitError(error, "ERR_TABLE_NOT_READY")) {
        expect(error.table).toBe(table);
        expect(error.retryable).toBe(true);
        expect(error.waitedMs).toBeGreaterThan(0);
      }
    });
  });

  describe("D2 deleteTable on a table in use", () => {
    it("D2: a table being created (ResourceInUseException, CREATING) is waited for until ACTIVE, then deleted", async () => {
      const table = await newTable("delete-creating");
      const client = emulator.client();
      const requests = logRequests(client);
      injectFault(client, { command: "DeleteTableCommand", when: "before", error: serviceException("ResourceInUseException") });
      const log = rewriteTableStatus(client, (n) => (n < 2 ? "CREATING" : undefined));

      await deleteTable(client, table);

      expect(log.seen.slice(0, 3)).toEqual(["CREATING", "CREATING", "ACTIVE"]);
      expect(requests.count("DeleteTableCommand")).toBe(2);
      expect(await readTable(setup, table)).toBeUndefined();
    });

    it("D2: a table already being deleted (ResourceInUseException, DELETING) is not deleted again, only waited for", async () => {
      const table = await newTable("delete-deleting");
      const client = emulator.client();
      const requests = logRequests(client);
      injectFault(client, { command: "DeleteTableCommand", when: "before", error: serviceException("ResourceInUseException") });
      // Someone else's delete: the table shows DELETING twice, then goes.
      const log = rewriteTableStatus(
        client,
        (n) => (n < 2 ? "DELETING" : undefined),
        async (n) => {
          if (n === 0) {
            await setup.send(new DeleteTableCommand({ TableName: table }));
          }
        },
      );

      await deleteTable(client, table);

      expect(requests.count("DeleteTableCommand")).toBe(1);
      expect(log.seen).toEqual(["DELETING", "DELETING", "NotFound"]);
    });

    it("D2: ResourceInUseException on an ACTIVE table propagates unchanged (waiting would not cure it)", async () => {
      const table = await newTable("delete-inuse");
      const client = emulator.client();
      const injected = serviceException("ResourceInUseException")();
      injectFault(client, { command: "DeleteTableCommand", when: "before", error: () => injected });

      await expect(deleteTable(client, table)).rejects.toBe(injected);
      expect((await readTable(setup, table))?.TableStatus).toBe("ACTIVE");
    });

    it("D2: other service errors propagate unchanged (the SDK's exception): a table with deletion protection", async (context) => {
      if (emulator.name === "dynalite") {
        context.skip("dynalite: no deletion protection"); // dynalite 4.0.0 ignores DeletionProtectionEnabled and deletes the table
      }
      const table = uniqueTableName("delete-protected");
      await createTable(setup, table, { decorators: { createTable: (input) => void (input.DeletionProtectionEnabled = true) } });

      const error: unknown = await deleteTable(emulator.client(), table).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DynamoDBServiceException);
      expect((error as Error).name).toBe("ValidationException");
      expect(isProjectionKitError(error)).toBe(false);
      expect(await readTable(setup, table)).toBeDefined();
    });
  });

  describe("D11 deleteTable decorators", () => {
    it("D11: decorators run in order on the built input; a later one sees an earlier one's change", async () => {
      const table = await newTable("delete-decorated");
      const seen: Array<string | undefined> = [];
      const first: Decorator<DeleteTableCommandInput> = (input) => {
        seen.push(input.TableName);
        return { ...input, TableName: table };
      };
      const second: Decorator<DeleteTableCommandInput> = (input) => {
        seen.push(input.TableName);
      };
      const placeholder = uniqueTableName("delete-placeholder");

      await deleteTable(emulator.client(), placeholder, { decorators: { deleteTable: [first, second] } });

      expect(seen).toEqual([placeholder, table]);
      expect(await readTable(setup, table)).toBeUndefined();
    });
  });

  describe("D2 deleteTable honours options.signal", () => {
    it("D2: an already-aborted signal rejects with its reason and sends nothing", async () => {
      const table = await newTable("delete-aborted");
      const client = emulator.client();
      const log = logRequests(client);
      const reason = new Error("stop");

      await expect(deleteTable(client, table, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(log.count()).toBe(0);
      expect(await readTable(setup, table)).toBeDefined();
    });
  });
});
