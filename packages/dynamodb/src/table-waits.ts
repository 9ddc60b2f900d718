import { DescribeTableCommand, waitUntilTableExists, waitUntilTableNotExists, type DynamoDBClient, type TableDescription } from "@aws-sdk/client-dynamodb";
import { httpOptions } from "./dispatch.js";
import { isException, isTransientError } from "./service-errors.js";
import { TableNotReadyError } from "./table-errors.js";

/*
 * Waiting for a table to become ACTIVE or to be gone, within one time budget per call: what
 * createTable and deleteTable share.
 */

/**
 * The time a table operation may spend waiting: all of its waits share one budget, counted from the
 * start of the call.
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
 * @internal
 */
export type TableWaitOutcome = "ACTIVE" | "DELETING" | "GONE";

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
      } else if (!signal.aborted && !isTransientError(error)) {
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
 * @internal
 */
export function checkBudget(table: string, budget: WaitBudget, awaited: "ACTIVE" | "deleted"): number {
  const waitedMs = Date.now() - budget.startedAt;
  if (waitedMs >= budget.timeoutMs) {
    throw new TableNotReadyError(table, waitedMs, awaited);
  }
  return budget.timeoutMs - waitedMs;
}
