import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { resolveConformanceSettings } from "@projectionkit/conformance";
import { DeliveryDriver, isRetryableError, streamResource, type DeliveryOutcome, type SourceEvent } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lostResponseError, serviceException } from "../support/faults.js";
import { createRowTables, ROW_VERSIONS, rowIdsStartingWith, rowPerEvent, type RowEvent } from "../support/rows.js";
import { suiteDynalite } from "../support/suite-dynalite.js";

// G8 over the DynamoDB adapter on dynalite: batching changes how many requests carry the events,
// never what becomes of them. The same deliveries with the same faults (each attached to an event:
// the first request that carries it is throttled, or commits and loses its answer, or commits,
// loses its answer and the adapter's retry is throttled so that the outcome is ambiguous) give the
// same per-event outcomes (applied and duplicate alike) and the same rows, batched or not.

const FAULTS = ["throttled", "lost-response", "ambiguous"] as const;
type Fault = (typeof FAULTS)[number];

const STREAMS = ["a", "b"] as const;
const OFFSETS = [0, 1, 2, 3, 4] as const;
const settings = resolveConformanceSettings({ numRuns: 10 });

let run = 0;
/** Faults that fired, by kind, over all runs: the property must have met each kind. */
const fired: Record<Fault, number> = { throttled: 0, "lost-response": 0, ambiguous: 0 };

const running = suiteDynalite((d) => createRowTables(d.client));

const rows = rowPerEvent<RowEvent>("equivalence", "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e");

/** Breaks the first request that carries each faulty event, as its fault says. */
function injectEventFaults(client: DynamoDBClient, faults: Map<string, Fault>): void {
  let throttleNext = false;
  client.middlewareStack.add(
    ((next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      if (throttleNext) {
        throttleNext = false;
        throw serviceException("ThrottlingException")();
      }
      const carried = ((args.input as { TransactItems?: Array<{ Put?: { Item?: { pk?: { S?: string } } } }> }).TransactItems ?? [])
        .map((item) => item.Put?.Item?.pk?.S)
        .filter((id): id is string => id !== undefined && faults.has(id));
      const fault = carried.length === 0 ? undefined : faults.get(carried[0] as string);
      for (const id of carried) faults.delete(id);
      if (fault !== undefined) fired[fault]++;
      if (fault === "throttled") throw serviceException("ThrottlingException")();
      const result = await next(args);
      if (fault === undefined) return result;
      throttleNext = fault === "ambiguous";
      throw lostResponseError();
    }) as never,
    { step: "deserialize", priority: "high", name: "eventFaults" },
  );
}

async function deliverAllCalls(
  calls: ReadonlyArray<ReadonlyArray<{ stream: string; offset: number }>>,
  faults: ReadonlyMap<string, Fault>,
  maxBatchSize: number,
  prefix: string,
) {
  const client = running().createClient();
  injectEventFaults(client, new Map([...faults].map(([id, fault]) => [`${prefix}-${id}`, fault])));
  const driver = new DeliveryDriver(dynamoProjection(client, ROW_VERSIONS, rows), {
    maxBatchSize,
    isRetryable: isRetryableError,
    retry: { maxAttempts: 10, baseDelayMs: 0, maxDelayMs: 1 },
  });
  const outcomes: string[][] = [];
  for (const call of calls) {
    const sources = call.map(({ stream, offset }): SourceEvent<RowEvent> => {
      const account = `${prefix}-${stream}`;
      return { stream: account, offset, event: { type: "Deposited", id: `${account}@${offset}`, account } };
    });
    const { reports } = await driver.deliverAll(sources);
    outcomes.push(reports.map((report) => normalised(report.outcome)));
  }
  const projection = dynamoProjection(running().client, ROW_VERSIONS, rows);
  const versions = await Promise.all(STREAMS.map((stream) => projection.resourceVersion(streamResource(`${prefix}-${stream}`))));
  const written = (await rowIdsStartingWith(running().client, `${prefix}-`)).map((id) => id.slice(prefix.length + 1)).sort();
  client.destroy();
  return { outcomes, versions, written, counts: driver.counts };
}

function normalised(outcome: DeliveryOutcome): string {
  return outcome === "applied" || outcome === "duplicate" ? "settled" : outcome;
}

const call = fc.array(fc.record({ stream: fc.constantFrom(...STREAMS), offset: fc.constantFrom(...OFFSETS) }), { minLength: 1, maxLength: 10 });

describe("G8 batching is single delivery in fewer requests (DynamoDB adapter on dynalite)", () => {
  it(
    "G8/B3: batched and maxBatchSize 1 give the same per-event outcomes (applied and duplicate alike), versions and rows, under throttling, lost answers and ambiguous commits",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(call, { minLength: 1, maxLength: 4 }),
          // Three to six faulty events, each kind on at least one of them.
          fc.shuffledSubarray(
            STREAMS.flatMap((stream) => OFFSETS.map((offset) => `${stream}@${offset}`)),
            { minLength: 3, maxLength: 6 },
          ),
          fc.integer({ min: 2, max: 6 }),
          async (calls, faulty, maxBatchSize) => {
            run++;
            const faults = new Map(faulty.map((id, index) => [id, FAULTS[index % FAULTS.length] as Fault]));
            const single = await deliverAllCalls(calls, faults, 1, `r${run}s`);
            const batched = await deliverAllCalls(calls, faults, maxBatchSize, `r${run}b`);
            expect(batched.outcomes).toEqual(single.outcomes);
            expect(batched.versions).toEqual(single.versions);
            expect(batched.written).toEqual(single.written);
            expect(batched.counts.failed + batched.counts.cancelled).toBe(0);
            expect(batched.counts.applied + batched.counts.duplicates).toBe(single.counts.applied + single.counts.duplicates);
            expect(batched.counts.requests).toBeLessThanOrEqual(single.counts.requests + 2 * faults.size);
          },
        ),
        { seed: settings.seed, numRuns: settings.numRuns },
      );
      expect(fired.throttled * fired["lost-response"] * fired.ambiguous, JSON.stringify(fired)).toBeGreaterThan(0);
    },
    120_000,
  );
});
