import { DeleteTableCommand, type DeleteTableCommandInput, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { requireClient, requireTableName } from "./adapter-options.js";
import { applyDecorators } from "./decorators.js";
import { httpOptions } from "./dispatch.js";
import { isException } from "./service-errors.js";
import { resolveDeleteTableOptions, type DeleteTableOptions } from "./table-options.js";
import { runTableRequest } from "./table-request.js";
import { waitForTable, type WaitBudget } from "./table-waits.js";

export type { DeleteTableOptions } from "./table-options.js";

/**
 * Deletes a table, idempotently (D2): a table that does not exist is already deleted, and a table
 * that is being deleted is left to finish. DynamoDB deletes only ACTIVE tables, so a table that is
 * being created or updated is first waited for. By default the call then waits until the table is
 * gone (DescribeTable says `ResourceNotFoundException`), unlike the Go library.
 *
 * Arguments and options are checked before any request (`InvalidArgumentError`); an aborted
 * `options.signal` rejects with its reason. Other service errors propagate unchanged, as the SDK's
 * typed exceptions.
 *
 * @param client - the DynamoDB client.
 * @param name - the table's name: 3 to 255 characters of `A-Z a-z 0-9 _ . -`.
 * @param options - decorators, whether and how long to wait, an abort signal.
 * @returns when the table is gone (or, with `wait: false`, being deleted).
 * @throws `InvalidArgumentError` for a malformed argument; `TableNotReadyError` (retryable) when
 *   the table is still there after `options.waitTimeoutMs`.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { deleteTable } from "@projectionkit/dynamodb";
 *
 * const client = new DynamoDBClient({});
 * await deleteTable(client, "ProjectionVersions"); // resolves once the table is gone
 * await deleteTable(client, "ProjectionVersions"); // no error: already gone
 * ```
 */
export async function deleteTable(client: DynamoDBClient, name: string, options?: DeleteTableOptions): Promise<void> {
  const dynamo = requireClient(client);
  const requested = requireTableName(name, "name");
  const resolved = resolveDeleteTableOptions(options);
  const budget: WaitBudget = { signal: resolved.signal, startedAt: Date.now(), timeoutMs: resolved.waitTimeoutMs };
  const input = applyDecorators<DeleteTableCommandInput>("deleteTable", { TableName: requested }, resolved.decorators);
  const table = input.TableName ?? requested;
  await runTableRequest(dynamo, {
    table,
    awaited: "deleted",
    budget,
    send: async () => {
      try {
        await dynamo.send(new DeleteTableCommand(input), httpOptions(resolved.signal, undefined));
        return "sent";
      } catch (error) {
        if (isException(error, "ResourceNotFoundException")) {
          return "done";
        }
        throw error;
      }
    },
    inUse: async (existing, error) => {
      if (existing === undefined) {
        return "done";
      }
      if (existing.TableStatus === "DELETING") {
        return "sent";
      }
      if (existing.TableStatus === "ACTIVE") {
        // In use for a reason waiting would not cure: the service's answer stands.
        throw error;
      }
      // CREATING, UPDATING …: DynamoDB deletes only ACTIVE tables.
      return (await waitForTable(dynamo, table, "ACTIVE", budget)) === "GONE" ? "done" : "again";
    },
    settle: async () => {
      if (resolved.wait) {
        await waitForTable(dynamo, table, "GONE", budget);
      }
      return "done";
    },
  });
}
