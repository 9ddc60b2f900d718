import {
  DeliveryDriver,
  encodeOffset,
  encodeSequence,
  isProjectionKitError,
  streamResource,
  type DeliveryReport,
  type ProjectionMessageHandler,
  type SourceEvent,
} from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import { describe, expect, it } from "vitest";
import { spied } from "./driver-spy.js";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

function deposit(stream: string, offset: number, amount = 1): SourceEvent<LedgerEvent> {
  return { stream, offset, event: { type: "Deposited", id: `${stream}@${offset}`, account: stream, amount } };
}

function sequenced(stream: string, sequence: string): SourceEvent<LedgerEvent> {
  return { stream, sequence, event: { type: "Deposited", id: `${stream}#${sequence}`, account: stream, amount: 1 } };
}

/** Counts the calls a handler receives (without the batch capability), and can hide the stored version from conflicts. */
function counting(inner: ProjectionMessageHandler<LedgerEvent>, options: { hideStoredVersion?: boolean } = {}) {
  return spied(inner, { ...options, batches: false });
}

/** A retryable error, as adapters raise for throttling. */
class Throttled extends Error {}

describe("G1/G2 outcomes", () => {
  it("G1/G2: contiguous offsets apply in order; a redelivery is a duplicate that costs one call and no read when the stored version is reported", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = counting(projection);
    const driver = new DeliveryDriver(handler);
    expect((await driver.deliver(deposit("a", 0))).outcome).toBe("applied");
    expect((await driver.deliver(deposit("a", 1))).outcome).toBe("applied");
    const duplicate = await driver.deliver(deposit("a", 0));
    expect(duplicate).toMatchObject({ outcome: "duplicate", attempts: 1, conflicts: 1, reads: 0, storedVersion: encodeOffset(1) });
    expect(calls).toEqual({ handleEvent: 3, resourceVersion: 0, batches: [] });
    expect(projection.state.applied).toEqual(["a@0", "a@1"]);
  });

  it("G2: when the backend does not report the stored version, a conflict reads it once", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = counting(projection, { hideStoredVersion: true });
    const driver = new DeliveryDriver(handler);
    await driver.deliver(deposit("a", 0));
    expect(await driver.deliver(deposit("a", 0))).toMatchObject({ outcome: "duplicate", reads: 1 });
    expect(calls.resourceVersion).toBe(1);
  });

  it("G2: an event after a gap is held, not applied, and the version does not move; it applies once the gap is filled", async () => {
    const projection = memoryProjection(ledgerHandler());
    const driver = new DeliveryDriver(projection);
    await driver.deliver(deposit("a", 0));
    expect(await driver.deliver(deposit("a", 2))).toMatchObject({ outcome: "gap", storedVersion: encodeOffset(0) });
    expect(await projection.resourceVersion(streamResource("a"))).toEqual(encodeOffset(0));
    expect((await driver.deliver(deposit("a", 1))).outcome).toBe("applied");
    expect((await driver.deliver(deposit("a", 2))).outcome).toBe("applied");
    expect(projection.state.applied).toEqual(["a@0", "a@1", "a@2"]);
    expect(driver.counts).toMatchObject({ delivered: 4, applied: 3, gaps: 1, duplicates: 0 });
  });

  it("G1: sequence numbers apply when after the stored version (c = stored), gaps between them are normal, older ones are duplicates without a write", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = counting(projection);
    const driver = new DeliveryDriver(handler);
    const first = "49590338271490256608559692538361571095921575989136588898";
    const later = "49590338271490256608559692540925702759324208523137515618";
    expect((await driver.deliver(sequenced("k", first))).outcome).toBe("applied");
    expect((await driver.deliver(sequenced("k", later))).outcome).toBe("applied");
    expect(await projection.resourceVersion(streamResource("k"))).toEqual(encodeSequence(later));
    // One read for the stream's first event; after that the driver knows the version it wrote.
    expect(calls).toEqual({ handleEvent: 2, resourceVersion: 1, batches: [] });
    expect((await driver.deliver(sequenced("k", first))).outcome).toBe("duplicate");
    // A duplicate is confirmed by a read, never by a write.
    expect(calls).toEqual({ handleEvent: 2, resourceVersion: 2, batches: [] });
    expect(projection.state.applied).toEqual([`k#${first}`, `k#${later}`]);
  });

  it("G4/G7: a batch runs different streams in parallel and each stream in stream order; after a gap the rest of that stream is held", async () => {
    const projection = memoryProjection(ledgerHandler({ before: () => new Promise((resolve) => setTimeout(resolve, 2)) }));
    let inFlight = 0;
    let most = 0;
    const perStream = new Map<string, number>();
    const { handler } = counting(projection);
    const tracked: typeof handler = {
      ...handler,
      handleEvent: async (r, c, n, scope, event, o) => {
        const stream = Buffer.from(r).toString();
        expect(perStream.get(stream) ?? 0, `two calls of stream ${stream} at once`).toBe(0);
        perStream.set(stream, 1);
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          return await handler.handleEvent(r, c, n, scope, event, o);
        } finally {
          inFlight--;
          perStream.set(stream, 0);
        }
      },
    };
    const driver = new DeliveryDriver(tracked, { concurrency: 3 });
    const batch = [deposit("a", 0), deposit("b", 0), deposit("a", 1), deposit("c", 2), deposit("c", 0), deposit("b", 1), deposit("d", 0), deposit("c", 3)];
    const { reports, counts } = await driver.deliverAll(batch);
    expect(reports.map((r: DeliveryReport<LedgerEvent>) => r.outcome)).toEqual(["applied", "applied", "applied", "gap", "applied", "applied", "applied", "held"]);
    expect(counts).toMatchObject({ delivered: 8, applied: 6, gaps: 1, held: 1 });
    expect(most).toBe(3);
    expect(projection.state.applied.filter((id) => id.startsWith("a@"))).toEqual(["a@0", "a@1"]);
    expect(projection.state.applied.filter((id) => id.startsWith("c@"))).toEqual(["c@0"]);
  });
});

