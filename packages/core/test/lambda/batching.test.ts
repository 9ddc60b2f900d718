import { DeliveryDriver, kinesisStreamHandler, sqsFifoHandler, type BatchDelivery, type ProjectionMessageHandler, type RecordFailure } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import type { KinesisStreamRecord, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { fifoMessage, kinesisRecord, ledgerEventFromData, ledgerHandler, type LedgerEvent, type LedgerHooks } from "./fixtures.js";

/** A memory ledger whose batch calls are counted (their sizes, in order). */
function countedLedger(hooks: LedgerHooks = {}) {
  const projection = memoryProjection(ledgerHandler(hooks));
  const batches: number[] = [];
  const handler: ProjectionMessageHandler<LedgerEvent> = {
    configure: (c) => projection.configure(c),
    handleEvent: (...args) => projection.handleEvent(...args),
    handleEventBatch: (r, deliveries: readonly BatchDelivery<LedgerEvent>[], o) => {
      batches.push(deliveries.length);
      return projection.handleEventBatch(r, deliveries, o);
    },
    resourceVersion: (...args) => projection.resourceVersion(...args),
    closeResource: (...args) => projection.closeResource(...args),
    timeoutHint: () => 0,
    compact: () => Promise.resolve(),
  };
  return { projection, batches, driver: new DeliveryDriver(handler, { retry: { maxAttempts: 1 } }) };
}

function sequence(i: number): string {
  return (49590338271490256608559692538361571095921575989136588898n + BigInt(i) * 104_729n).toString();
}

describe("G9 Lambda handlers batch through the driver", () => {
  it("G9: each partition key's records are committed in batches; the response is empty", async () => {
    const { projection, batches, driver } = countedLedger();
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData });
    const records = Array.from({ length: 60 }, (_, i) => {
      const account = i % 6 === 0 ? "acc-small" : "acc-big";
      return kinesisRecord(account, sequence(i), { type: "Deposited", id: `${account}#${i}`, account, amount: 1 });
    });
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect([...batches].sort((a, b) => a - b)).toEqual([10, 50]);
    expect(projection.state.balances).toEqual({ "acc-big": 50, "acc-small": 10 });
  });

  it("G9: a record that fails in the middle of its group's batch: the messages before it apply, it and every later message of its group are reported, in order", async () => {
    const { projection, driver } = countedLedger({
      before: (event) => {
        if (event.id === "g1#4") throw new Error("cannot project g1#4");
      },
    });
    const failures: RecordFailure<SQSRecord>[] = [];
    const handler = sqsFifoHandler(driver, { toEvent: (record: SQSRecord) => JSON.parse(record.body) as LedgerEvent, onFailure: (f) => failures.push(f) });
    const messages = Array.from({ length: 16 }, (_, i) => {
      const group = `g${i % 2}`;
      return fifoMessage(group, sequence(i), { type: "Deposited", id: `${group}#${i >> 1}`, account: group, amount: 1 });
    });
    const response = await handler({ Records: messages });
    // g1's messages are the odd ones; g1#4 is messages[9].
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([9, 11, 13, 15].map((i) => messages[i]?.messageId));
    expect(failures.map((f) => f.outcome)).toEqual(["failed", "held", "held", "held"]);
    expect(String(failures[0]?.error)).toContain("cannot project g1#4");
    expect(projection.state.balances).toEqual({ g0: 8, g1: 4 });
  });

  it("G7/G9: records of a partition key redelivered out of order inside one batch settle in that invocation", async () => {
    const { projection, driver } = countedLedger();
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData });
    const record = (i: number): KinesisStreamRecord => kinesisRecord("acc", sequence(i), { type: "Deposited", id: `acc#${i}`, account: "acc", amount: i + 1 });
    expect(await handler({ Records: [0, 3, 2, 1, 1, 0, 2].map(record) })).toEqual({ batchItemFailures: [] });
    expect(projection.state.applied).toEqual(["acc#0", "acc#1", "acc#2", "acc#3"]);
    expect(driver.counts).toMatchObject({ applied: 4, duplicates: 3 });
  });
});
