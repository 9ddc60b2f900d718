import {
  dynamoDBStreamsHandler,
  encodeSequence,
  kinesisStreamHandler,
  sqsFifoHandler,
  streamResource,
  type RecordFailure,
} from "@projectionkit/core";
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamHandler,
  KinesisStreamBatchResponse,
  KinesisStreamHandler,
  KinesisStreamRecord,
  SQSBatchResponse,
  SQSHandler,
  SQSRecord,
} from "aws-lambda";
import { describe, expect, expectTypeOf, it } from "vitest";
import { accountEvent, ledger, ledgerEventFromData, type LedgerEvent } from "./fixtures.js";
import { LAMBDA_SOURCES } from "./sources.js";

it("G5: each handler is its source's handler type of @types/aws-lambda, its records typed as toEvent says", () => {
  const { driver } = ledger();
  const dynamodb = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
  const kinesis = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData });
  const sqs = sqsFifoHandler(driver, { toEvent: (record: SQSRecord) => JSON.parse(record.body) as LedgerEvent });
  const typed: [DynamoDBStreamHandler, KinesisStreamHandler, SQSHandler] = [dynamodb, kinesis, sqs];
  expectTypeOf(dynamodb).parameter(0).toEqualTypeOf<{ readonly Records: readonly DynamoDBRecord[] }>();
  expectTypeOf(dynamodb).returns.resolves.toExtend<DynamoDBBatchResponse>();
  expectTypeOf(kinesis).parameter(0).toEqualTypeOf<{ readonly Records: readonly KinesisStreamRecord[] }>();
  expectTypeOf(kinesis).returns.resolves.toExtend<KinesisStreamBatchResponse>();
  expectTypeOf(sqs).parameter(0).toEqualTypeOf<{ readonly Records: readonly SQSRecord[] }>();
  expectTypeOf(sqs).returns.resolves.toExtend<SQSBatchResponse>();
  expect(typed.map((handler) => typeof handler)).toEqual(["function", "function", "function"]);
});

describe.each(LAMBDA_SOURCES)("G5 $name", (source) => {
  const seq = (i: number) => source.sequence(i);
  const ids = (records: readonly unknown[]) => records.map((record) => ({ itemIdentifier: source.itemIdentifier(record) }));

  it("G5: records of several streams all apply, each stream in order, with the source's recordedAt", async () => {
    const recordedAt: Date[] = [];
    const { projection, driver } = ledger({ before: (_event, _signal, scope) => void recordedAt.push(scope.recordedAt) });
    const records = [
      source.opened("acc-1", seq(0)),
      source.opened("acc-2", seq(1)),
      source.deposited("acc-1", seq(2), 10),
      source.deposited("acc-2", seq(3), 7),
      source.deposited("acc-1", seq(4), 5),
    ];
    expect(await source.deliver(driver, records)).toEqual({ batchItemFailures: [] });
    expect(projection.state.balances).toEqual({ "acc-1": 15, "acc-2": 7 });
    expect(projection.state.applied.filter((id) => id.startsWith("acc-1#"))).toEqual([`acc-1#${seq(0)}`, `acc-1#${seq(2)}`, `acc-1#${seq(4)}`]);
    expect(await projection.resourceVersion(streamResource(source.stream("acc-1")))).toEqual(encodeSequence(seq(4)));
    expect(await projection.resourceVersion(streamResource(source.stream("acc-2")))).toEqual(encodeSequence(seq(3)));
    expect(driver.counts).toMatchObject({ delivered: 5, applied: 5, duplicates: 0 });
    expect(recordedAt).toEqual(Array.from({ length: 5 }, () => source.recordedAt));
  });

  it("G5: a poisoned record alone in its stream is the only record reported; the other streams apply", async () => {
    const { projection, driver } = ledger();
    const failures: RecordFailure<unknown>[] = [];
    const records = [source.opened("acc-1", seq(0)), source.poisoned("acc-2", seq(1)), source.opened("acc-3", seq(2)), source.deposited("acc-1", seq(3), 4)];
    expect(await source.deliver(driver, records, (failure) => failures.push(failure))).toEqual({ batchItemFailures: ids([records[1]]) });
    expect(projection.state.balances).toEqual({ "acc-1": 4, "acc-3": 0 });
    expect(failures).toEqual([{ record: records[1], index: 1, itemIdentifier: source.itemIdentifier(records[1]), outcome: "failed", error: source.poisonError }]);
  });

  it("G5: a poisoned record followed by records of its stream: it fails, the later ones are held (reported, not applied), other streams apply; fixed, the redelivery applies them in order", async () => {
    const { projection, driver } = ledger();
    const failures: RecordFailure<unknown>[] = [];
    const records = [
      source.opened("acc-1", seq(0)),
      source.opened("acc-2", seq(1)),
      source.poisoned("acc-1", seq(2)),
      source.deposited("acc-2", seq(3), 2),
      source.deposited("acc-1", seq(4), 5),
      source.deposited("acc-1", seq(5), 6),
    ];
    const response = await source.deliver(driver, records, (failure) => failures.push(failure));
    expect(response.batchItemFailures).toEqual(ids([records[2], records[4], records[5]]));
    expect(failures.map((f) => [f.index, f.outcome])).toEqual([
      [2, "failed"],
      [4, "held"],
      [5, "held"],
    ]);
    expect(failures[0]?.error).toEqual(source.poisonError);
    expect(projection.state.balances).toEqual({ "acc-1": 0, "acc-2": 2 });
    expect(await projection.resourceVersion(streamResource(source.stream("acc-1")))).toEqual(encodeSequence(seq(0)));

    // Lambda retries from the first reported record; the poisoned record is now readable.
    const retry = await source.deliver(driver, [source.deposited("acc-1", seq(2), 3), ...records.slice(3)]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(projection.state.balances).toEqual({ "acc-1": 14, "acc-2": 2 });
    expect(projection.state.applied.filter((id) => id.startsWith("acc-1#"))).toEqual([0, 2, 4, 5].map((i) => `acc-1#${seq(i)}`));
  });

  it("G5: a fully redelivered batch reports nothing, writes nothing and counts duplicates; duplicates inside a batch are not failures", async () => {
    const { projection, driver } = ledger();
    const opened = source.opened("acc-1", seq(0));
    const records = [opened, source.deposited("acc-1", seq(1), 4), source.again(opened)];
    expect(await source.deliver(driver, records)).toEqual({ batchItemFailures: [] });
    expect(driver.counts).toMatchObject({ applied: 2, duplicates: 1 });
    const state = projection.state;
    const before = driver.counts;
    expect(await source.deliver(driver, records)).toEqual({ batchItemFailures: [] });
    expect(projection.state).toBe(state);
    expect(driver.counts.applied - before.applied).toBe(0);
    expect(driver.counts.duplicates - before.duplicates).toBe(3);
    expect(driver.counts.attempts - before.attempts).toBe(0);
    expect(projection.state.applied).toEqual([`acc-1#${seq(0)}`, `acc-1#${seq(1)}`]);
  });
});
