import {
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
  type TableDescription,
  type TableStatus,
} from "@aws-sdk/client-dynamodb";

/**
 * Test support for the table operations: the emulators create and delete tables at once, so the
 * states a real table passes through (CREATING, UPDATING, DELETING) are shown to the code under
 * test by rewriting the `TableStatus` of real DescribeTable answers.
 */

type Middleware = Parameters<DynamoDBClient["middlewareStack"]["add"]>[0];

export interface DescribeLog {
  /** The TableStatus the code under test was shown, per DescribeTable, or "NotFound". */
  readonly seen: string[];
}

/**
 * Rewrites the answers to DescribeTable: the n-th request (from 0) gets `statuses(n)` as its
 * `TableStatus` when that is a status; `undefined` leaves the real answer alone. When the table does
 * not exist (the emulators delete at once) and a status is wanted, an answer with that status is
 * made up, as DynamoDB would give while deleting.
 *
 * @param client - the client whose requests to rewrite.
 * @param statuses - the status to show for the n-th DescribeTable, or `undefined`.
 * @param after - runs after the n-th DescribeTable, before its answer is returned.
 * @returns what the code under test saw.
 */
export function rewriteTableStatus(
  client: DynamoDBClient,
  statuses: (call: number) => TableStatus | undefined,
  after?: (call: number) => Promise<void>,
): DescribeLog {
  const seen: string[] = [];
  let call = 0;
  const middleware: Middleware = (next, context) => async (args) => {
    if (context.commandName !== "DescribeTableCommand") {
      return next(args);
    }
    const n = call++;
    const status = statuses(n);
    let result: Awaited<ReturnType<typeof next>>;
    try {
      result = await next(args);
    } catch (error) {
      if (status === undefined || (error as { name?: unknown }).name !== "ResourceNotFoundException") {
        seen.push((error as { name?: unknown }).name === "ResourceNotFoundException" ? "NotFound" : "error");
        await after?.(n);
        throw error;
      }
      const table: TableDescription = { TableName: (args.input as { TableName?: string }).TableName, TableStatus: status };
      const output: DescribeTableCommandOutput = { Table: table, $metadata: {} };
      result = { output, response: {} };
    }
    const table = (result.output as DescribeTableCommandOutput).Table;
    if (status !== undefined && table !== undefined) {
      table.TableStatus = status;
    }
    seen.push(table?.TableStatus ?? "none");
    await after?.(n);
    return result;
  };
  client.middlewareStack.add(middleware as never, { step: "initialize", name: `rewriteTableStatus-${Math.random()}` });
  return { seen };
}

/**
 * Reads a table's description; `undefined` when it does not exist.
 *
 * @param client - any client of the emulator.
 * @param table - the table's name.
 * @returns the description, or `undefined`.
 */
export async function readTable(client: DynamoDBClient, table: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if ((error as { name?: unknown }).name === "ResourceNotFoundException") {
      return undefined;
    }
    throw error;
  }
}
