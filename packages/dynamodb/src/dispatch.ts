import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RequestCost } from "@projectionkit/core";
import { askForCapacity, reportRequestCost } from "./request-cost.js";
import { mayHaveCommitted, neverReachedDynamo } from "./service-errors.js";

/**
 * What sending a command threw, and what its attempts (the SDK's own retries inside one send) may
 * have done. A request that never left the client (a serialisation error, a bad argument the SDK
 * caught) or provably never reached DynamoDB (connection refused, name not resolved) cannot have
 * committed; one that reached it may have, whatever came back.
 *
 * @internal
 */
export class DispatchFailure {
  readonly error: unknown;
  /** Whether the last attempt, whose failure `error` is, may have reached DynamoDB. */
  readonly dispatched: boolean;
  /** Whether an earlier attempt of this send reached DynamoDB and got no definite "not applied". */
  readonly earlierAttemptMayHaveCommitted: boolean;

  constructor(error: unknown, dispatched: boolean, earlierAttemptMayHaveCommitted = false) {
    this.error = error;
    this.dispatched = dispatched;
    this.earlierAttemptMayHaveCommitted = earlierAttemptMayHaveCommitted;
  }
}

/** Any command of the DynamoDB client: it has a middleware stack of its own. */
interface Sendable {
  readonly middlewareStack: { add(middleware: unknown, options: unknown): void };
  readonly input: { ReturnConsumedCapacity?: string | undefined };
}

type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;

/**
 * The per-request options of `client.send`: the caller's abort signal and the configured timeout.
 *
 * @internal
 */
export function httpOptions(
  signal: AbortSignal | undefined,
  requestTimeoutMs: number | undefined,
): { abortSignal?: AbortSignal; requestTimeout?: number } {
  return {
    ...(signal === undefined ? {} : { abortSignal: signal }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeout: requestTimeoutMs }),
  };
}

/**
 * Sends `command`, watching each of its attempts with a middleware on the command only, inside the
 * SDK's retry loop: whether it left the client, and how it failed. Rejects with a
 * {@link DispatchFailure}.
 *
 * @internal
 */
export async function dispatch<O>(
  client: DynamoDBClient,
  command: Sendable,
  signal: AbortSignal | undefined,
  requestTimeoutMs: number | undefined,
  onRequest?: ((cost: RequestCost) => void) | undefined,
): Promise<O> {
  // One entry per attempt that left the client: may it have committed?
  const attempts: boolean[] = [];
  let seen: unknown;
  const marker: Middleware = (next) => async (args) => {
    const index = attempts.push(true) - 1;
    try {
      return await next(args);
    } catch (error) {
      attempts[index] = mayHaveCommitted(error);
      seen = error;
      throw error;
    }
  };
  command.middlewareStack.add(
    marker,
    { step: "finalizeRequest", priority: "low", name: "projectionkitDispatchMarker", override: true },
  );
  const operation = command.constructor.name.replace(/Command$/, "");
  if (onRequest !== undefined) {
    askForCapacity(command);
  }
  try {
    const output = (await client.send(command as never, httpOptions(signal, requestTimeoutMs))) as O;
    reportRequestCost(onRequest, operation, output, true);
    return output;
  } catch (error) {
    if (attempts.length > 0) {
      reportRequestCost(onRequest, operation, error, false);
    }
    // The error of the last attempt that left the client, or one raised before it left.
    const last = attempts.length > 0 && error === seen;
    throw new DispatchFailure(error, last && !neverReachedDynamo(error), (last ? attempts.slice(0, -1) : attempts).some(Boolean));
  }
}
