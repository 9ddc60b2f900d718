import {
  DeleteTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type DeleteTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { requireClient, requireTableName } from "./adapter-options.js";
import { applyDecorators } from "./decorators.js";
import { httpOptions } from "./request-failure.js";
import { TableNotReadyError } from "./table-errors.js";
import { resolveDeleteTableOptions, type DeleteTableOptions } from "./table-options.js";

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
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      checkBudget(table, budget, "deleted"); // a table that keeps changing under us: give up in time
    }
    try {
      await dynamo.send(new DeleteTableCommand(input), httpOptions(resolved.signal, undefined));
      break;
    } catch (error) {
      // The SDK reports an aborted request as its own AbortError; the caller gets the reason it gave.
      resolved.signal?.throwIfAborted();
      if (isException(error, "ResourceNotFoundException")) {
        return;
      }
      if (!isException(error, "ResourceInUseException")) {
        throw error;
      }
      const existing = await describeTable(dynamo, table, resolved.signal);
      if (existing === undefined) {
        return;
      }
      if (existing.TableStatus === "DELETING") {
        break;
      }
      if (existing.TableStatus === "ACTIVE") {
        // In use for a reason waiting would not cure: the service's answer stands.
        throw error;
      }
      // CREATING, UPDATING …: DynamoDB deletes only ACTIVE tables.
      if ((await waitForTable(dynamo, table, "ACTIVE", budget)) === "GONE") {
        return;
      }
    }
  }
  if (resolved.wait) {
    await waitForTable(dynamo, table, "GONE", budget);
  }
}

/**
 * The time a table operation may spend waiting: all of its waits share one budget, counted from the
 * start of the call.
 *
 * @example
 * ```ts
 * const budget: WaitBudget = { signal: options.signal, startedAt: Date.now(), timeoutMs: 120_000 };
 * ```
 *
 * @internal
 */
export interface WaitBudget {
  readonly signal: AbortSignal | undefined;
  readonly startedAt: number;
  readonly timeoutMs: number;
}

/**
 * What a wait for a table ended with: the state it waited for, or (waiting for `ACTIVE`) a table
 * that is being deleted or is gone, which will never become ACTIVE.
 *
 * @example
 * ```ts
 * const outcome: TableWaitOutcome = await waitForTable(client, "Versions", "ACTIVE", budget);
 * ```
 *
 * @internal
 */
export type TableWaitOutcome = "ACTIVE" | "DELETING" | "GONE";

/** Errors of DescribeTable that polling again may cure. */
const TRANSIENT = new Set(["ThrottlingException", "RequestLimitExceeded", "LimitExceededException", "InternalServerError"]);

/**
 * Waits with the SDK's waiters: `waitUntilTableExists` (which succeeds on `ACTIVE` only) or
 * `waitUntilTableNotExists`. The waiter polls DescribeTable through a view of `client` that passes
 * the caller's signal to every request and ends the wait early, through the waiter's own
 * `abortSignal`, when polling cannot succeed:
 *
 * - a DescribeTable error that polling does not cure (say `AccessDeniedException`) is thrown
 *   unchanged, instead of being polled until the timeout, as the waiter alone would;
 * - waiting for `ACTIVE`, a table that is `DELETING` ends the wait with `"DELETING"`, and with
 *   `stopWhenGone` a table that is gone ends it with `"GONE"`. (Without it, a missing table is
 *   polled on: right after CreateTable, DescribeTable may not see the table yet.)
 *
 * Polls first at once, then after 1 s, backing off to 5 s. The waiter's timeout becomes
 * `TableNotReadyError`; an abort of the caller's signal rejects with the signal's reason.
 *
 * @example
 * ```ts
 * if ((await waitForTable(client, "Versions", "ACTIVE", budget)) === "DELETING") {
 *   await waitForTable(client, "Versions", "GONE", budget);
 * }
 * ```
 *
 * @internal
 */
