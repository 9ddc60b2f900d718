import {
  DeliveryDriver,
  EMPTY_VERSION,
  encodeOffset,
  encodeSequence,
  isProjectionKitError,
  streamResource,
  type ProjectionMessageHandler,
  type SourceEvent,
} from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { spied } from "./driver-spy.js";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

function deposit(stream: string, offset: number): SourceEvent<LedgerEvent> {
  return { stream, offset, event: { type: "Deposited", id: `${stream}@${offset}`, account: stream, amount: 1 } };
}

function deposits(stream: string, from: number, to: number): SourceEvent<LedgerEvent>[] {
  return Array.from({ length: to - from + 1 }, (_, i) => deposit(stream, from + i));
}

function sequenced(stream: string, sequence: string): SourceEvent<LedgerEvent> {
  return { stream, sequence, event: { type: "Deposited", id: `${stream}#${sequence}`, account: stream, amount: 1 } };
}

/** A retryable error, as adapters raise for throttling. */
class Throttled extends Error {}

const retryThrottled = { isRetryable: (error: unknown) => error instanceof Throttled, retry: { baseDelayMs: 0, maxDelayMs: 0 } } as const;

describe("G8 batching over the memory adapter", () => {
  it("G8: a stream's run of consecutive events is committed in batches of at most maxBatchSize; 1 turns batching off", async () => {
    const commits: number[] = [];
    const projection = memoryProjection(ledgerHandler(), { hooks: { afterCommit: ({ events }) => void commits.push(events.length) } });
    const { handler, calls } = spied(projection);
    const driver = new DeliveryDriver(handler, { maxBatchSize: 4 });
    const { counts } = await driver.deliverAll(deposits("acc", 0, 9));
    expect(counts).toMatchObject({ applied: 10, attempts: 10, conflicts: 0 });
    expect(calls.batches.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(commits).toEqual([4, 4, 2]);

    commits.length = 0;
    const single = spied(projection);
    const unbatched = new DeliveryDriver(single.handler, { maxBatchSize: 1 });
    expect((await unbatched.deliverAll(deposits("other", 0, 2))).counts.applied).toBe(3);
    expect(single.calls).toMatchObject({ handleEvent: 3, batches: [] });
    expect(commits).toEqual([1, 1, 1]);
  });

  it("G8: a batch of offsets never spans a hole: the run before it commits, the event after it is a gap", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = spied(projection);
    const driver = new DeliveryDriver(handler);
    const { reports } = await driver.deliverAll([deposit("acc", 4), ...deposits("acc", 0, 2), deposit("acc", 5)]);
    expect(reports.map((r) => r.outcome)).toEqual(["gap", "applied", "applied", "applied", "held"]);
    expect(calls.batches.map((b) => b.size)).toEqual([3, 2]);
    expect(reports[0]).toMatchObject({ conflicts: 1, storedVersion: encodeOffset(2) });
    expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2"]);
  });

  it("G8: in a sequence batch c of the first is the known or stored version and each next c is the previous n", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = spied(projection);
    const driver = new DeliveryDriver(handler);
    await driver.deliver(sequenced("k", "5"));
    await driver.deliverAll([sequenced("k", "9"), sequenced("k", "40"), sequenced("k", "12")]);
    expect(calls.resourceVersion).toBe(1);
    expect(calls.batches).toEqual([
      { size: 3, currents: [encodeSequence("5"), encodeSequence("9"), encodeSequence("12")], nexts: [encodeSequence("9"), encodeSequence("12"), encodeSequence("40")] },
    ]);
    expect(projection.state.applied).toEqual(["k#5", "k#9", "k#12", "k#40"]);
  });

  it("G8: a conflict inside a batch is decided from the stored version: the duplicate prefix is skipped, the rest applied", async () => {
    const projection = memoryProjection(ledgerHandler());
    await new DeliveryDriver(projection).deliverAll(deposits("acc", 0, 2));
    const { handler, calls } = spied(projection);
    const driver = new DeliveryDriver(handler);
    const { reports, counts } = await driver.deliverAll(deposits("acc", 0, 5));
    expect(reports.map((r) => r.outcome)).toEqual(["duplicate", "duplicate", "duplicate", "applied", "applied", "applied"]);
    expect(counts).toMatchObject({ applied: 3, duplicates: 3, conflicts: 1, reads: 0 });
    expect(reports[0]).toMatchObject({ conflicts: 1, attempts: 1 });
    expect(calls.batches.map((b) => b.size)).toEqual([6, 3]);
    expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2", "acc@3", "acc@4", "acc@5"]);
  });

  it("G8: a conflict whose stored version the backend does not report costs one read, on the event it stopped at", async () => {
    const projection = memoryProjection(ledgerHandler());
    await new DeliveryDriver(projection).deliverAll(deposits("acc", 0, 1));
    const { handler, calls } = spied(projection, { hideStoredVersion: true });
    const { reports } = await new DeliveryDriver(handler).deliverAll(deposits("acc", 0, 3));
    expect(reports.map((r) => r.outcome)).toEqual(["duplicate", "duplicate", "applied", "applied"]);
    expect(reports.map((r) => r.reads)).toEqual([1, 0, 0, 0]);
    expect(calls.resourceVersion).toBe(1);
  });

  it("G8: a batch that starts after a gap is a gap for its first event and holds the rest; nothing moves", async () => {
    const projection = memoryProjection(ledgerHandler());
    await new DeliveryDriver(projection).deliver(deposit("acc", 0));
    const { reports } = await new DeliveryDriver(projection).deliverAll(deposits("acc", 2, 4));
    expect(reports.map((r) => r.outcome)).toEqual(["gap", "held", "held"]);
    expect(await projection.resourceVersion(streamResource("acc"))).toEqual(encodeOffset(0));
  });

  it("G8: a handler that fails for good at event k: the events before k apply, k fails with its own error, the rest are held (as one at a time)", async () => {
    for (const maxBatchSize of [undefined, 1]) {
      const projection = memoryProjection(
        ledgerHandler({
          before: (event) => {
            if (event.id === "acc@3") throw new Error("a bug at acc@3");
          },
        }),
      );
      const { reports } = await new DeliveryDriver(projection, { maxBatchSize }).deliverAll(deposits("acc", 0, 5));
      expect(reports.map((r) => r.outcome)).toEqual(["applied", "applied", "applied", "failed", "held", "held"]);
      expect(String(reports[3]?.error)).toContain("a bug at acc@3");
      expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2"]);
    }
  });

  it("G8: a batch that fails for good before naming its culprit is delivered again one event at a time", async () => {
    // A backend whose batches always throw: the driver does not blame the first event for it.
    const projection = memoryProjection(ledgerHandler());
    const broken: ProjectionMessageHandler<LedgerEvent> = {
      configure: (c) => projection.configure(c),
      handleEvent: (...args) => projection.handleEvent(...args),
      handleEventBatch: () => Promise.reject(new Error("batches are broken")),
      resourceVersion: (...args) => projection.resourceVersion(...args),
      closeResource: (...args) => projection.closeResource(...args),
      timeoutHint: () => 0,
      compact: () => Promise.resolve(),
    };
    const { reports } = await new DeliveryDriver(broken).deliverAll(deposits("acc", 0, 3));
    expect(reports.map((r) => r.outcome)).toEqual(["applied", "applied", "applied", "applied"]);
    expect(reports[0]?.attempts).toBe(2);
    expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2", "acc@3"]);
  });

  it("G8: a batch result that breaks the contract is refused with ERR_INVALID_BATCH_RESULT and the events go one at a time", async () => {
    const projection = memoryProjection(ledgerHandler());
    const results = [
      { applied: 7, requests: 1, stopped: undefined },
      { applied: 1, requests: 1, stopped: undefined },
      { applied: 1, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion: undefined } },
      { applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion: "v1" } },
    ];
    for (const result of results) {
      const lying: ProjectionMessageHandler<LedgerEvent> = {
        configure: (c) => projection.configure(c),
        handleEvent: (...args) => projection.handleEvent(...args),
        handleEventBatch: async () => result as never,
        resourceVersion: (...args) => projection.resourceVersion(...args),
        closeResource: (...args) => projection.closeResource(...args),
        timeoutHint: () => 0,
        compact: () => Promise.resolve(),
      };
      const stream = `lie-${results.indexOf(result)}`;
      const { counts } = await new DeliveryDriver(lying).deliverAll(deposits(stream, 0, 2));
      expect(counts.applied, JSON.stringify(result)).toBe(3);
      expect(projection.state.applied.filter((id) => id.startsWith(`${stream}@`))).toHaveLength(3);
    }
    const { InvalidBatchResultError } = await import("@projectionkit/core");
    const error = new InvalidBatchResultError("x");
    expect(isProjectionKitError(error, "ERR_INVALID_BATCH_RESULT")).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it("G3/G8: a retryable failure at event k of a batch: the events before k stay applied, the batch is retried from k, the retry counted on k", async () => {
    let throttles = 1;
    const projection = memoryProjection(
      ledgerHandler({
        before: (event) => {
          if (event.id === "acc@2" && throttles-- > 0) throw new Throttled("slow down");
        },
      }),
    );
    const { handler, calls } = spied(projection);
    const retries: string[] = [];
    const driver = new DeliveryDriver(handler, { ...retryThrottled, hooks: { onRetry: ({ source }) => retries.push(source.event.id) } });
    const { reports } = await driver.deliverAll(deposits("acc", 0, 4));
    expect(reports.map((r) => r.outcome)).toEqual(["applied", "applied", "applied", "applied", "applied"]);
    expect(reports.map((r) => r.retries)).toEqual([0, 0, 1, 0, 0]);
    expect(reports.map((r) => r.attempts)).toEqual([1, 1, 2, 1, 1]);
    expect(retries).toEqual(["acc@2"]);
    expect(calls.batches.map((b) => b.size)).toEqual([5, 3]);
    expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2", "acc@3", "acc@4"]);
  });

  it("G3/G8: a lost response after a batch committed: the retry meets the stored version, which settles the batch as duplicates; nothing doubles", async () => {
    let lose = true;
    const projection = memoryProjection(ledgerHandler(), {
      hooks: {
        afterCommit: () => {
          if (lose) {
            lose = false;
            throw new Throttled("the response was lost");
          }
        },
      },
    });
    const driver = new DeliveryDriver(projection, retryThrottled);
    const { reports, counts } = await driver.deliverAll([...deposits("acc", 0, 3), deposit("acc", 1)]);
    expect(reports.map((r) => r.outcome)).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(reports[0]).toMatchObject({ retries: 1, conflicts: 1, attempts: 2, storedVersion: encodeOffset(3) });
    expect(counts).toMatchObject({ applied: 0, duplicates: 5, failed: 0 });
    expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2", "acc@3"]);
  });

  it("G3/G8: retries of a batch are bounded by maxAttempts; the event it stops at fails with the last error, the rest are held", async () => {
    const projection = memoryProjection(ledgerHandler({ before: () => Promise.reject(new Throttled("always")) }));
    const driver = new DeliveryDriver(projection, { ...retryThrottled, retry: { maxAttempts: 3, baseDelayMs: 0 } });
    const { reports } = await driver.deliverAll(deposits("acc", 0, 2));
    expect(reports.map((r) => r.outcome)).toEqual(["failed", "held", "held"]);
    expect(reports[0]).toMatchObject({ attempts: 3, retries: 2 });
    expect(reports[0]?.error).toBeInstanceOf(Throttled);
  });

  it("G3/G8: a batch's deadline is the sum of its events' timeoutHints: a batch that takes longer than one hint but less than the sum is not cut", async () => {
    const timedOut: string[] = [];
    const projection = memoryProjection(
      ledgerHandler({
        timeoutHint: 400,
        before: async (event, signal) => {
          await sleep(100, undefined, { signal });
          if (signal?.aborted === true) timedOut.push(event.id);
        },
      }),
    );
    const { reports } = await new DeliveryDriver(projection, { retry: { maxAttempts: 1 } }).deliverAll(deposits("acc", 0, 5));
    expect(reports.map((r) => r.outcome)).toEqual(["applied", "applied", "applied", "applied", "applied", "applied"]);
    expect(timedOut).toEqual([]);
    expect(projection.state.applied).toHaveLength(6);
  });

  it("G8: a sequence stream whose version keeps moving fails its event with a typed, retryable ERR_VERSION_KEPT_MOVING after maxConflicts conflicts", async () => {
    let stored = 0n;
    const moving: ProjectionMessageHandler<LedgerEvent> = {
      configure: (c) => ledgerHandler().configure(c),
      // Another writer always gets there first, and never past 1,000,000.
      handleEvent: async (resource, current, _next, _scope, _event, options) => {
        stored += 1n;
        options?.onConflict?.({ resource, expectedVersion: current as Uint8Array, storedVersion: encodeSequence(stored) });
        return false;
      },
      resourceVersion: async () => (stored === 0n ? EMPTY_VERSION : encodeSequence(stored)),
      closeResource: async () => {},
      timeoutHint: () => 0,
      compact: async () => {},
    };
    const report = await new DeliveryDriver(moving, { retry: { maxConflicts: 4 } }).deliver(sequenced("k", "1000000"));
    expect(report).toMatchObject({ outcome: "failed", conflicts: 4, attempts: 4 });
    expect(isProjectionKitError(report.error, "ERR_VERSION_KEPT_MOVING")).toBe(true);
    expect(report.error).toMatchObject({ conflicts: 4, retryable: true });
  });
});
