import type { DynamoDBClient, TableDescription } from "@aws-sdk/client-dynamodb";
import { isException } from "./service-errors.js";
import { checkBudget, describeTable, type WaitBudget } from "./table-waits.js";

/*
 * The loop of createTable and deleteTable: send the table request, and when DynamoDB answers that
 * the table is in use, look at the table and decide; send again while the budget lasts.
 */

/**
 * What a table operation does next: send its request again, go on as if the request went through
 * (then `settle` decides), or stop, done.
 *
 * @internal
 */
export type TableStep = "again" | "sent" | "done";

/**
 * A table operation as {@link runTableRequest} drives it.
 *
 * @internal
 */
export interface TableRequest {
  /** The table, as the decorators left its name. */
  readonly table: string;
  /** What the operation ends with, as `TableNotReadyError` names it when the budget runs out. */
  readonly awaited: "ACTIVE" | "deleted";
  readonly budget: WaitBudget;
  /** Sends the request once: `"sent"`, or `"done"` when the answer already settles the operation. */
  send(): Promise<TableStep>;
  /**
   * Decides after a `ResourceInUseException` (`error`), given the table as DescribeTable shows it
   * now (`undefined`: gone).
   */
  inUse(existing: TableDescription | undefined, error: unknown): Promise<TableStep>;
  /** Decides once the request went through, or was taken as such: wait for the table, or not. */
  settle(): Promise<TableStep>;
}

/**
 * Sends `request` until one of its steps says it is done. From the second attempt on, the budget is
 * checked first: a table that keeps changing under us gives up in time, with `TableNotReadyError`.
 * An aborted signal rejects with its reason; errors other than `ResourceInUseException` propagate
 * unchanged.
 *
 * @internal
 */
export async function runTableRequest(client: DynamoDBClient, request: TableRequest): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      checkBudget(request.table, request.budget, request.awaited);
    }
    let step = await sendOnce(client, request);
    if (step === "sent") {
      step = await request.settle();
    }
    if (step === "done") {
      return;
    }
  }
}

async function sendOnce(client: DynamoDBClient, request: TableRequest): Promise<TableStep> {
  try {
    return await request.send();
  } catch (error) {
    // The SDK reports an aborted request as its own AbortError; the caller gets the reason it gave.
    request.budget.signal?.throwIfAborted();
    if (!isException(error, "ResourceInUseException")) {
      throw error;
    }
    return request.inUse(await describeTable(client, request.table, request.budget.signal), error);
  }
}
