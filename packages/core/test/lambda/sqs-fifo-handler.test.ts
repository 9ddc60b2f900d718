import { encodeSequence, sqsFifoHandler, streamResource, type RecordFailure } from "@projectionkit/core";
import type { SQSBatchResponse, SQSEvent, SQSHandler, SQSRecord } from "aws-lambda";
import { describe, expect, expectTypeOf, it } from "vitest";
import { fifoMessage, ledger, type LedgerEvent } from "./fixtures.js";

const parse = (record: SQSRecord) => JSON.parse(record.body) as LedgerEvent;
const opened = (account: string, n: number): LedgerEvent => ({ type: "Opened", id: `${account}#${n}`, account });
const deposited = (account: string, n: number, amount: number): LedgerEvent => ({ type: "Deposited", id: `${account}#${n}`, account, amount });

describe("G5 sqsFifoHandler", () => {
  it("G5: the handler is an SQSHandler", () => {
    const { driver } = ledger();
    const handler = sqsFifoHandler(driver, { toEvent: parse });
    const typed: SQSHandler = handler;
    expectTypeOf(handler).parameter(0).toEqualTypeOf<{ readonly Records: readonly SQSRecord[] }>();
    expectTypeOf(handler).returns.resolves.toExtend<SQSBatchResponse>();
    expect(typeof typed).toBe("function");
  });

  it("G5: messages of several groups all apply, each group in order, the group being the stream", async () => {
    const recordedAt: Date[] = [];
    const { projection, driver } = ledger({ before: (_e, _s, scope) => void recordedAt.push(scope.recordedAt) });
    const handler = sqsFifoHandler(driver, { toEvent: parse });
    const event: SQSEvent = {
      Records: [
        fifoMessage("acc-1", "18849496460467696128", opened("acc-1", 1)),
        fifoMessage("acc-2", "18849496460467696129", opened("acc-2", 1)),
        fifoMessage("acc-1", "18849496460467696130", deposited("acc-1", 2, 9)),
        fifoMessage("acc-2", "18849496460467696131", deposited("acc-2", 2, 1)),
      ],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(projection.state.balances).toEqual({ "acc-1": 9, "acc-2": 1 });
    expect(await projection.resourceVersion(streamResource("acc-1"))).toEqual(encodeSequence("18849496460467696130"));
    expect(recordedAt[0]).toEqual(new Date(1573251510774));
  });

  it("G5: a poisoned message is reported by its messageId; alone in its group, only it; followed by its group, the later ones too", async () => {
    const { projection, driver } = ledger();
    const handler = sqsFifoHandler(driver, { toEvent: parse });
    const alone = [
      fifoMessage("acc-1", "18849496460467697001", opened("acc-1", 1)),
      fifoMessage("acc-2", "18849496460467697002", "<xml/>"),
      fifoMessage("acc-1", "18849496460467697003", deposited("acc-1", 2, 3)),
    ];
    expect(await handler({ Records: alone })).toEqual({ batchItemFailures: [{ itemIdentifier: alone[1]?.messageId }] });

    const followed = [
      fifoMessage("acc-3", "18849496460467698001", "<xml/>"),
      fifoMessage("acc-1", "18849496460467698002", deposited("acc-1", 3, 4)),
      fifoMessage("acc-3", "18849496460467698003", opened("acc-3", 1)),
      fifoMessage("acc-3", "18849496460467698004", deposited("acc-3", 2, 8)),
    ];
    const response = await handler({ Records: followed });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([followed[0], followed[2], followed[3]].map((m) => m?.messageId));
    expect(projection.state.balances).toEqual({ "acc-1": 7 });
  });

  it("G5: a fully redelivered batch reports nothing and writes nothing; duplicates inside a batch are not failures", async () => {
    const { projection, driver } = ledger();
    const handler = sqsFifoHandler(driver, { toEvent: parse });
    const first = fifoMessage("acc-1", "18849496460467699001", opened("acc-1", 1));
    const second = fifoMessage("acc-1", "18849496460467699002", deposited("acc-1", 2, 2));
    // SQS may deliver a message again under a new receipt handle within the same batch window.
    expect(await handler({ Records: [first, second, { ...first, receiptHandle: "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq..." }] })).toEqual({
      batchItemFailures: [],
    });
    const state = projection.state;
    expect(await handler({ Records: [first, second] })).toEqual({ batchItemFailures: [] });
    expect(projection.state).toBe(state);
    expect(driver.counts).toMatchObject({ applied: 2, duplicates: 3 });
  });

  it("G5: a message of a standard queue (no MessageGroupId or SequenceNumber) is a typed error reported as a failure of that message", async () => {
    const { projection, driver } = ledger();
    const failures: RecordFailure<SQSRecord>[] = [];
    const handler = sqsFifoHandler(driver, { toEvent: parse, onFailure: (f) => failures.push(f) });
    const standard = fifoMessage(undefined, undefined, opened("acc-5", 1));
    const noSequence = fifoMessage("acc-6", undefined, opened("acc-6", 1));
    const fine = fifoMessage("acc-7", "18849496460467690001", opened("acc-7", 1));
    const response = await handler({ Records: [fine, standard, noSequence] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: standard.messageId }, { itemIdentifier: noSequence.messageId }]);
    expect(failures.map((f) => f.error)).toEqual([
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", name: "InvalidArgumentError", argument: "event.Records[1].attributes.MessageGroupId" }),
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "event.Records[2].attributes.SequenceNumber" }),
    ]);
    expect(String((failures[0]?.error as Error).message)).toContain("FIFO");
    expect(projection.state.applied).toEqual(["acc-7#1"]);
  });
});
