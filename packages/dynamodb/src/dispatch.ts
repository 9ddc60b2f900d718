import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RequestCost } from "@projectionkit/core";
import { askForCapacity, reportRequestCost } from "./request-cost.js";
import { httpOptions } from "./request-failure.js";

/**
 * What sending a command threw, and whether the request had left the client by then. A request
 * that never left (a serialisation error, a bad argument the SDK caught) cannot have committed; one
 * that left may have, whatever came back.
 *
 * @internal
 */
export class DispatchFailure {
  readonly error: unknown;
  readonly dispatched: boolean;

  constructor(error: unknown, dispatched: boolean) {
    this.error = error;
    this.dispatched = dispatched;
  }
}

/** Any command of the DynamoDB client: it has a middleware stack of its own. */
interface Sendable {
  readonly middlewareStack: { add(middleware: unknown, options: unknown): void };
  readonly input: { ReturnConsumedCapacity?: string | undefined };
}

type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;

/**
 * Sends `command`, marking (with a middleware on the command only, inside the SDK's retry loop)
 * the moment a request leaves the client. Rejects with a {@link DispatchFailure}.
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
  let dispatched = false;
  const marker: Middleware = (next) => async (args) => {
    dispatched = true;
    return next(args);
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
    if (dispatched) {
      reportRequestCost(onRequest, operation, error, false);
    }
    throw new DispatchFailure(error, dispatched);
  }
}
