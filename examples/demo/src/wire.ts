import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

// A middleware sees every command of the client: its input and output are loosely typed here.
type Handler = (args: any) => Promise<any>;

/** What crossed the wire: requests by command (throttled ones included). */
export interface WireMeter {
  readonly requests: Map<string, number>;
}

const WRITES = new Set(["TransactWriteItemsCommand", "PutItemCommand", "UpdateItemCommand", "DeleteItemCommand"]);

/**
 * Counts every request the client sends. (The write units come from the driver's counts: the
 * adapter reports each request's consumed capacity through `onRequest`.)
 *
 * @param client - the client to watch.
 * @param meter - where to add up.
 */
export function meterRequests(client: DynamoDBClient, meter: WireMeter): void {
  client.middlewareStack.add(
    (next: Handler, context: { commandName?: string }): Handler =>
      async (args) => {
        const command = String(context.commandName);
        meter.requests.set(command, (meter.requests.get(command) ?? 0) + 1);
        return next(args);
      },
    { step: "initialize", name: "demoWireMeter" },
  );
}

/** An error like the SDK's when a response never arrives. */
function lostResponse(): Error {
  return Object.assign(new Error("demo: the response was lost after DynamoDB applied the write"), { name: "TimeoutError", $metadata: {} });
}

/** An error like DynamoDB's when it throttles a request. */
function throttled(): Error {
  return Object.assign(new Error("demo: rate of requests exceeds the allowed throughput"), {
    name: "ThrottlingException",
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
  });
}

/** What the fault injector did. */
export interface InjectedFaults {
  lostResponses: number;
  throttled: number;
}

/**
 * Breaks some writes on their way: a lost response (the write is applied, the answer never comes)
 * or a throttle (the write never reaches DynamoDB), each at the given rate.
 *
 * @param client - the worker's client.
 * @param rate - the chance of each fault per write.
 * @param random - the random generator.
 * @param injected - where to count.
 */
export function injectFaults(client: DynamoDBClient, rate: number, random: () => number, injected: InjectedFaults): void {
  client.middlewareStack.add(
    (next: Handler, context: { commandName?: string }): Handler =>
      async (args) => {
        if (!WRITES.has(String(context.commandName))) {
          return next(args);
        }
        const dice = random();
        if (dice < rate) {
          injected.throttled++;
          throw throttled();
        }
        if (dice < 2 * rate) {
          await next(args);
          injected.lostResponses++;
          throw lostResponse();
        }
        return next(args);
      },
    { step: "deserialize", name: "demoFaults", priority: "high" },
  );
}
