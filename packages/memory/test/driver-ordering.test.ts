import { DeliveryDriver, encodeOffset, encodeSequence, streamResource, type DeliveryOutcome, type SourceEvent } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import { describe, expect, it } from "vitest";
import { spied } from "./driver-spy.js";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

function deposit(stream: string, offset: number): SourceEvent<LedgerEvent> {
  return { stream, offset, event: { type: "Deposited", id: `${stream}@${offset}`, account: stream, amount: offset + 1 } };
}

function sequenced(stream: string, sequence: string): SourceEvent<LedgerEvent> {
  return { stream, sequence, event: { type: "Deposited", id: `${stream}#${sequence}`, account: stream, amount: 1 } };
}

const SETTLED: ReadonlySet<DeliveryOutcome> = new Set(["applied", "duplicate"]);

/**
 * An at-least-once source that hands out `initial`, then, again and again, whatever the consumer
 * did not settle, in the same arrangement: returns how many deliveries it took to settle all.
 */
async function redeliverUntilSettled(driver: DeliveryDriver<LedgerEvent>, initial: SourceEvent<LedgerEvent>[], bound: number): Promise<number> {
  let pending = initial;
  for (let call = 1; call <= bound; call++) {
    const { reports } = await driver.deliverAll(pending);
    pending = pending.filter((_, index) => !SETTLED.has((reports[index] as { outcome: DeliveryOutcome }).outcome));
    if (pending.length === 0) return call;
  }
  return Number.POSITIVE_INFINITY;
}

describe("G7 ordering within one delivery call (memory adapter)", () => {
  it.each([
    ["batched", undefined],
    ["one event at a time", 1],
  ] as const)("G7: the out-of-order redelivery [0, 3, 2, 1, 1, 0, 2] of one stream settles in one deliverAll call, each event applied once (%s)", async (_label, maxBatchSize) => {
    const projection = memoryProjection(ledgerHandler());
    const driver = new DeliveryDriver(projection, { maxBatchSize });
    const arrangement = [0, 3, 2, 1, 1, 0, 2].map((offset) => deposit("acc", offset));
    expect(await redeliverUntilSettled(driver, arrangement, 5)).toBe(1);
    expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2", "acc@3"]);
    expect(projection.state.balances["acc"]).toBe(1 + 2 + 3 + 4);
    expect(await projection.resourceVersion(streamResource("acc"))).toEqual(encodeOffset(3));
  });

  it("G7: reports stay one per source event in the order given; exact repeats settle as duplicates without a request", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = spied(projection);
    const driver = new DeliveryDriver(handler);
    const { reports, counts } = await driver.deliverAll([0, 3, 2, 1, 1, 0, 2].map((offset) => deposit("acc", offset)));
    expect(reports.map((r) => `${(r.source.offset as number)}:${r.outcome}:${r.attempts}`)).toEqual([
      "0:applied:1",
      "3:applied:1",
      "2:applied:1",
      "1:applied:1",
      "1:duplicate:0",
      "0:duplicate:0",
      "2:duplicate:0",
    ]);
    expect(counts).toMatchObject({ delivered: 7, applied: 4, duplicates: 3, conflicts: 0, reads: 0 });
    // One batch for the whole run 0..3; the repeats cost nothing.
    expect(calls).toEqual({ handleEvent: 0, resourceVersion: 0, batches: [expect.objectContaining({ size: 4 })] });
  });

  it("G7: without the batch capability the stream is still delivered in order, one call per position", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = spied(projection, { batches: false });
    const driver = new DeliveryDriver(handler);
    const { counts } = await driver.deliverAll([2, 0, 0, 1, 2].map((offset) => deposit("acc", offset)));
    expect(counts).toMatchObject({ applied: 3, duplicates: 2, conflicts: 0 });
    expect(calls.handleEvent).toBe(3);
    expect(projection.state.applied).toEqual(["acc@0", "acc@1", "acc@2"]);
  });

  it("G7: a repeat of a position that did not settle is held with it, never reported as a duplicate", async () => {
    const projection = memoryProjection(ledgerHandler());
    const driver = new DeliveryDriver(projection);
    const { reports } = await driver.deliverAll([deposit("acc", 2), deposit("acc", 3), deposit("acc", 2)]);
    expect(reports.map((r) => r.outcome)).toEqual(["gap", "held", "held"]);
    expect(projection.state.applied).toEqual([]);
  });

  it("G7: sequence numbers given out of order apply in sequence order, each stream on its own", async () => {
    const projection = memoryProjection(ledgerHandler());
    const driver = new DeliveryDriver(projection);
    const { reports } = await driver.deliverAll([
      sequenced("k", "30"),
      sequenced("j", "7"),
      sequenced("k", "9"),
      sequenced("k", "100"),
      sequenced("k", "30"),
      sequenced("j", "5"),
    ]);
    expect(reports.map((r) => r.outcome)).toEqual(["applied", "applied", "applied", "applied", "duplicate", "applied"]);
    expect(projection.state.applied.filter((id) => id.startsWith("k#"))).toEqual(["k#9", "k#30", "k#100"]);
    expect(projection.state.applied.filter((id) => id.startsWith("j#"))).toEqual(["j#5", "j#7"]);
    expect(await projection.resourceVersion(streamResource("k"))).toEqual(encodeSequence("100"));
  });

  it("G7: a stream given as bytes and as the same string is one stream, ordered as one", async () => {
    const projection = memoryProjection(ledgerHandler());
    const driver = new DeliveryDriver(projection);
    const { reports } = await driver.deliverAll([
      { ...deposit("acc", 1), stream: new TextEncoder().encode("acc") },
      deposit("acc", 0),
    ]);
    expect(reports.map((r) => r.outcome)).toEqual(["applied", "applied"]);
    expect(projection.state.applied).toEqual(["acc@0", "acc@1"]);
  });
});
