import { DeliveryDriver, type SourceEvent } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

/** A fault the commit hooks throw; the driver is told it is retryable. */
class InjectedFault extends Error {}

const STREAMS = ["acc-0", "acc-1", "acc-2"] as const;

function deposit(stream: string, offset: number): SourceEvent<LedgerEvent> {
  return { stream, offset, event: { type: "Deposited", id: `${stream}@${offset}`, account: stream, amount: 1 } };
}

/** One worker's deliveries: batches of (stream, offset), each maybe with a fault on its commit. */
const batchArbitrary = fc.array(
  fc.record({
    stream: fc.constantFrom(...STREAMS),
    offset: fc.integer({ min: 0, max: 4 }),
    fault: fc.constantFrom(undefined, undefined, undefined, "before-commit" as const, "lost-response" as const),
  }),
  { minLength: 1, maxLength: 5 },
);

describe("G1–G4 DeliveryDriver over the memory adapter", () => {
  it("G1–G4: generated histories with duplicates, reordering, gaps filled later, faults and 4 concurrent workers end with the exact fold, and the counts add up", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.array(batchArbitrary, { minLength: 1, maxLength: 4 }), { minLength: 4, maxLength: 4 }), async (scheduler, workers) => {
        const faults: Array<"before-commit" | "lost-response"> = [];
        let lostResponses = 0;
        const violations: string[] = [];
        const take = (kind: "before-commit" | "lost-response"): boolean => {
          if (faults[0] !== kind) {
            return false;
          }
          faults.shift();
          return true;
        };
        const projection = memoryProjection(
          ledgerHandler({ before: () => scheduler.schedule(Promise.resolve(), "inside the handler") }),
          {
            freeze: false,
            hooks: {
              beforeCommit: () => {
                if (take("before-commit")) throw new InjectedFault("before commit");
              },
              afterCommit: ({ events }) => {
                if (take("lost-response")) {
                  lostResponses += events.length;
                  throw new InjectedFault("lost response");
                }
              },
            },
          },
        );
        const driver = new DeliveryDriver(projection, {
          concurrency: 2,
          isRetryable: (error) => error instanceof InjectedFault,
          retry: { maxAttempts: 20, baseDelayMs: 0, maxDelayMs: 0 },
          random: () => 0,
          hooks: {
            // Once applied an event stays applied, so these hold at the moment of the report.
            onOutcome: (report) => {
              const id = (report.source.event as { id: string }).id;
              if ((report.outcome === "applied" || report.outcome === "duplicate") && !projection.state.applied.includes(id)) {
                violations.push(`${id} reported ${report.outcome} but not in the state`);
              }
            },
          },
        });
        let deliveries = 0;
        const runWorker = async (batches: typeof workers[number]): Promise<void> => {
          for (const batch of batches) {
            await scheduler.schedule(Promise.resolve(), "next batch");
            for (const { fault } of batch) {
              if (fault !== undefined) faults.push(fault);
            }
            deliveries += batch.length;
            const { reports } = await driver.deliverAll(batch.map(({ stream, offset }) => deposit(stream, offset)));
            expect(reports.filter((r) => r.outcome === "failed" || r.outcome === "cancelled")).toEqual([]);
          }
        };
        await scheduler.waitFor(Promise.all(workers.map(runWorker)));
        faults.length = 0;

        // Gaps are filled later: the whole stream, in order, once more.
        const drain = STREAMS.flatMap((stream) => [0, 1, 2, 3, 4].map((offset) => deposit(stream, offset)));
        deliveries += drain.length;
        const last = await scheduler.waitFor(driver.deliverAll(drain));
        expect(last.reports.every((r) => r.outcome === "applied" || r.outcome === "duplicate")).toBe(true);

        const expected = STREAMS.flatMap((stream) => [0, 1, 2, 3, 4].map((offset) => `${stream}@${offset}`));
        expect([...projection.state.applied].sort()).toEqual([...expected].sort());
        for (const stream of STREAMS) {
          expect(projection.state.applied.filter((id) => id.startsWith(`${stream}@`))).toEqual([0, 1, 2, 3, 4].map((o) => `${stream}@${o}`));
          expect(projection.state.balances[stream]).toBe(5);
        }
        expect(violations).toEqual([]);
        const counts = driver.counts;
        expect(counts.delivered).toBe(deliveries);
        expect(counts.applied + counts.duplicates + counts.gaps + counts.held + counts.failed + counts.cancelled).toBe(deliveries);
        // An event whose commit's response was lost is applied by that attempt and reported as a duplicate.
        expect(counts.applied).toBeLessThanOrEqual(expected.length);
        expect(counts.applied).toBeGreaterThanOrEqual(expected.length - lostResponses);
        expect(counts.failed + counts.cancelled).toBe(0);
      }),
    );
  });
});