describe("G3 retries, deadlines and cancellation", () => {
  it("G3: retryable errors are retried with backoff until the event applies; others fail at once", async () => {
    let throttles = 2;
    const projection = memoryProjection(ledgerHandler(), {
      hooks: {
        beforeCommit: () => {
          if (throttles-- > 0) throw new Throttled("slow down");
        },
      },
    });
    const delays: number[] = [];
    const driver = new DeliveryDriver(projection, {
      isRetryable: (error) => error instanceof Throttled,
      retry: { baseDelayMs: 8, maxDelayMs: 10 },
      random: () => 0.5,
      hooks: { onRetry: ({ delayMs }) => delays.push(delayMs) },
    });
    expect(await driver.deliver(deposit("a", 0))).toMatchObject({ outcome: "applied", retries: 2, attempts: 3 });
    expect(delays).toEqual([4, 5]);

    const failing = memoryProjection(ledgerHandler({ before: () => Promise.reject(new Error("a bug")) }));
    const report = await new DeliveryDriver(failing).deliver(deposit("a", 0));
    expect(report).toMatchObject({ outcome: "failed", retries: 0, attempts: 1 });
    expect(String(report.error)).toContain("a bug");
  });

  it("G3: retries are bounded by maxAttempts; the last error is reported", async () => {
    const projection = memoryProjection(ledgerHandler({ before: () => Promise.reject(new Throttled("always")) }));
    const driver = new DeliveryDriver(projection, { isRetryable: (e) => e instanceof Throttled, retry: { maxAttempts: 3, baseDelayMs: 0 } });
    expect(await driver.deliver(deposit("a", 0))).toMatchObject({ outcome: "failed", attempts: 3, retries: 2 });
    expect(projection.state.applied).toEqual([]);
  });

  it("G3: an attempt that outlives timeoutHint is aborted through its signal and retried", async () => {
    let first = true;
    const projection = memoryProjection(
      ledgerHandler({
        timeoutHint: 20,
        before: async (_event, signal) => {
          if (first) {
            first = false;
            // Never finishes on its own: only the attempt's deadline ends it.
            await new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
          }
        },
      }),
    );
    const driver = new DeliveryDriver(projection, { retry: { baseDelayMs: 0 } });
    expect(await driver.deliver(deposit("a", 0))).toMatchObject({ outcome: "applied", retries: 1, attempts: 2 });
    expect(projection.state.applied).toEqual(["a@0"]);
  });

  it.each([
    ["one event at a time", 1, ["applied", "cancelled", "held", "cancelled"], ["a@0"]],
    ["batched: the batch in flight commits nothing", undefined, ["cancelled", "held", "held", "cancelled"], []],
  ] as const)("G3/G8: the caller's signal cancels an attempt in flight and the rest of the batch, with nothing half applied (%s)", async (_label, maxBatchSize, outcomes, applied) => {
    const controller = new AbortController();
    const started: string[] = [];
    const projection = memoryProjection(
      ledgerHandler({
        before: async (event, signal) => {
          started.push(event.id);
          if (event.id === "a@1") {
            setTimeout(() => controller.abort(new Error("shutting down")), 1);
            // Waits for the signal; a driver that did not pass it on would hang here.
            await new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true }));
          }
        },
      }),
    );
    const driver = new DeliveryDriver(projection, { concurrency: 1, maxBatchSize });
    const { reports, counts } = await driver.deliverAll([deposit("a", 0), deposit("a", 1), deposit("a", 2), deposit("b", 0)], { signal: controller.signal });
    expect(reports.map((r) => r.outcome)).toEqual(outcomes);
    expect(counts).toMatchObject({ applied: applied.length, cancelled: 2, held: 2 - applied.length });
    expect(started).toEqual(["a@0", "a@1"]);
    expect(projection.state.applied).toEqual(applied);
    expect(await projection.resourceVersion(streamResource("a"))).toEqual(applied.length === 0 ? new Uint8Array() : encodeOffset(0));
  });
});

