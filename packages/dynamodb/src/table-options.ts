import type { CreateTableCommandInput, DeleteTableCommandInput } from "@aws-sdk/client-dynamodb";
import { describeValue, InvalidArgumentError, requireKnownKeys, requireOperationOptions, type OperationOptions } from "@projectionkit/core";
import { checkDecorators, type Decorators } from "./decorators.js";
import { resolveAttributeNames, type AttributeNames } from "./table-layout.js";

/**
 * Options of {@link createTable}. Every field is optional; unknown fields and fields of the wrong
 * type are `InvalidArgumentError`s, raised before any request (pitfall GP8, docs/specification.md).
 *
 * @example
 * ```ts
 * const options: CreateTableOptions = {
 *   attributeNames: { key: "pk" },
 *   decorators: { createTable: (input) => void (input.Tags = [{ Key: "team", Value: "ledger" }]) },
 *   waitTimeoutMs: 60_000,
 *   signal: AbortSignal.timeout(90_000),
 * };
 * ```
 */
export interface CreateTableOptions extends OperationOptions {
  /**
   * The attribute names; only `key` shapes the table (it is the HASH key, type B). Must match the
   * adapter's `attributeNames`. Default: the Go v0.7.1 layout, `HandlerAndResource` (D1).
   */
  readonly attributeNames?: Partial<AttributeNames> | undefined;
  /**
   * Decorators of the `CreateTable` request (D11), applied in order to the built input just before
   * it is sent. They may add to it (tags, streams, indexes, SSE, another billing mode) and may rename
   * the table, but not change the key schema or the key attribute's definition: that is a
   * `DecoratorBrokeVersionCheckError` and nothing is sent.
   */
  readonly decorators?: { readonly createTable?: Decorators<CreateTableCommandInput> | undefined } | undefined;
  /**
   * Whether to wait until the table is ACTIVE before resolving. Default `true`. With `false` the
   * call still waits for a table of that name that is being deleted to be gone, so that it can
   * create the new one.
   */
  readonly wait?: boolean | undefined;
  /**
   * How long the whole call may wait for the table, in milliseconds, before it rejects with
   * `TableNotReadyError`. Default 120 000.
   */
  readonly waitTimeoutMs?: number | undefined;
}

/**
 * Options of {@link deleteTable}. Every field is optional; unknown fields and fields of the wrong
 * type are `InvalidArgumentError`s, raised before any request (pitfall GP8, docs/specification.md).
 *
 * @example
 * ```ts
 * const options: DeleteTableOptions = { wait: false, signal: AbortSignal.timeout(10_000) };
 * ```
 */
export interface DeleteTableOptions extends OperationOptions {
  /**
   * Decorators of the `DeleteTable` request (D11), applied in order to the built input just before
   * it is sent.
   */
  readonly decorators?: { readonly deleteTable?: Decorators<DeleteTableCommandInput> | undefined } | undefined;
  /**
   * Whether to wait until the table is gone before resolving. Default `true`. With `false` the
   * call still waits for a table that is being created or updated to be ACTIVE, since DynamoDB only
   * deletes ACTIVE tables.
   */
  readonly wait?: boolean | undefined;
  /**
   * How long the whole call may wait for the table, in milliseconds, before it rejects with
   * `TableNotReadyError`. Default 120 000.
   */
  readonly waitTimeoutMs?: number | undefined;
}

/** The default of `waitTimeoutMs`: two minutes. */
const DEFAULT_WAIT_TIMEOUT_MS = 120_000;

/**
 * The checked options of a table operation, defaults filled in.
 *
 * @internal
 */
export interface ResolvedTableOptions<I> {
  readonly signal: AbortSignal | undefined;
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly decorators: Decorators<I> | undefined;
}

/**
 * The checked options of `createTable`.
 *
 * @internal
 */
export interface ResolvedCreateTableOptions extends ResolvedTableOptions<CreateTableCommandInput> {
  readonly attributeNames: AttributeNames;
}

/**
 * Checks the options of `createTable` and fills in defaults; then throws the signal's reason if it
 * is already aborted. No I/O.
 *
 * @internal
 */
export function resolveCreateTableOptions(options: CreateTableOptions | undefined): ResolvedCreateTableOptions {
  const given = checkTableOptions(options, ["attributeNames"], "createTable");
  const attributeNames = resolveAttributeNames(given["attributeNames"] as Partial<AttributeNames> | undefined, "options.attributeNames");
  const common = resolveCommon<CreateTableCommandInput>(given, "createTable");
  return { ...common, attributeNames };
}

/**
 * Checks the options of `deleteTable` and fills in defaults; then throws the signal's reason if it
 * is already aborted. No I/O.
 *
 * @internal
 */
export function resolveDeleteTableOptions(options: DeleteTableOptions | undefined): ResolvedTableOptions<DeleteTableCommandInput> {
  const given = checkTableOptions(options, [], "deleteTable");
  return resolveCommon<DeleteTableCommandInput>(given, "deleteTable");
}

const COMMON_OPTIONS = ["signal", "wait", "waitTimeoutMs", "decorators"];

/** Checks that the options are an object with known fields and a well-formed `decorators`. */
function checkTableOptions(options: unknown, extra: readonly string[], operation: string): Record<string, unknown> {
  const given = requireKnownKeys(options, "options", [...COMMON_OPTIONS, ...extra]);
  const decorators = given["decorators"];
  if (decorators !== undefined) {
    if (typeof decorators !== "object" || decorators === null || Array.isArray(decorators)) {
      throw new InvalidArgumentError("options.decorators", `expected an object like { ${operation}: decorator }, got ${describeValue(decorators)}`);
    }
    for (const [name, value] of Object.entries(requireKnownKeys(decorators, "options.decorators", [operation]))) {
      checkDecorators(value, `options.decorators.${name}`);
    }
  }
  return given;
}

/** Checks `wait`, `waitTimeoutMs` and `signal` (last, as it may throw the abort reason). */
function resolveCommon<I>(given: Record<string, unknown>, operation: string): ResolvedTableOptions<I> {
  const wait = given["wait"];
  if (wait !== undefined && typeof wait !== "boolean") {
    throw new InvalidArgumentError("options.wait", `expected a boolean, got ${describeValue(wait)}`);
  }
  const timeout = given["waitTimeoutMs"];
  if (timeout !== undefined && (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0)) {
    throw new InvalidArgumentError("options.waitTimeoutMs", `expected a positive number of milliseconds, got ${typeof timeout === "number" ? String(timeout) : describeValue(timeout)}`);
  }
  const { signal } = requireOperationOptions({ signal: given["signal"] } as OperationOptions);
  const decorators = (given["decorators"] as Record<string, Decorators<I> | undefined> | undefined)?.[operation];
  return {
    signal,
    wait: wait ?? true,
    waitTimeoutMs: timeout ?? DEFAULT_WAIT_TIMEOUT_MS,
    decorators,
  };
}
