import { encodeSequence, kinesisStreamHandler, streamResource, type RecordFailure } from "@projectionkit/core";
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamHandler, KinesisStreamRecord } from "aws-lambda";
import { describe, expect, expectTypeOf, it } from "vitest";
import { kinesisRecord, ledger, ledgerEventFromData, type LedgerEvent } from "./fixtures.js";

// Sequence numbers of one shard, increasing; gaps between them are normal.
const SEQ = [
  "49590338271490256608559692538361571095921575989136588898",
  "49590338271490256608559692540925702759324208523137515618",
  "49590338271490256608559692541934906412358722148936728674",
  "49590338271490256608559692553437018542437127469384319074",
  "49590338271490256608559692558649376126931201612163637346",
  "49590338271490256608559692563612945073591428374719643746",
] as const;
const seq = (i: number) => SEQ[i] as string;

const opened = (account: string, i: number): LedgerEvent => ({ type: "Opened", id: `${account}#${i}`, account });
const deposited = (account: string, i: number, amount: number): LedgerEvent => ({ type: "Deposited", id: `${account}#${i}`, account, amount });

describe("G5 kinesisStreamHandler", () => {
  it("G5: the handler is a KinesisStreamHandler", () => {
    const { driver } = ledger();
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData });
    const typed: KinesisStreamHandler = handler;
    expectTypeOf(handler).parameter(0).toEqualTypeOf<{ readonly Records: readonly KinesisStreamRecord[] }>();
    expectTypeOf(handler).returns.resolves.toExtend<KinesisStreamBatchResponse>();
    expect(typeof typed).toBe("function");
  });

  it("G5: records of several partition keys all apply, each key in order, from the base64-decoded data; recordedAt is the arrival time", async () => {
    const recordedAt: Date[] = [];
    const { projection, driver } = ledger({ before: (_e, _s, scope) => void recordedAt.push(scope.recordedAt) });
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData });
    const event: KinesisStreamEvent = {
      Records: [
        kinesisRecord("acc-1", seq(0), opened("acc-1", 0)),
        kinesisRecord("acc-2", seq(1), opened("acc-2", 1)),
        kinesisRecord("acc-1", seq(2), deposited("acc-1", 2, 30)),
        kinesisRecord("acc-3", seq(3), opened("acc-3", 3)),
        kinesisRecord("acc-2", seq(4), deposited("acc-2", 4, 12)),
      ],
    };
    expect(event.Records[0]?.eventID).toBe(`shardId-000000000006:${seq(0)}`);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(projection.state.balances).toEqual({ "acc-1": 30, "acc-2": 12, "acc-3": 0 });
    expect(await projection.resourceVersion(streamResource("acc-2"))).toEqual(encodeSequence(seq(4)));
    expect(recordedAt[0]).toEqual(new Date(1545084650987));
  });

  it("G5: a record whose data is not an event fails alone when it is the last of its partition key", async () => {
    const { projection, driver } = ledger();
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData });
    const response = await handler({
      Records: [
        kinesisRecord("acc-1", seq(0), opened("acc-1", 0)),
        kinesisRecord("acc-2", seq(1), "{not json"),
        kinesisRecord("acc-1", seq(2), deposited("acc-1", 2, 5)),
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(1) }] });
    expect(projection.state.balances).toEqual({ "acc-1": 5 });
  });

  it("G5: a poisoned record followed by records of its partition key: it and they are reported, in order; the other keys apply", async () => {
    const { projection, driver } = ledger();
    const failures: RecordFailure<KinesisStreamRecord>[] = [];
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData, onFailure: (f) => failures.push(f) });
    const response = await handler({
      Records: [
        kinesisRecord("acc-1", seq(0), opened("acc-1", 0)),
        kinesisRecord("acc-1", seq(1), "{not json"),
        kinesisRecord("acc-2", seq(2), opened("acc-2", 2)),
        kinesisRecord("acc-1", seq(3), deposited("acc-1", 3, 5)),
        kinesisRecord("acc-2", seq(4), deposited("acc-2", 4, 6)),
        kinesisRecord("acc-1", seq(5), deposited("acc-1", 5, 7)),
      ],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: seq(1) }, { itemIdentifier: seq(3) }, { itemIdentifier: seq(5) }]);
    expect(failures.map((f) => f.outcome)).toEqual(["failed", "held", "held"]);
    expect(failures[0]?.error).toBeInstanceOf(SyntaxError);
    expect(projection.state.balances).toEqual({ "acc-1": 0, "acc-2": 6 });
    expect(await projection.resourceVersion(streamResource("acc-1"))).toEqual(encodeSequence(seq(0)));
  });

  it("G5: a fully redelivered batch reports nothing, writes nothing and counts duplicates; duplicates inside a batch are not failures", async () => {
    const { projection, driver } = ledger();
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData });
    const records = [
      kinesisRecord("acc-1", seq(0), opened("acc-1", 0)),
      kinesisRecord("acc-1", seq(1), deposited("acc-1", 1, 4)),
      kinesisRecord("acc-1", seq(0), opened("acc-1", 0)),
    ];
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(driver.counts).toMatchObject({ applied: 2, duplicates: 1 });
    const state = projection.state;
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(projection.state).toBe(state);
    expect(driver.counts).toMatchObject({ applied: 2, duplicates: 4 });
    expect(projection.state.applied).toEqual(["acc-1#0", "acc-1#1"]);
  });

  it("G5: data that is not base64 is a failure of that record", async () => {
    const { driver } = ledger();
    const failures: RecordFailure<KinesisStreamRecord>[] = [];
    const handler = kinesisStreamHandler(driver, { toEvent: ledgerEventFromData, onFailure: (f) => failures.push(f) });
    const bad = kinesisRecord("acc-1", seq(0), opened("acc-1", 0));
    const response = await handler({ Records: [{ ...bad, kinesis: { ...bad.kinesis, data: "%%%" } }] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: seq(0) }]);
    expect(failures[0]?.error).toMatchObject({ code: "ERR_INVALID_ARGUMENT", argument: "event.Records[0].kinesis.data" });
  });

  it("G5: a KPL-aggregated record fails (its user records share one sequence number) and never reaches toEvent; the other keys apply", async () => {
    const { driver, projection } = ledger();
    const failures: RecordFailure<KinesisStreamRecord>[] = [];
    const seen: string[] = [];
    const handler = kinesisStreamHandler(driver, {
      toEvent: (record: KinesisStreamRecord, data: Uint8Array) => {
        seen.push(record.kinesis.sequenceNumber);
        return ledgerEventFromData(record, data);
      },
      onFailure: (f) => failures.push(f),
    });
    const aggregated = kinesisRecord("acc-1", seq(0), opened("acc-1", 0));
    // The KPL's magic number, then (here, abbreviated) the protobuf AggregatedRecord and its MD5.
    const data = Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), Buffer.from("0a0561632d31", "hex")]).toString("base64");
    const response = await handler({ Records: [{ ...aggregated, kinesis: { ...aggregated.kinesis, data } }, kinesisRecord("acc-2", seq(1), opened("acc-2", 1))] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: seq(0) }]);
    expect(failures[0]?.error).toMatchObject({ code: "ERR_INVALID_ARGUMENT", argument: "event.Records[0].kinesis.data" });
    expect(String((failures[0]?.error as Error).message)).toMatch(/Kinesis Producer Library/);
    expect(seen).toEqual([seq(1)]);
    expect(Object.keys(projection.state.balances)).toEqual(["acc-2"]);
  });

  it("G5: a streamOf that throws fails its record and holds every later record of the batch, whatever its key", async () => {
    const { projection, driver } = ledger();
    const handler = kinesisStreamHandler(driver, {
      toEvent: ledgerEventFromData,
      streamOf: (record) => {
        if (record.kinesis.partitionKey === "unknown") throw new Error("no tenant");
        return `tenant-a/${record.kinesis.partitionKey}`;
      },
    });
    const response = await handler({
      Records: [
        kinesisRecord("acc-1", seq(0), opened("acc-1", 0)),
        kinesisRecord("unknown", seq(1), opened("acc-9", 1)),
        kinesisRecord("acc-2", seq(2), opened("acc-2", 2)),
      ],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: seq(1) }, { itemIdentifier: seq(2) }]);
    expect(projection.state.applied).toEqual(["acc-1#0"]);
    expect(await projection.resourceVersion(streamResource("tenant-a/acc-1"))).toEqual(encodeSequence(seq(0)));
  });
});