describe("G1/G3 more", () => {
  it("G1: a wrong guess of the stored version (another writer moved it) costs one conflict that reports it, then applies", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = counting(projection);
    const driver = new DeliveryDriver(handler);
    await driver.deliver(sequenced("k", "10"));
    const other = new DeliveryDriver(projection);
    await other.deliver(sequenced("k", "20"));
    expect(await driver.deliver(sequenced("k", "30"))).toMatchObject({ outcome: "applied", conflicts: 1, reads: 0, attempts: 2 });
    expect(await driver.deliver(sequenced("k", "15"))).toMatchObject({ outcome: "duplicate" });
    expect(calls.resourceVersion).toBe(2);
    expect(projection.state.applied).toEqual(["k#10", "k#20", "k#30"]);
  });

  it("G3: a batch given an already aborted signal reports every event cancelled, and counts them", async () => {
    const projection = memoryProjection(ledgerHandler());
    const driver = new DeliveryDriver(projection);
    const { reports } = await driver.deliverAll([deposit("a", 0), deposit("b", 0)], { signal: AbortSignal.abort(new Error("too late")) });
    expect(reports.map((r) => r.outcome)).toEqual(["cancelled", "cancelled"]);
    expect(driver.counts).toMatchObject({ delivered: 2, cancelled: 2 });
    expect(projection.state.applied).toEqual([]);
  });
});

describe("G6 observability and E1 options", () => {
  it("G6: hooks see every outcome with timing and every conflict; a throwing hook changes nothing", async () => {
    const outcomes: string[] = [];
    const conflicts: string[] = [];
    const driver = new DeliveryDriver(memoryProjection(ledgerHandler()), {
      hooks: {
        onOutcome: (report) => {
          outcomes.push(`${report.outcome}:${report.durationMs >= 0}:${driver.counts.delivered}`);
          throw new Error("a broken metrics client");
        },
        onConflict: ({ storedVersion }) => conflicts.push(Buffer.from(storedVersion).toString("hex")),
      },
    });
    await driver.deliverAll([deposit("a", 0), deposit("a", 0), deposit("a", 2)]);
    // The counts already include the delivery a hook is told about.
    expect(outcomes).toEqual(["applied:true:1", "duplicate:true:2", "gap:true:3"]);
    // The repeat of a@0 settles with it, without a request: one conflict, the gap's.
    expect(conflicts).toEqual(["0000000000000000"]);
    expect(driver.counts).toMatchObject({ delivered: 3, applied: 1, duplicates: 1, gaps: 1, conflicts: 1, attempts: 2 });
  });

  it("E1: malformed options and sources are typed errors before anything is delivered", async () => {
    const projection = memoryProjection(ledgerHandler());
    for (const [options, argument] of [
      [{ concurrency: 0 }, "options.concurrency"],
      [{ retry: { maxAttempts: 0 } }, "options.retry.maxAttempts"],
      [{ attemptTimeoutMs: -1 }, "options.attemptTimeoutMs"],
      [{ isRetryable: true }, "options.isRetryable"],
    ] as const) {
      expect(() => new DeliveryDriver(projection, options as never)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument }));
    }
    const driver = new DeliveryDriver(projection);
    const bad = [deposit("a", 0), { stream: "a", offset: -1, event: deposit("a", 0).event }] as SourceEvent<LedgerEvent>[];
    const error = await driver.deliverAll(bad).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_INVALID_ARGUMENT")).toBe(true);
    expect((error as { argument: string }).argument).toBe("sources[1].offset");
    expect(projection.state.applied).toEqual([]);
    await expect(driver.deliver({ stream: "a", offset: 1, sequence: "1", event: deposit("a", 0).event } as never)).rejects.toThrow(/exactly one of offset and sequence/);
  });
});
