import { randomUUID } from "node:crypto";
import {
  DescribeTableCommand,
  GetItemCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import {
  PROBE_EVENT_TYPE,
  type BackendCapabilities,
  type BackendContext,
  type FaultInjector,
  type FaultKind,
  type ProbeEvent,
  type ProjectionBackend,
  type RepositoryBackend,
} from "@projectionkit/conformance";
import { isProjectionKitError } from "@projectionkit/core";
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { documentItem, dynamoProjection, DynamoResourceRepository, MAX_PARTITION_KEY_BYTES, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { injectFault, lostResponseError, serviceException, type FaultPlan } from "../support/faults.js";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";

/**
 * The DynamoDB adapter as a backend of the conformance kit (`@projectionkit/conformance`): the
 * version store as a repository backend, and the probe projection on a "lists" table, with faults
 * injected by client middleware around real requests.
 */

/** The UTF-8 length of the backends' handler keys: `randomUUID()`, 36 ASCII characters. */
const HANDLER_KEY_BYTES = 36;

/**
 * What the DynamoDB backends can do: calls may run concurrently, a conflict reports the stored
 * version (read from `ALL_OLD` of the failed condition), batches commit through `handleEventBatch`
 * (B1–B4), and all three faults can be injected.
 *
 * Resources can be as long as the version item's key allows: 2048 bytes, minus the handler key
 * and the space after it (D1, D3). Versions could be almost 400 KB (the item limit, less the key
 * and the token); the kit goes up to 4 KB, which keeps its runs fast.
 */
export const DYNAMO_CAPABILITIES: BackendCapabilities = Object.freeze({
  concurrentCalls: true,
  reportsStoredVersion: true,
  batches: true,
  faults: Object.freeze(["before-commit", "lost-response", "throttling"] as const),
  maxResourceBytes: MAX_PARTITION_KEY_BYTES - HANDLER_KEY_BYTES - 1,
  maxVersionBytes: 4096,
});

/** The tables a probe projection uses: the adapter's version table and the probe's lists table. */
export interface ProbeTables {
  /** The version table, made with `createTable`. */
  readonly versions: string;
  /** The lists table, made with {@link createListsTable}: HASH key `List` of type S. */
  readonly lists: string;
}

/** A value, or a function that returns it when needed (table names known only after `beforeAll`). */
export type Lazy<T> = T | (() => T);

function resolve<T>(value: Lazy<T>): T {
  return typeof value === "function" ? (value as () => T)() : value;
}

/**
 * A factory of repository backends for `describeResourceRepositoryConformance`: each backend is a
 * {@link DynamoResourceRepository} on `client` and the version table, with a fresh random handler
 * key, so that no two backends share a version item.
 *
 * @param client - the client all repositories share (the kit injects no faults into them).
 * @param versionsTable - the version table, or a function that returns its name.
 * @returns the kit's `create`.
 *
 * @example
 * ```ts
 * describeResourceRepositoryConformance({
 *   name: "DynamoDB adapter",
 *   create: dynamoRepositoryBackend(localClient(), () => versionsTable),
 *   capabilities: DYNAMO_CAPABILITIES,
 * });
 * ```
 */
export function dynamoRepositoryBackend(client: DynamoDBClient, versionsTable: Lazy<string>): () => RepositoryBackend {
  return () => ({ repository: new DynamoResourceRepository(client, randomUUID(), resolve(versionsTable)) });
}

/** The attribute of a list item that holds the appended ids (a List of S). */
const IDS_ATTRIBUTE = "Ids";

/** The key of a probe list item: the backend's handler key isolates its lists from all others. */
function listKey(handlerKey: string, list: string): string {
  return `${handlerKey}/${list}`;
}

/** A lists-table key no probe ever writes (`#` where list keys have `/`). */
function absentKey(handlerKey: string): string {
  return `${handlerKey}#never-written`;
}

/**
 * The probe projection of the kit on DynamoDB (see `ProbeEvent`): each event appends its id to
 * the item `<handler key>/<list>` of the lists table with one `Update`; an event with
 * `failUserItem` adds a `ConditionCheck` on an item that never exists, so DynamoDB cancels the
 * whole transaction. With `coalescing`, it also has `handleEvents` (D16): a run of events appends
 * all its ids to each list with one `Update`, so a batch commits in one transaction, and a failing
 * event cancels the whole run's.
 *
 * @param handlerKey - the identity key, unique to the backend.
 * @param listsTable - the lists table.
 * @param pause - awaited before the items are produced (the kit's concurrency properties).
 * @param coalescing - whether to give `handleEvents`. Default `false`.
 * @returns the handler.
 *
 * @example
 * ```ts
 * const projection = dynamoProjection(client, versions, probeHandler(randomUUID(), lists, pause));
 * ```
 */
export function probeHandler(handlerKey: string, listsTable: string, pause: () => Promise<void>, coalescing = false): DynamoProjectionHandler<ProbeEvent> {
  const append = (list: string, ids: readonly string[]): TransactWriteItem =>
    documentItem({
      Update: {
        TableName: listsTable,
        Key: { List: listKey(handlerKey, list) },
        UpdateExpression: "SET #ids = list_append(if_not_exists(#ids, :empty), :ids)",
        ExpressionAttributeNames: { "#ids": IDS_ATTRIBUTE },
        ExpressionAttributeValues: { ":empty": [], ":ids": ids },
      },
    });
  const failingCheck = (): TransactWriteItem =>
    documentItem({
      ConditionCheck: {
        TableName: listsTable,
        Key: { List: absentKey(handlerKey) },
        // `List` is a reserved word: without the name placeholder DynamoDB refuses the request
        // (ValidationException) instead of cancelling the transaction on the condition.
        ConditionExpression: "attribute_exists(#list)",
        ExpressionAttributeNames: { "#list": "List" },
      },
    });
  const handler: DynamoProjectionHandler<ProbeEvent> = {
    configure(c) {
      c.identity("conformance-probe", handlerKey);
      c.handlesEvents(PROBE_EVENT_TYPE);
    },
    async handleEvent(_scope, event) {
      await pause();
      return event.failUserItem === true ? [append(event.list, [event.id]), failingCheck()] : [append(event.list, [event.id])];
    },
  };
  if (!coalescing) {
    return handler;
  }
  return {
    ...handler,
    async handleEvents(deliveries) {
      const lists = new Map<string, string[]>();
      let failing = false;
      for (const { event } of deliveries) {
        await pause();
        lists.set(event.list, [...(lists.get(event.list) ?? []), event.id]);
        failing ||= event.failUserItem === true;
      }
      const items = [...lists].map(([list, ids]) => append(list, ids));
      return failing ? [...items, failingCheck()] : items;
    },
  };
}

/**
 * Reads the ids of a probe list straight from the lists table, with a strongly consistent read.
 *
 * @param client - the client.
 * @param listsTable - the lists table.
 * @param handlerKey - the backend's handler key.
 * @param list - the list.
 * @returns the ids in order; empty when the item does not exist.
 *
 * @example
 * ```ts
 * expect(await readProbeList(client, lists, key, "a")).toEqual(["e0"]);
 * ```
 */
export async function readProbeList(client: DynamoDBClient, listsTable: string, handlerKey: string, list: string): Promise<readonly string[]> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: listsTable, Key: { List: { S: listKey(handlerKey, list) } }, ConsistentRead: true }),
  );
  const ids = Item?.[IDS_ATTRIBUTE]?.L ?? [];
  return ids.map((value, index) => {
    if (value.S === undefined) {
      throw new TypeError(`list ${list}: element ${index} of ${IDS_ATTRIBUTE} is not a string`);
    }
    return value.S;
  });
}

