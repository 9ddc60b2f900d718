import { dynamoDBStreamsHandler, encodeSequence, sqsFifoHandler, streamResource, type RecordFailure } from "@projectionkit/core";
import type { Context, DynamoDBRecord, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { accountChange, accountEvent, fifoMessage, ledger, wait, type LedgerEvent } from "./fixtures.js";

/** A Lambda context whose invocation times out `remainingMs` from now. */
function lambdaContext(remainingMs: number): Context {
  const end = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "ledger-projection",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ledger-projection",
    memoryLimitInMB: "512",
    awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
    logGroupName: "/aws/lambda/ledger-projection",
    logStreamName: "2024/03/18/[$LATEST]2d1f3b4c5d6e7f8091a2b3c4d5e6f708",
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

describe("G5 the invocation deadline", () => {
  const cases = [
    {
      label: "one event at a time",
      maxBatchSize: 1,
      reported: ["100000000000000000003", "100000000000000000005", "100000000000000000006"],
      outcomes: ["cancelled", "held", "cancelled"],
      applied: ["acc-1#100000000000000000001", "acc-2#100000000000000000002", "acc-3#100000000000000000004"],
      counts: { applied: 3, cancelled: 2, held: 1 },
    },
    {
      // A memory batch commits as one: the batches of acc-1 and acc-2 wait for their slow deposits,
      // and acc-3 waits behind them in the adapter's commit queue.
      label: "batched",
      maxBatchSize: undefined,
      reported: ["100000000000000000001", "100000000000000000002", "100000000000000000003", "100000000000000000004", "100000000000000000005", "100000000000000000006"],
      outcomes: ["cancelled", "cancelled", "held", "cancelled", "held", "held"],
      applied: [],
      counts: { applied: 0, cancelled: 3, held: 3 },
    },
  ] as const;

  it.each(cases)("G5/G9: with little time left and a slow projection, delivery is cancelled safetyMarginMs before the end; the unfinished records are reported and nothing is half-applied ($label)", async ({ maxBatchSize, reported, outcomes, applied, counts }) => {
    let slow = true;
    const { projection, driver } = ledger({ before: (event, signal) => (slow && event.type === "Deposited" ? wait(60_000, signal) : undefined) }, { maxBatchSize });
    const failures: RecordFailure<DynamoDBRecord>[] = [];
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent, onFailure: (f) => failures.push(f) });
    const records = [
      accountChange("acc-1", "100000000000000000001", { eventName: "INSERT" }),
      accountChange("acc-2", "100000000000000000002", { eventName: "INSERT" }),
      accountChange("acc-1", "100000000000000000003", { eventName: "MODIFY", amount: 10 }),
      accountChange("acc-3", "100000000000000000004", { eventName: "INSERT" }),
      accountChange("acc-1", "100000000000000000005", { eventName: "MODIFY", amount: 20 }),
      accountChange("acc-2", "100000000000000000006", { eventName: "MODIFY", amount: 30 }),
    ];
    const started = performance.now();
    // The default margin is 1,000 ms: delivery is cancelled about 80 ms from now.
    const response = await handler({ Records: records }, lambdaContext(1_080));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(60);
    expect(elapsed).toBeLessThan(900);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(reported);
    expect(failures.map((f) => f.outcome)).toEqual(outcomes);
    expect(failures[0]?.error).toMatchObject({ name: "TimeoutError" });
    // Only whole events: the drafts of the cancelled ones were discarded, the versions did not move.
    expect([...projection.state.applied].sort()).toEqual(applied);
    expect(projection.state.balances).toEqual(Object.fromEntries(applied.map((id) => [id.split("#")[0], 0])));
    expect(await projection.resourceVersion(streamResource('Accounts/{"account":{"S":"acc-1"}}'))).toEqual(
      maxBatchSize === 1 ? encodeSequence("100000000000000000001") : new Uint8Array(),
    );
    expect(driver.counts).toMatchObject(counts);

    // The next invocation has time: the reported records apply, the others are duplicates.
    slow = false;
    expect(await handler({ Records: records }, lambdaContext(60_000))).toEqual({ batchItemFailures: [] });
    expect(projection.state.balances).toEqual({ "acc-1": 30, "acc-2": 30, "acc-3": 0 });
    expect(new Set(projection.state.applied).size).toBe(6);
  });

  it("G5: a projection that ignores the signal still commits nothing once the deadline passed; the record is reported", async () => {
    const { projection, driver } = ledger({ before: () => wait(150) });
    const handler = sqsFifoHandler(driver, { toEvent: (record: SQSRecord) => JSON.parse(record.body) as LedgerEvent, safetyMarginMs: 4_960 });
    const message = fifoMessage("acc-1", "18849496460467696128", { type: "Opened", id: "acc-1#1", account: "acc-1" });
    const response = await handler({ Records: [message] }, lambdaContext(5_000));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: message.messageId }] });
    expect(projection.state.applied).toEqual([]);
    expect(driver.counts).toMatchObject({ cancelled: 1, applied: 0 });
  });

  it("G5: when less than the margin is left at the start, every record is reported and the projection is not called", async () => {
    const { projection, driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent, safetyMarginMs: 500 });
    const records = [
      accountChange("acc-1", "200000000000000000001", { eventName: "INSERT" }),
      accountChange("acc-2", "200000000000000000002", { eventName: "INSERT" }),
      accountChange("acc-2", "200000000000000000003", { eventName: "REMOVE" }),
    ];
    const response = await handler({ Records: records }, lambdaContext(300));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["200000000000000000001", "200000000000000000002"]);
    expect(projection.state.applied).toEqual([]);
    expect(driver.counts.attempts).toBe(0);
  });

  it("G5: without a context, or with plenty of time, nothing is cancelled", async () => {
    const { projection, driver } = ledger({ before: () => wait(20) });
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const a = accountChange("acc-1", "300000000000000000001", { eventName: "INSERT" });
    const b = accountChange("acc-2", "300000000000000000002", { eventName: "INSERT" });
    expect(await handler({ Records: [a] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [b] }, lambdaContext(900_000))).toEqual({ batchItemFailures: [] });
    expect(projection.state.applied).toHaveLength(2);
  });
});
