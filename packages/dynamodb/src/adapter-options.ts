import type {
  DeleteItemCommandInput,
  DynamoDBClient,
  GetItemCommandInput,
  PutItemCommandInput,
  TransactWriteItemsCommandInput,
  UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { describeValue, InvalidArgumentError, requireKnownKeys } from "@projectionkit/core";
import { checkDecorators, type Decorators } from "./decorators.js";
import { resolveAttributeNames, type AttributeNames } from "./table-layout.js";

/**
 * Decorators for the requests the adapter sends (D11). Each runs on the fully built input just
 * before it is sent; several run in order. They may add to a request (say
 * `ReturnConsumedCapacity`, or a `ConditionCheck` appended to a transaction) but not change the
 * version check: the adapter refuses such a request with `DecoratorBrokeVersionCheckError`.
 *
 * | operation | used by |
 * |---|---|
 * | `getItem` | `resourceVersion`, and the check of a write with both versions empty |
 * | `putItem` | creating a version without items; `storeResourceVersion` |
 * | `updateItem` | advancing a version without items |
 * | `deleteItem` | deleting a version without items; `deleteResource`, `closeResource` |
 * | `transactWriteItems` | every write with items (the version write is action 0) |
 *
 * @example
 * ```ts
 * const decorators: RequestDecorators = {
 *   transactWriteItems: (input) => {
 *     input.ReturnConsumedCapacity = "TOTAL";
 *   },
 * };
 * ```
 */
export interface RequestDecorators {
  readonly getItem?: Decorators<GetItemCommandInput> | undefined;
  readonly putItem?: Decorators<PutItemCommandInput> | undefined;
  readonly updateItem?: Decorators<UpdateItemCommandInput> | undefined;
  readonly deleteItem?: Decorators<DeleteItemCommandInput> | undefined;
  readonly transactWriteItems?: Decorators<TransactWriteItemsCommandInput> | undefined;
}

/**
 * Options shared by {@link DynamoResourceRepository} and {@link dynamoProjection}.
 *
 * @example
 * ```ts
 * const options: DynamoAdapterOptions = {
 *   attributeNames: { key: "pk" },
 *   keySchemas: { ReadModel: ["pk", "sk"] },
 *   requestTimeoutMs: 2_000,
 * };
 * ```
 */
export interface DynamoAdapterOptions {
  /** Attribute names of the version table; defaults are the Go v0.7.1 layout (D1). */
  readonly attributeNames?: Partial<AttributeNames> | undefined;
  /** Request decorators (D11). */
  readonly decorators?: RequestDecorators | undefined;
  /**
   * Read versions with strongly consistent reads. Default `true`: an eventually consistent read
   * right after a write causes needless conflicts (pitfall GP6, docs/specification.md).
   */
  readonly consistentRead?: boolean | undefined;
  /**
   * How many times one call sends its write when responses are lost (network errors, timeouts,
   * server errors), always with the same token (D8). On top of the client's own retries.
   * Default 3.
   */
  readonly maxCommitAttempts?: number | undefined;
  /**
   * The key attribute names of the tables the projection writes to, the partition key first, then
   * the sort key: e.g. `{ ReadModel: ["pk", "sk"] }`. With them the adapter finds two actions on
   * one item among `Put`s and checks the key size limits before sending (D9, D15). For a table
   * not named here the adapter learns the key from the `Key`s of the same transaction, or, when a
   * `Put` needs it, with one `DescribeTable` per table and client, cached for the process (which
   * needs the `dynamodb:DescribeTable` permission on that table).
   */
  readonly keySchemas?: Readonly<Record<string, readonly string[]>> | undefined;
  /** A per-request HTTP timeout in milliseconds, passed to `client.send`. Default: the client's. */
  readonly requestTimeoutMs?: number | undefined;
}

/** @internal */
export interface ResolvedAdapterOptions {
  readonly table: string;
  readonly attributeNames: AttributeNames;
  readonly decorators: RequestDecorators;
  readonly consistentRead: boolean;
  readonly maxCommitAttempts: number;
  readonly keySchemas: Readonly<Record<string, readonly string[]>>;
  readonly requestTimeoutMs: number | undefined;
}

const OPTION_NAMES = ["attributeNames", "decorators", "consistentRead", "maxCommitAttempts", "keySchemas", "requestTimeoutMs"] as const;
const DECORATOR_NAMES = ["getItem", "putItem", "updateItem", "deleteItem", "transactWriteItems"] as const;

/**
 * Checks a client argument: anything with a `send` method, as `DynamoDBClient` has.
 *
 * @internal
 */
export function requireClient(client: unknown): DynamoDBClient {
  if (typeof client !== "object" || client === null || typeof (client as { send?: unknown }).send !== "function") {
    throw new InvalidArgumentError("client", "expected a DynamoDBClient from @aws-sdk/client-dynamodb");
  }
  return client as DynamoDBClient;
}

/**
 * Checks a table name: 3 to 255 characters of `[A-Za-z0-9_.-]`.
 *
 * @internal
 */
export function requireTableName(table: unknown, argument = "table"): string {
  if (typeof table !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw new InvalidArgumentError(argument, "expected a DynamoDB table name: 3 to 255 characters of A-Z a-z 0-9 _ . -");
  }
  return table;
}

/**
 * Checks the options and fills in defaults; unknown options are errors, never ignored (pitfall GP8
 * in docs/specification.md).
 *
 * @internal
 */
export function resolveAdapterOptions(table: string, options: DynamoAdapterOptions | undefined, extra: readonly string[] = []): ResolvedAdapterOptions {
  const given = requireKnownKeys(options, "options", [...OPTION_NAMES, ...extra]) as DynamoAdapterOptions;
  if (given.decorators !== undefined && (typeof given.decorators !== "object" || given.decorators === null || Array.isArray(given.decorators))) {
    throw new InvalidArgumentError("options.decorators", `expected an object like { transactWriteItems: decorator }, got ${describeValue(given.decorators)}`);
  }
  const decorators = requireKnownKeys(given.decorators, "options.decorators", DECORATOR_NAMES) as RequestDecorators;
  for (const [name, value] of Object.entries(decorators)) {
    checkDecorators(value, `options.decorators.${name}`);
  }
  if (given.consistentRead !== undefined && typeof given.consistentRead !== "boolean") {
    throw new InvalidArgumentError("options.consistentRead", "expected a boolean");
  }
  const attempts = given.maxCommitAttempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) {
    throw new InvalidArgumentError("options.maxCommitAttempts", "expected an integer from 1 to 20");
  }
  const timeout = given.requestTimeoutMs;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw new InvalidArgumentError("options.requestTimeoutMs", "expected a positive number of milliseconds");
  }
  const keySchemas = given.keySchemas ?? {};
  if (typeof keySchemas !== "object" || keySchemas === null) {
    throw new InvalidArgumentError("options.keySchemas", "expected an object from table name to key attribute names");
  }
  for (const [name, attributes] of Object.entries(keySchemas)) {
    if (!Array.isArray(attributes) || attributes.length < 1 || attributes.length > 2 || !attributes.every((a) => typeof a === "string" && a.length > 0)) {
      throw new InvalidArgumentError(`options.keySchemas.${name}`, "expected one or two key attribute names");
    }
  }
  return Object.freeze({
    table,
    attributeNames: resolveAttributeNames(given.attributeNames),
    decorators,
    consistentRead: given.consistentRead ?? true,
    maxCommitAttempts: attempts,
    keySchemas,
    requestTimeoutMs: timeout,
  });
}