/**
 * The commands that commit a version: `TransactWriteItems` for events with items, and the
 * single-item writes the adapter uses for version-only writes.
 */
export const COMMIT_COMMANDS: readonly string[] = Object.freeze([
  "TransactWriteItemsCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
]);

/**
 * An error like the one the SDK raises when the connection is refused: the request never reached
 * DynamoDB.
 *
 * @returns the error.
 *
 * @example
 * ```ts
 * injectFault(client, { command: "PutItemCommand", when: "before", error: connectionRefusedError });
 * ```
 */
export function connectionRefusedError(): Error {
  return Object.assign(new Error("injected: connect ECONNREFUSED (the request never reached DynamoDB)"), {
    code: "ECONNREFUSED",
    $metadata: {},
  });
}

/**
 * How each fault kind breaks a commit request, in the order their middlewares are added. Of
 * middlewares in the same step and priority the first added runs outermost, so `lost-response`,
 * the only kind that passes the request on, comes last: nothing of ours is inside it to take a
 * second fault for the same request.
 */
const FAULT_PLANS: ReadonlyArray<readonly [FaultKind, Pick<FaultPlan, "when" | "error">]> = [
  // Never sent: nothing can have committed.
  ["before-commit", { when: "before", error: connectionRefusedError }],
  // Never sent; the "service" refuses it as over capacity.
  ["throttling", { when: "before", error: serviceException("ProvisionedThroughputExceededException", {}, 400) }],
  // Sent and committed; the answer is replaced by a timeout.
  ["lost-response", { when: "after", error: lostResponseError }],
];

