// Counts what a client sends on the wire, with client middleware that only observes (and asks for
// ReturnConsumedCapacity, which changes nothing DynamoDB does): requests by operation, failed
// requests, and the write and read units DynamoDB reports. Alongside, the write units of every
// committed TransactWriteItems by the documented rule (support/write-units.ts): DynamoDB Local
// 1.25.1 reports wrong units for a transaction over two tables (each table gets the units of the
// whole transaction: 4 + 4 for a Put and an Update of 2 each, where dynalite reports 2 + 2), so
// its figures use the rule for transactions (see Emulator.transactionUnits).
import type { DynamoDBClient, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { transactionWriteUnits } from "./write-units.ts";

/** Operations whose input takes ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set(["TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "GetItem", "TransactGetItems"]);
const READS = new Set(["GetItem", "TransactGetItems"]);

interface Capacity {
  readonly CapacityUnits?: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
}

/**
 * What one meter has counted since its last reset.
 *
 * @example
 * ```ts
 * const { requests, writeUnits }: WireCounts = meter.counts;
 * ```
 */
export interface WireCounts {
  requests: number;
  /** Requests that failed (a conflict, a cancelled transaction, a throttle …). */
  failed: number;
  /** Write units as reported (ConsumedCapacity). */
  writeUnits: number;
  /** Write units with those of transactions by the documented rule, the others as reported. */
  writeUnitsByRule: number;
  readUnits: number;
  /** Committed transactions whose reported units differ from the rule's. */
  transactionsOffRule: number;
  readonly byOperation: Record<string, number>;
}

/**
 * A meter on one client.
 *
 * @example
 * ```ts
 * const meter: WireMeter = meterClient(client);
 * meter.reset();
 * ```
 */
export interface WireMeter {
  readonly counts: WireCounts;
  reset(): void;
}

function emptyCounts(): WireCounts {
  return { requests: 0, failed: 0, writeUnits: 0, writeUnitsByRule: 0, readUnits: 0, transactionsOffRule: 0, byOperation: {} };
}

/**
 * Adds the meter to `client` (every command sent through it from now on).
 *
 * @example
 * ```ts
 * const meter = meterClient(client);
 * await projection.handleEvent(resource, current, next, scope, event);
 * meter.counts.requests; // 1
 * ```
 */
export function meterClient(client: DynamoDBClient): WireMeter {
  const meter = { counts: emptyCounts(), reset: () => void (meter.counts = emptyCounts()) };
  client.middlewareStack.add(
    ((next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => {
        const operation = String(context.commandName).replace(/Command$/, "");
        const counts = meter.counts;
        counts.requests++;
        counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
        if (CAPACITY_OPERATIONS.has(operation)) args.input["ReturnConsumedCapacity"] ??= "TOTAL";
        let result: { output: Record<string, unknown> };
        try {
          result = await next(args);
        } catch (error) {
          counts.failed++;
          throw error;
        }
        const consumed = result.output["ConsumedCapacity"] as Capacity | Capacity[] | undefined;
        const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
        let written = 0;
        for (const entry of entries) {
          const units = entry.CapacityUnits ?? 0;
          counts.readUnits += entry.ReadCapacityUnits ?? (READS.has(operation) ? units : 0);
          written += entry.WriteCapacityUnits ?? (READS.has(operation) ? 0 : units);
        }
        counts.writeUnits += written;
        if (operation === "TransactWriteItems") {
          const byRule = transactionWriteUnits(args.input as unknown as TransactWriteItemsCommandInput);
          counts.writeUnitsByRule += byRule;
          if (byRule !== written) counts.transactionsOffRule++;
        } else {
          counts.writeUnitsByRule += written;
        }
        return result;
      }) as never,
    { step: "initialize", name: "benchWireMeter", override: true },
  );
  return meter;
}
