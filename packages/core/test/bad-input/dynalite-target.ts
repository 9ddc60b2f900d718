import { ListTablesCommand, ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createEventScope, isProjectionKitError, streamEventVersions, type ProjectionKitErrorCode } from "@projectionkit/core";
import { createTable, dynamoProjection, type DynamoProjection, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { startDynalite, type Dynalite } from "@projectionkit/dynamodb-testing";
import { expect } from "vitest";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";

// The driver and the Lambda handlers over a real DynamoDB-backed projection: dynalite in this
// process, a client whose every request is counted on its way to the wire, and a scan of every
// table to see that nothing was written.

/** The events of the target projection: each writes one row of its own. */
export interface RowEvent {
  readonly type: "Row";
  readonly id: string;
}

const KEY = "0d9c4b8e-1f2a-4c3b-9d8e-7f6a5b4c3d2e";
const VERSIONS = "bad-input-versions";
const ROWS = "bad-input-rows";

/** The projection under test, its counted client, and what the tables hold. */
export interface DynamoTarget {
  readonly projection: DynamoProjection<RowEvent>;
  /** Requests the projection's client attempted since the last {@link DynamoTarget.resetRequests}. */
  requests(): readonly string[];
  resetRequests(): void;
  /** Every item of every table, in a canonical form (through another client, not counted). */
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

const rows: DynamoProjectionHandler<RowEvent> = {
  configure(c) {
    c.identity("bad-input-rows", KEY);
    c.handlesEvents("Row");
  },
  handleEvent: (_scope, event) => [{ Put: { TableName: ROWS, Item: { pk: { S: event.id } }, ConditionExpression: "attribute_not_exists(pk)" } }],
};

/**
 * Starts dynalite with a version table and a read model, binds the row projection to a counted
 * client, and applies one event (so that a write would show as a change, not only as an item).
 *
 * @returns the target.
 */
export async function startDynamoTarget(): Promise<DynamoTarget> {
  const dynalite: Dynalite = await startDynalite();
  await createTable(dynalite.client, VERSIONS);
  await createStringKeyTable(dynalite.client, ROWS);
  const client = dynalite.createClient();
  const sent = countRequests(client);
  const projection = dynamoProjection(client, VERSIONS, rows, { keySchemas: { [ROWS]: ["pk"] } });
  const { resource, current, next } = streamEventVersions("seeded", 0);
  await projection.handleEvent(resource, current, next, createEventScope(), { type: "Row", id: "seeded#0" });
  return {
    projection,
    requests: () => [...sent],
    resetRequests: () => void sent.splice(0),
    snapshot: () => snapshotOf(dynalite.client),
    stop: () => dynalite.stop(),
  };
}

/** Records the command of every request `client` attempts, retries included, as it is sent. */
function countRequests(client: DynamoDBClient): string[] {
  const sent: string[] = [];
  type Handler = (args: unknown) => Promise<unknown>;
  client.middlewareStack.add(
    ((next: Handler, context: { commandName?: string }) => (args: unknown) => {
      sent.push(String(context.commandName));
      return next(args);
    }) as never,
    { step: "finalizeRequest", priority: "low", name: "countBadInputRequests" },
  );
  return sent;
}

async function snapshotOf(client: DynamoDBClient): Promise<string> {
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  const tables: Record<string, string[]> = {};
  for (const table of TableNames) {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    tables[table] = Items.map((item) => JSON.stringify(item, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString("hex") : value))).sort();
  }
  return JSON.stringify(tables);
}

/**
 * Runs `call` and checks the refusal: the error (thrown, or handed over by `errorOf` from what the
 * call returned) has `code` and, when given, names `argument`; the projection's client sent no
 * request; no table changed.
 *
 * @param target - the target.
 * @param call - the bad call.
 * @param expected - the code, and the argument the error must name.
 * @param errorOf - for calls that report instead of throwing: the error in what they returned.
 * @returns the error.
 */
export async function expectRefusedBeforeIO(
  target: DynamoTarget,
  call: () => unknown,
  expected: { readonly code: ProjectionKitErrorCode; readonly argument?: string | RegExp | undefined },
  errorOf?: (value: unknown) => unknown,
): Promise<unknown> {
  const before = await target.snapshot();
  target.resetRequests();
  let error: unknown;
  try {
    const value = await call();
    error = errorOf === undefined ? { resolved: value } : errorOf(value);
  } catch (thrown) {
    error = thrown;
  }
  expect(isProjectionKitError(error, expected.code), `expected ${expected.code}, got ${error instanceof Error ? error.stack : JSON.stringify(error)}`).toBe(true);
  if (expected.argument !== undefined) {
    expect((error as { argument?: string }).argument).toMatch(typeof expected.argument === "string" ? new RegExp(`^${escape(expected.argument)}$`) : expected.argument);
  }
  expect(target.requests()).toEqual([]);
  expect(await target.snapshot()).toEqual(before);
  return error;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
