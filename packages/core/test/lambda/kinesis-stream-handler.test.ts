import { encodeSequence, kinesisStreamHandler, streamResource, type RecordFailure } from "@projectionkit/core";
import type { KinesisStreamRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { kinesisRecord, kinesisSequence as seq, ledger, ledgerEventFromData, type LedgerEvent } from "./fixtures.js";

const opened = (account: string, i: number): LedgerEvent => ({ type: "Opened", id: `${account}#${i}`, account });

describe("G5 kinesisStreamHandler", () => {
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
