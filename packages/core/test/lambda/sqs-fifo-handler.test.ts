import { sqsFifoHandler, type RecordFailure } from "@projectionkit/core";
import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { fifoMessage, ledger, type LedgerEvent } from "./fixtures.js";

const parse = (record: SQSRecord) => JSON.parse(record.body) as LedgerEvent;
const opened = (account: string, n: number): LedgerEvent => ({ type: "Opened", id: `${account}#${n}`, account });

describe("G5 sqsFifoHandler", () => {
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
