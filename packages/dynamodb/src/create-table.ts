import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { requireClient, requireTableName } from "./adapter-options.js";
import { applyDecorators } from "./decorators.js";
import { httpOptions } from "./dispatch.js";
import { runTableRequest } from "./table-request.js";
import { waitForTable, type WaitBudget } from "./table-waits.js";
import { checkVersionTableKeySchema } from "./table-schema.js";
import { resolveCreateTableOptions, type CreateTableOptions } from "./table-options.js";

export type { CreateTableOptions } from "./table-options.js";

/**
 * Creates the version table, idempotently, in the Go library's v0.7.1 layout (D1, D2): one
 * attribute definition, the key attribute (default `HandlerAndResource`) of type B, as the HASH
 * key, no RANGE key, `BillingMode: PAY_PER_REQUEST`. Go and TypeScript services can share it.
 *
 * - A table of that name that already exists with this key schema is fine (other settings, such as
 *   the billing mode or indexes, are not compared); with another key schema the call rejects with
 *   `TableSchemaMismatchError` instead of accepting it silently, as the Go library did (pitfall
 *   GP7 in docs/specification.md).
 * - A table of that name that is being deleted is waited for until gone, then created again.
 * - By default the call resolves only once the table is ACTIVE, so writes can follow at once.
 *
 * Arguments and options are checked before any request (`InvalidArgumentError`); an aborted
 * `options.signal` rejects with its reason. Other service errors propagate unchanged, as the SDK's
 * typed exceptions.
 *
 * @param client - the DynamoDB client.
 * @param name - the table's name: 3 to 255 characters of `A-Z a-z 0-9 _ . -`.
 * @param options - attribute names, decorators, whether and how long to wait, an abort signal.
 * @returns when the table is ACTIVE (or, with `wait: false`, exists).
 * @throws `InvalidArgumentError` for a malformed argument; `DecoratorBrokeVersionCheckError` when a
 *   decorator changed the key schema; `TableSchemaMismatchError`; `TableNotReadyError`
 *   (retryable) when the table is not ACTIVE after `options.waitTimeoutMs`.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { createTable } from "@projectionkit/dynamodb";
 *
 * const client = new DynamoDBClient({});
 * await createTable(client, "ProjectionVersions", {
 *   decorators: { createTable: (input) => void (input.Tags = [{ Key: "team", Value: "ledger" }]) },
 * });
 * await createTable(client, "ProjectionVersions"); // no error: it exists with the right key
 * ```
 */
export async function createTable(client: DynamoDBClient, name: string, options?: CreateTableOptions): Promise<void> {
  const dynamo = requireClient(client);
  const requested = requireTableName(name, "name");
  const resolved = resolveCreateTableOptions(options);
  const budget: WaitBudget = { signal: resolved.signal, startedAt: Date.now(), timeoutMs: resolved.waitTimeoutMs };
  const key = resolved.attributeNames.key;
  const input = applyDecorators("createTable", versionTableInput(requested, key), resolved.decorators, (built) => keyPart(built, key));
  const table = input.TableName ?? requested;
  await runTableRequest(dynamo, {
    table,
    awaited: "ACTIVE",
    budget,
    send: async () => {
      await dynamo.send(new CreateTableCommand(input), httpOptions(resolved.signal, undefined));
      return "sent";
    },
    inUse: async (existing) => {
      if (existing === undefined) {
        return "again"; // deleted in the meantime: create it
      }
      if (existing.TableStatus === "DELETING") {
        await waitForTable(dynamo, table, "GONE", budget);
        return "again";
      }
      checkVersionTableKeySchema(table, existing, key);
      return "sent";
    },
    settle: async () => {
      if (!resolved.wait) {
        return "done";
      }
      // A missing table is polled on: right after CreateTable, DescribeTable may not see it yet.
      // A table someone is deleting is waited for until gone, and created again.
      return (await waitForTable(dynamo, table, "ACTIVE", budget, false)) === "ACTIVE" ? "done" : "again";
    },
  });
}

/** The CreateTable input of the Go v0.7.1 layout. */
function versionTableInput(table: string, key: string): CreateTableCommandInput {
  return {
    TableName: table,
    AttributeDefinitions: [{ AttributeName: key, AttributeType: "B" }],
    KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  };
}

/** What decorators must leave alone: the key schema and the key attribute's definition. */
function keyPart(input: CreateTableCommandInput, key: string): unknown {
  return {
    keySchema: input.KeySchema,
    keyDefinition: input.AttributeDefinitions?.find((definition) => definition.AttributeName === key),
  };
}
