import type { ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import type { RequestCost } from "@projectionkit/core";

/** A command's input, where `ReturnConsumedCapacity` is asked for. */
interface WithCapacityInput {
  readonly input: { ReturnConsumedCapacity?: string | undefined };
}

/**
 * Asks DynamoDB for the capacity a request consumes (`ReturnConsumedCapacity: TOTAL`), unless the
 * input already says what it wants.
 *
 * @internal
 * @param command - an SDK command of an operation that takes `ReturnConsumedCapacity`.
 */
export function askForCapacity(command: WithCapacityInput): void {
  command.input.ReturnConsumedCapacity ??= "TOTAL";
}

/**
 * Reports what a sent request cost through `onRequest`: one report per HTTP attempt the SDK made
 * (`$metadata.attempts`), the capacity units on the one that answered, none on the others. A
 * failed request reports no units (DynamoDB returns none with an error). A throwing `onRequest`
 * is ignored.
 *
 * @internal
 * @param onRequest - the caller's callback, if any.
 * @param operation - the operation's name, e.g. `"TransactWriteItems"`.
 * @param answer - the SDK's output or error.
 * @param succeeded - whether `answer` is an output.
 */
export function reportRequestCost(
  onRequest: ((cost: RequestCost) => void) | undefined,
  operation: string,
  answer: unknown,
  succeeded: boolean,
): void {
  if (onRequest === undefined) {
    return;
  }
  const attempts = Math.max(1, Number((answer as { $metadata?: { attempts?: number } } | null)?.$metadata?.attempts ?? 1) || 1);
  const call = (cost: RequestCost): void => {
    try {
      onRequest(cost);
    } catch {
      // Observability must not change what is committed.
    }
  };
  for (let attempt = 1; attempt < attempts; attempt++) {
    call({ operation });
  }
  if (!succeeded) {
    call({ operation });
    return;
  }
  const consumed = (answer as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] } | null)?.ConsumedCapacity;
  const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  if (entries.length === 0) {
    call({ operation });
    return;
  }
  const reads = operation === "GetItem" || operation === "TransactGetItems";
  let readUnits = 0;
  let writeUnits = 0;
  for (const entry of entries) {
    readUnits += entry.ReadCapacityUnits ?? (reads ? (entry.CapacityUnits ?? 0) : 0);
    writeUnits += entry.WriteCapacityUnits ?? (reads ? 0 : (entry.CapacityUnits ?? 0));
  }
  call({ operation, readUnits, writeUnits });
}
