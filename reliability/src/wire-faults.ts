import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { drawFault, type FaultCounts, type FaultKind, type FaultRates } from "./fault-plan.js";

// A middleware sees every command of the client: its input and output are loosely typed here.
type Handler = (args: { input: Record<string, unknown> }) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** What one client sent: requests by command, throttled and refused ones included. */
export interface WireMeter {
  readonly requests: Map<string, number>;
}

/**
 * Counts every request the client attempts, by command, the faulted ones included (each attempt of
 * the adapter's own retries counts; the SDK's are off: `maxAttempts: 1`). Add it before
 * {@link injectWireFaults}.
 *
 * @param client - the client to watch.
 * @param meter - where to add up.
 *
 * @example
 * ```ts
 * const meter: WireMeter = { requests: new Map() };
 * meterRequests(client, meter);
 * ```
 */
export function meterRequests(client: DynamoDBClient, meter: WireMeter): void {
  const middleware: Middleware = (next, context) => async (args) => {
    const command = String(context.commandName).replace(/Command$/, "");
    meter.requests.set(command, (meter.requests.get(command) ?? 0) + 1);
    return next(args);
  };
  // Next to the wire, outside the fault injector when added first: every attempt counts, faulted or not.
  client.middlewareStack.add(middleware as never, { step: "deserialize", name: "reliabilityMeter", priority: "high" });
}

/**
 * Breaks requests of a real client on their way to the emulator, at the given rates (see
 * {@link FaultKind}): throttles, refused connections and transaction conflicts never reach it;
 * a lost answer comes after the emulator applied the request. Added as the innermost middleware,
 * next to the wire, after the adapter's own middleware has marked the request as sent.
 *
 * @param client - a worker's client.
 * @param plan - the rates, the random generator, and where to count what was injected.
 *
 * @example
 * ```ts
 * injectWireFaults(client, { rates: SOAK_FAULT_RATES, random: seededRandom(7), injected: emptyFaultCounts() });
 * ```
 */
export function injectWireFaults(client: DynamoDBClient, plan: { readonly rates: FaultRates; readonly random: () => number; readonly injected: FaultCounts }): void {
  const middleware: Middleware = (next, context) => async (args) => {
    const transaction = context.commandName === "TransactWriteItemsCommand";
    const fault = drawFault(plan.rates, plan.random, (kind) => kind !== "conflict" || transaction);
    if (fault === undefined) {
      return next(args);
    }
    plan.injected[fault]++;
    if (fault === "lost") {
      await next(args);
    }
    throw faultError(fault, args.input);
  };
  client.middlewareStack.add(middleware as never, { step: "deserialize", name: "reliabilityFaults", priority: "high" });
}

/** The error a real client gets for each fault, in the SDK's shapes. */
function faultError(kind: FaultKind, input: Record<string, unknown>): Error {
  switch (kind) {
    case "throttled":
      return Object.assign(new Error("Rate of requests exceeds the allowed throughput."), {
        name: "ThrottlingException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      });
    case "refused":
      return Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED", errno: -111, syscall: "connect", $metadata: {} });
    case "lost":
      return Object.assign(new Error("socket hang up"), { code: "ECONNRESET", $metadata: {} });
    case "conflict": {
      const actions = Array.isArray(input["TransactItems"]) ? input["TransactItems"].length : 1;
      const held = Math.min(1, actions - 1);
      const reasons = Array.from({ length: actions }, (_, index) =>
        index === held ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" } : { Code: "None" },
      );
      return Object.assign(new Error(`Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`), {
        name: "TransactionCanceledException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: reasons,
      });
    }
  }
}