export async function waitForTable(
  client: DynamoDBClient,
  table: string,
  until: "ACTIVE" | "GONE",
  budget: WaitBudget,
  stopWhenGone = true,
): Promise<TableWaitOutcome> {
  const awaited = until === "ACTIVE" ? "ACTIVE" : "deleted";
  const remainingMs = checkBudget(table, budget, awaited);
  const stop = new AbortController();
  const signal = budget.signal === undefined ? stop.signal : AbortSignal.any([budget.signal, stop.signal]);
  let early: { readonly outcome: TableWaitOutcome } | { readonly error: unknown } | undefined;
  const end = (reason: { readonly outcome: TableWaitOutcome } | { readonly error: unknown }): void => {
    early ??= reason;
    stop.abort();
  };
  const send = async (command: DescribeTableCommand): Promise<unknown> => {
    // After an early end the waiter still polls once more when its sleep ends: send nothing then.
    signal.throwIfAborted();
    try {
      const output = await client.send(command, { abortSignal: signal });
      if (until === "ACTIVE" && output.Table?.TableStatus === "DELETING") {
        end({ outcome: "DELETING" });
      }
      return output;
    } catch (error) {
      if (isException(error, "ResourceNotFoundException")) {
        if (until === "ACTIVE" && stopWhenGone) {
          end({ outcome: "GONE" });
        }
      } else if (!signal.aborted && !isTransient(error)) {
        end({ error });
      }
      throw error;
    }
  };
  const probe = Object.create(client, { send: { value: send } }) as DynamoDBClient;
  const maxWaitTime = remainingMs / 1000;
  const minDelay = Math.min(1, maxWaitTime / 4);
  const waiter = until === "ACTIVE" ? waitUntilTableExists : waitUntilTableNotExists;
  try {
    await waiter({ client: probe, maxWaitTime, minDelay, maxDelay: 5, abortSignal: signal }, { TableName: table });
    return until;
  } catch (error) {
    budget.signal?.throwIfAborted();
    if (early !== undefined) {
      if ("error" in early) {
        throw early.error;
      }
      return early.outcome;
    }
    if (isException(error, "TimeoutError")) {
      throw new TableNotReadyError(table, Date.now() - budget.startedAt, awaited, error);
    }
    throw error;
  } finally {
    stop.abort();
  }
}

/**
 * Describes a table; `undefined` when it does not exist. Other errors propagate unchanged, an
 * abort as the signal's reason.
 *
 * @example
 * ```ts
 * const status = (await describeTable(client, "Versions", signal))?.TableStatus; // undefined: no table
 * ```
 *
 * @internal
 */
export async function describeTable(client: DynamoDBClient, table: string, signal: AbortSignal | undefined): Promise<TableDescription | undefined> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: table }), httpOptions(signal, undefined));
    return output.Table ?? {};
  } catch (error) {
    signal?.throwIfAborted();
    if (isException(error, "ResourceNotFoundException")) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The milliseconds left of the budget; `TableNotReadyError` when none are.
 *
 * @example
 * ```ts
 * const remainingMs = checkBudget("Versions", budget, "ACTIVE");
 * ```
 *
 * @internal
 */
export function checkBudget(table: string, budget: WaitBudget, awaited: "ACTIVE" | "deleted"): number {
  const waitedMs = Date.now() - budget.startedAt;
  if (waitedMs >= budget.timeoutMs) {
    throw new TableNotReadyError(table, waitedMs, awaited);
  }
  return budget.timeoutMs - waitedMs;
}

/**
 * Whether `error` is an exception of that name, such as the SDK's `ResourceInUseException`.
 *
 * @example
 * ```ts
 * if (isException(error, "ResourceNotFoundException")) return; // already deleted
 * ```
 *
 * @internal
 */
export function isException(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

/** Whether polling again may cure a DescribeTable error: throttling, server or network errors. */
function isTransient(error: unknown): boolean {
  const exception = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    $fault?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = exception.$metadata?.httpStatusCode;
  return (
    (typeof exception.name === "string" && TRANSIENT.has(exception.name)) ||
    exception.$retryable !== undefined ||
    exception.$fault === "server" ||
    typeof status !== "number" ||
    status >= 500
  );
}
