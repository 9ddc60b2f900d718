import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { isProjectionKitError } from "@projectionkit/core";
import { createTable, deleteTable } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { logRequests } from "../support/faults.js";

type Call = (client: DynamoDBClient) => Promise<void>;

const decorator = () => undefined;
const fine = "validation-table";

/** [label, call, the argument the InvalidArgumentError must name]. */
const createCases: Array<[string, Call, string]> = [
  ["a client without send", () => createTable({} as DynamoDBClient, fine), "client"],
  ["no client", () => createTable(undefined as unknown as DynamoDBClient, fine), "client"],
  ["a name of 2 characters", (c) => createTable(c, "ab"), "name"],
  ["a name of 256 characters", (c) => createTable(c, "a".repeat(256)), "name"],
  ["a name with a space", (c) => createTable(c, "bad name"), "name"],
  ["a name that is not a string", (c) => createTable(c, 42 as unknown as string), "name"],
  ["options that are not an object", (c) => createTable(c, fine, "wait" as never), "options"],
  ["an unknown option", (c) => createTable(c, fine, { waitForActive: true } as never), "options.waitForActive"],
  ["a deleteTable-only option name in createTable", (c) => createTable(c, fine, { decorators: { deleteTable: decorator } } as never), "options.decorators.deleteTable"],
  ["wait that is not a boolean", (c) => createTable(c, fine, { wait: "yes" } as never), "options.wait"],
  ["waitTimeoutMs of 0", (c) => createTable(c, fine, { waitTimeoutMs: 0 }), "options.waitTimeoutMs"],
  ["a negative waitTimeoutMs", (c) => createTable(c, fine, { waitTimeoutMs: -1 }), "options.waitTimeoutMs"],
  ["waitTimeoutMs NaN", (c) => createTable(c, fine, { waitTimeoutMs: Number.NaN }), "options.waitTimeoutMs"],
  ["waitTimeoutMs Infinity", (c) => createTable(c, fine, { waitTimeoutMs: Number.POSITIVE_INFINITY }), "options.waitTimeoutMs"],
  ["waitTimeoutMs as a string", (c) => createTable(c, fine, { waitTimeoutMs: "1000" } as never), "options.waitTimeoutMs"],
  ["decorators that are a function", (c) => createTable(c, fine, { decorators: decorator } as never), "options.decorators"],
  ["a decorator that is not a function", (c) => createTable(c, fine, { decorators: { createTable: "x" } } as never), "options.decorators.createTable"],
  ["the second decorator not a function", (c) => createTable(c, fine, { decorators: { createTable: [decorator, 1] } } as never), "options.decorators.createTable[1]"],
  ["an empty key attribute name", (c) => createTable(c, fine, { attributeNames: { key: "" } }), "options.attributeNames.key"],
  ["an unknown attribute name field", (c) => createTable(c, fine, { attributeNames: { sort: "s" } } as never), "options.attributeNames.sort"],
  ["a signal that is not an AbortSignal", (c) => createTable(c, fine, { signal: {} } as never), "options.signal"],
];

const deleteCases: Array<[string, Call, string]> = [
  ["a client without send", () => deleteTable({ send: 1 } as unknown as DynamoDBClient, fine), "client"],
  ["a name of 2 characters", (c) => deleteTable(c, "ab"), "name"],
  ["a name with a slash", (c) => deleteTable(c, "a/b/c"), "name"],
  ["an unknown option", (c) => deleteTable(c, fine, { timeout: 5 } as never), "options.timeout"],
  ["attributeNames, which deleteTable does not use", (c) => deleteTable(c, fine, { attributeNames: {} } as never), "options.attributeNames"],
  ["a createTable decorator given to deleteTable", (c) => deleteTable(c, fine, { decorators: { createTable: decorator } } as never), "options.decorators.createTable"],
  ["the second decorator not a function", (c) => deleteTable(c, fine, { decorators: { deleteTable: [decorator, null] } } as never), "options.decorators.deleteTable[1]"],
  ["wait that is not a boolean", (c) => deleteTable(c, fine, { wait: 1 } as never), "options.wait"],
  ["waitTimeoutMs of 0", (c) => deleteTable(c, fine, { waitTimeoutMs: 0 }), "options.waitTimeoutMs"],
  ["a signal that is not an AbortSignal", (c) => deleteTable(c, fine, { signal: "abort" } as never), "options.signal"],
];

// Arguments are checked before anything is sent: one emulator is enough, the one that needs no Java.
describeOnEmulators(
  "D2 arguments are checked before any request (pitfall GP8)",
  (emulator) => {
    it.each([...createCases.map(([l, c, a]) => [`createTable: ${l}`, c, a] as const), ...deleteCases.map(([l, c, a]) => [`deleteTable: ${l}`, c, a] as const)])(
      "D2: %s is an InvalidArgumentError naming it, and nothing is sent",
      async (_label, call, argument) => {
        const client = emulator.client();
        const log = logRequests(client);

        const error: unknown = await call(client).then(
          () => "resolved",
          (e: unknown) => e,
        );

        expect(isProjectionKitError(error, "ERR_INVALID_ARGUMENT")).toBe(true);
        expect((error as { argument?: unknown }).argument).toBe(argument);
        expect(log.count()).toBe(0);
      },
    );

    it("D2: a malformed option is reported even when the signal is already aborted (arguments first)", async () => {
      const client = emulator.client();

      await expect(createTable(client, fine, { wait: "no", signal: AbortSignal.abort() } as never)).rejects.toSatisfy(
        (e: unknown) => isProjectionKitError(e, "ERR_INVALID_ARGUMENT") && e.argument === "options.wait",
      );
    });

    it("D2: well-formed options pass validation (the request is sent)", async () => {
      const client = emulator.client();
      const log = logRequests(client);

      await deleteTable(client, "validation-missing-table", { wait: true, waitTimeoutMs: 1_000, decorators: { deleteTable: [decorator] }, signal: new AbortController().signal });

      expect(log.commands).toEqual(["DeleteTableCommand"]);
    });
  },
  ["dynalite"],
);
