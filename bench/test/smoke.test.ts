// A smoke run of every DynamoDB benchmark (BENCH_SMOKE=1: a few events per case, on dynalite only)
// to keep them working: each must finish and give figures of the right shape. The assertions are on
// counts that do not depend on time (requests, write units, the read model), never on speed.
import { describe, expect, it, vi } from "vitest";

vi.stubEnv("BENCH_SMOKE", "1");
const { runOverheadBench } = await import("../src/overhead.bench.ts");
const { addToBalance, balanceUpdate } = await import("../src/support/balance-projection.ts");
const { runRequestsBench } = await import("../src/requests.bench.ts");
const { runVersusGoBench } = await import("../src/versus-go.bench.ts");
const { runScalingBench } = await import("../src/scaling.bench.ts");
const { runHotPartitionBench } = await import("../src/hot-partition.bench.ts");

describe("benchmarks, smoke run on dynalite", () => {
  it("P1 measures its three cases end to end and client side, with a ratio per round", async () => {
    const figures = await runOverheadBench();
    expect(figures.map((f) => f.where)).toEqual(["dynalite", "dynalite, one event per round", "client side (canned responses)"]);
    for (const f of figures) {
      for (const ratios of [f.ratios, f.documentRatios]) {
        expect(ratios).toHaveLength(f.where.includes("one event per round") ? 6 : 2);
        expect(ratios.every((r) => Number.isFinite(r) && r > 0)).toBe(true);
      }
      expect(f.ours).toBeGreaterThan(0);
      expect(f.oursDocument).toBeGreaterThan(0);
      expect(f.handWritten).toBeGreaterThan(0);
    }
  });

  it("P1's handlers return the baseline's own Update, built natively or with documentItem", () => {
    expect(addToBalance("Balances", "acc-1", 5)).toEqual(balanceUpdate("Balances", "acc-1", 5));
    expect(balanceUpdate("Balances", "acc-1", 5)).toEqual({
      Update: { TableName: "Balances", Key: { pk: { S: "acc-1" } }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": { N: "5" } } },
    });
  });

  it("P2/P3 count one request and one write unit for a zero-item event, four for a one-item transaction", async () => {
    const figures = await runRequestsBench();
    const byCase = new Map(figures.map((f) => [f.case, f]));
    expect(byCase.get("baseline: hand-written TransactWriteItems per one-item event")).toMatchObject({ requestsPerEvent: 1, writeUnitsPerEvent: 4 });
    expect(byCase.get("zero-item event, handleEvent")).toMatchObject({ requestsPerEvent: 1, writeUnitsPerEvent: 1 });
    expect(byCase.get("one-item event, handleEvent")).toMatchObject({ requestsPerEvent: 1, writeUnitsPerEvent: 4 });
    const coalesced = byCase.get("hot item, handleEvents coalescing, DeliveryDriver (batching on)");
    // One stream of 40 events in one batch: one transaction of the version and the balance.
    expect(coalesced).toMatchObject({ events: 40, requestsPerEvent: 1 / 40, writeUnitsPerEvent: 4 / 40 });
    expect(figures.every((f) => f.transactionsOffRule === 0)).toBe(true);
  });

  it("P4 ends both algorithms with the exact balances, and ours sends fewer requests", async () => {
    const figures = await runVersusGoBench();
    expect(figures.map((f) => f.algorithm)).toHaveLength(3);
    expect(figures.every((f) => f.readModelExact)).toBe(true);
    const [go, ours] = figures;
    expect(go?.requestRatio).toBe(1);
    expect(ours?.requestsPerEvent).toBeLessThan(go?.requestsPerEvent ?? 0);
  });

  it("P6 gives a rate for 1, 2, 4 and 8 workers", async () => {
    const figures = await runScalingBench();
    expect(figures.map((f) => f.workers)).toEqual([1, 2, 4, 8]);
    expect(figures[0]?.ratioToOneWorker).toBe(1);
    expect(figures.every((f) => f.eventsPerSecond > 0)).toBe(true);
  });

  it("P7 costs one coalesced transaction (4 WCU) per batch of k", async () => {
    const figures = await runHotPartitionBench();
    expect(figures.map((f) => f.maxBatchSize)).toEqual([1, 10, 50, 100]);
    for (const f of figures) {
      const batches = Math.ceil(20 / f.maxBatchSize);
      expect(f.requestsPerEvent).toBeCloseTo(batches / 20, 10);
      expect(f.writeUnitsPerEvent).toBeCloseTo((4 * batches) / 20, 10);
    }
  });
});
