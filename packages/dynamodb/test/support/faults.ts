import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Client middleware for tests: count what the adapter sends, and inject faults around real
 * requests to DynamoDB Local. Nothing here replaces DynamoDB; it only watches or breaks the wire.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Middleware = (next: (args: any) => Promise<any>, context: { commandName?: string }) => (args: any) => Promise<any>;

export interface RequestLog {
  /** Command names in the order they were sent, e.g. ["TransactWriteItemsCommand"]. */
  readonly commands: string[];
  /** The inputs, in the same order. */
  readonly inputs: unknown[];
  count(command?: string): number;
  reset(): void;
}

/** Records every command the client sends (once per call, before the SDK's retries). */
export function logRequests(client: DynamoDBClient): RequestLog {
  const commands: string[] = [];
  const inputs: unknown[] = [];
  const middleware: Middleware = (next, context) => async (args) => {
    commands.push(String(context.commandName));
    inputs.push(structuredClone(args.input));
    return next(args);
  };
  client.middlewareStack.add(middleware as never, { step: "initialize", name: `logRequests-${Math.random()}` });
  return {
    commands,
    inputs,
    count: (command) => (command === undefined ? commands.length : commands.filter((c) => c === command).length),
    reset: () => {
      commands.length = 0;
      inputs.length = 0;
    },
  };
}

/** An error like the one the SDK raises when a response never arrives. */
export function lostResponseError(): Error {
  return Object.assign(new Error("injected: the response was lost after DynamoDB processed the request"), {
    name: "TimeoutError",
    $metadata: {},
  });
}

export interface FaultPlan {
  /** Which command(s) to break, e.g. "TransactWriteItemsCommand" or ["PutItemCommand", "UpdateItemCommand"]. */
  readonly command: string | readonly string[];
  /**
   * `after`: the request reaches DynamoDB and commits, then the response is lost.
   * `before`: the request never reaches DynamoDB.
   */
  readonly when: "after" | "before";
  /** How many requests to break; then the fault stops. Default 1. */
  readonly times?: number;
  /** The error to throw. Default {@link lostResponseError}. */
  readonly error?: () => unknown;
  /** Only break a request when this returns true (e.g. to pick one worker's request). */
  readonly filter?: (input: unknown) => boolean;
}

export interface Fault {
  /** How many requests were broken so far. */
  readonly injected: number;
}

/** Breaks the next matching request(s) per the plan, inside the SDK's retry loop. */
export function injectFault(client: DynamoDBClient, plan: FaultPlan): Fault {
  let remaining = plan.times ?? 1;
  const commands: readonly string[] = typeof plan.command === "string" ? [plan.command] : plan.command;
  const state = { injected: 0 };
  const middleware: Middleware = (next, context) => async (args) => {
    const hit =
      remaining > 0 && commands.includes(String(context.commandName)) && (plan.filter?.((args as { input: unknown }).input) ?? true);
    if (!hit) {
      return next(args);
    }
    remaining--;
    state.injected++;
    if (plan.when === "after") {
      await next(args);
    }
    throw (plan.error ?? lostResponseError)();
  };
  client.middlewareStack.add(middleware as never, { step: "deserialize", name: `injectFault-${Math.random()}`, priority: "high" });
  return state;
}

/** Makes the service's answer to the next matching request a given exception, without sending it. */
export function serviceException(name: string, fields: Record<string, unknown> = {}, status = 400): () => unknown {
  return () =>
    Object.assign(new Error(`injected ${name}`), {
      name,
      $fault: status >= 500 ? "server" : "client",
      $metadata: { httpStatusCode: status },
      ...fields,
    });
}

/**
 * Answers the client's next TransactWriteItems, without sending it, with a
 * `TransactionCanceledException` that gives these cancellation reasons (whatever their form).
 */
export function cancelNextTransaction(client: DynamoDBClient, reasons: unknown): Fault {
  return injectFault(client, { command: "TransactWriteItemsCommand", when: "before", error: serviceException("TransactionCanceledException", { CancellationReasons: reasons }) });
}

/** Runs `action` right after the next matching request completes (e.g. another worker's write). */
export function afterRequest(client: DynamoDBClient, command: string, action: () => Promise<void>): void {
  let done = false;
  const middleware: Middleware = (next, context) => async (args) => {
    const result = await next(args);
    if (!done && context.commandName === command) {
      done = true;
      await action();
    }
    return result;
  };
  client.middlewareStack.add(middleware as never, { step: "initialize", name: `afterRequest-${Math.random()}` });
}