/**
 * A fault injector over a client's middleware (kit clause K4): faults are queued, and each commit
 * request of the client (see {@link COMMIT_COMMANDS}) takes the fault at the head of the queue, so
 * `inject(kind, times)` breaks the next `times` commit requests, whoever sends them. Requests are
 * broken inside the SDK's retry loop (see `injectFault`), so a client with `maxAttempts > 1` may
 * hide a fault by retrying.
 *
 * @param client - the client to break; give each backend its own.
 * @returns the injector, and how many requests each kind broke so far.
 *
 * @example
 * ```ts
 * const faults = dynamoFaultInjector(client);
 * faults.inject("lost-response");
 * await projection.handleEvent(r, c, n, scope, event); // true: the adapter's retry finds its commit
 * ```
 */
export function dynamoFaultInjector(client: DynamoDBClient): FaultInjector & { readonly injected: () => Readonly<Record<FaultKind, number>> } {
  const pending: FaultKind[] = [];
  const installed = Object.fromEntries(
    FAULT_PLANS.map(([kind, plan]) => [
      kind,
      injectFault(client, {
        ...plan,
        command: COMMIT_COMMANDS,
        times: Number.POSITIVE_INFINITY,
        // Takes the fault at the head of the queue when it is of this kind: one fault per request.
        filter: () => {
          if (pending[0] !== kind) {
            return false;
          }
          pending.shift();
          return true;
        },
      }),
    ]),
  ) as Record<FaultKind, { readonly injected: number }>;
  return {
    inject(kind, times = 1) {
      if (!FAULT_PLANS.some(([known]) => known === kind)) {
        throw new TypeError(`unknown fault kind ${JSON.stringify(kind)}`);
      }
      if (!Number.isInteger(times) || times < 0) {
        throw new TypeError(`times: expected a non-negative integer, got ${times}`);
      }
      pending.push(...Array.from({ length: times }, () => kind));
    },
    reset() {
      pending.length = 0;
    },
    injected: () => ({
      "before-commit": installed["before-commit"].injected,
      "lost-response": installed["lost-response"].injected,
      throttling: installed.throttling.injected,
    }),
  };
}

/**
 * A factory of probe projection backends for `describeProjectionConformance`. Each backend gets
 * its own client from `makeClient` (so its fault middleware breaks only its own requests; it is
 * destroyed on teardown), a fresh random handler key (so its version items and lists are its own),
 * the probe projection of {@link probeHandler} bound with `dynamoProjection`, `readList` from
 * {@link readProbeList}, and a {@link dynamoFaultInjector}.
 *
 * @param makeClient - makes a new client, e.g. `() => localClient()`.
 * @param tables - the tables, or a function that returns them.
 * @param options - `coalescing`: the probe gives `handleEvents`, so batches commit a run in one
 *   transaction (see {@link probeHandler}). Default `false`: one transaction per event, since every
 *   event of a run appends to the same list item.
 * @returns the kit's `create`.
 *
 * @example
 * ```ts
 * describeProjectionConformance({
 *   name: "DynamoDB adapter",
 *   create: dynamoProjectionBackend(() => localClient(), () => tables),
 *   capabilities: DYNAMO_CAPABILITIES,
 * });
 * ```
 */
export function dynamoProjectionBackend(
  makeClient: () => DynamoDBClient,
  tables: Lazy<ProbeTables>,
  { coalescing = false }: { readonly coalescing?: boolean } = {},
): (context: BackendContext) => ProjectionBackend {
  return ({ pause }) => {
    const { versions, lists } = resolve(tables);
    const client = makeClient();
    const handlerKey = randomUUID();
    return {
      handler: dynamoProjection(client, versions, probeHandler(handlerKey, lists, pause, coalescing)),
      readList: (list) => readProbeList(client, lists, handlerKey, list),
      faults: dynamoFaultInjector(client),
      isUserItemFailure: (error) => isProjectionKitError(error, "ERR_ITEM_CONDITION_FAILED"),
      teardown: () => client.destroy(),
    };
  };
}

/**
 * Creates the lists table of the probe projection, idempotently: HASH key `List` of type S,
 * `PAY_PER_REQUEST`. An existing table with another key schema is an error. Resolves once the
 * table is ACTIVE.
 *
 * @param client - the client.
 * @param name - the table's name.
 * @param maxWaitSeconds - how long to wait for ACTIVE. Default 300.
 *
 * @example
 * ```ts
 * await createListsTable(client, "projectionkit-conformance-lists");
 * ```
 */
export async function createListsTable(client: DynamoDBClient, name: string, maxWaitSeconds = 300): Promise<void> {
  try {
    await createStringKeyTable(client, name, "List");
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name !== "ResourceInUseException") {
      throw error;
    }
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const key = Table?.KeySchema?.map((k) => `${k.KeyType} ${k.AttributeName}`).join(", ");
    const type = Table?.AttributeDefinitions?.find((d) => d.AttributeName === "List")?.AttributeType;
    if (key !== "HASH List" || type !== "S") {
      throw new Error(`table ${name} exists with key ${key ?? "(none)"} (List of type ${type ?? "?"}); the probe needs HASH List (S)`, { cause: error });
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds }, { TableName: name });
}
