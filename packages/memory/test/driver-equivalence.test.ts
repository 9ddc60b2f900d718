import { resolveConformanceSettings } from "@projectionkit/conformance";
import { DeliveryDriver, streamResource, type DeliveryOutcome, type SourceEvent } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

/** A fault the commit hooks throw; the driver is told it is retryable. */
class InjectedFault extends Error {}

type Fault = "before-commit" | "lost-response";

const STREAMS = ["a", "b", "c"] as const;
const OFFSETS = [0, 1, 2, 3, 4, 5] as const;

function deposit(stream: string, offset: number): SourceEvent<LedgerEvent> {
  return { stream, offset, event: { type: "Deposited", id: `${stream}@${offset}`, account: stream, amount: offset + 1 } };
}

/** A lost response turns an applied event into a duplicate; otherwise outcomes must agree. */
function normalised(outcome: DeliveryOutcome): string {
  return outcome === "applied" || outcome === "duplicate" ? "settled" : outcome;
}

/**
 * Runs the same deliveries, with the same faults (each attached to an event: the first commit that
 * carries the event fails before committing, or commits and loses its answer), through a driver
 * with the given maxBatchSize, and returns what every call reported and the final state.
 */
async function run(calls: ReadonlyArray<ReadonlyArray<{ stream: string; offset: number }>>, faults: ReadonlyMap<string, Fault>, maxBatchSize: number) {
  const pending = new Map(faults);
  const take = (kind: Fault, events: readonly LedgerEvent[]): boolean => {
    const hit = events.filter((event) => pending.get(event.id) === kind);
    for (const event of hit) pending.delete(event.id);
    return hit.length > 0;
  };
  const projection = memoryProjection(ledgerHandler(), {
    freeze: false,
    hooks: {
      beforeCommit: ({ events }) => {
        if (take("before-commit", events)) throw new InjectedFault("before commit");
      },
      afterCommit: ({ events }) => {
        if (take("lost-response", events)) throw new InjectedFault("lost response");
      },
    },
  });
  const driver = new DeliveryDriver(projection, {
    maxBatchSize,
    isRetryable: (error) => error instanceof InjectedFault,
    retry: { maxAttempts: 10, baseDelayMs: 0, maxDelayMs: 0 },
  });
  const outcomes: string[][] = [];
  for (const call of calls) {
    const { reports } = await driver.deliverAll(call.map(({ stream, offset }) => deposit(stream, offset)));
    outcomes.push(reports.map((report) => normalised(report.outcome)));
  }
  const versions = await Promise.all(STREAMS.map((stream) => projection.resourceVersion(streamResource(stream))));
  return { outcomes, applied: projection.state.applied, balances: projection.state.balances, versions, counts: driver.counts };
}

const settings = resolveConformanceSettings({ numRuns: 60 });

const call = fc.array(fc.record({ stream: fc.constantFrom(...STREAMS), offset: fc.constantFrom(...OFFSETS) }), { minLength: 1, maxLength: 12 });

describe("G8 batching is single delivery in fewer commits (memory adapter)", () => {
  it("G8/B4: batched (any maxBatchSize) and maxBatchSize 1 give the same fold, versions and per-event outcomes (applied and duplicate alike) under faults", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 1, maxLength: 5 }),
        fc.dictionary(
          fc.constantFrom(...STREAMS.flatMap((stream) => OFFSETS.map((offset) => `${stream}@${offset}`))),
          fc.constantFrom<Fault>("before-commit", "lost-response"),
          { maxKeys: 6 },
        ),
        fc.integer({ min: 2, max: 8 }),
        async (calls, faultRecord, maxBatchSize) => {
          const faults = new Map(Object.entries(faultRecord));
          const single = await run(calls, faults, 1);
          const batched = await run(calls, faults, maxBatchSize);
          expect(batched.outcomes).toEqual(single.outcomes);
          // Streams interleave differently; each stream's own order must agree.
          expect([...batched.applied].sort()).toEqual([...single.applied].sort());
          expect(batched.balances).toEqual(single.balances);
          expect(batched.versions).toEqual(single.versions);
          expect(batched.counts.applied + batched.counts.duplicates).toBe(single.counts.applied + single.counts.duplicates);
          expect(batched.counts.failed + batched.counts.cancelled).toBe(0);
          // The fold: each stream holds a prefix of its offsets, each once, in order.
          for (const stream of STREAMS) {
            const ids = batched.applied.filter((id) => id.startsWith(`${stream}@`));
            expect(ids).toEqual(OFFSETS.slice(0, ids.length).map((offset) => `${stream}@${offset}`));
          }
        },
      ),
      { seed: settings.seed, numRuns: settings.numRuns },
    );
  }, 120_000);
});
