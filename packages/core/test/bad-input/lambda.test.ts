import {
  DeliveryDriver,
  dynamoDBStreamsHandler,
  kinesisStreamHandler,
  sqsFifoHandler,
  type BatchHandler,
  type BatchResponse,
  type RecordFailure,
} from "@projectionkit/core";
import type { DynamoDBRecord, KinesisStreamRecord, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountChange, fifoMessage, kinesisRecord } from "../lambda/fixtures.js";
import { expectRefusedBeforeIO, startDynamoTarget, type DynamoTarget, type RowEvent } from "./dynalite-target.js";

// Bad input to the Lambda handlers over a DynamoDB projection on dynalite (G5, G9, E2): options are
// refused when the handler is made; an event that cannot be answered record by record rejects the
// invocation; a record that cannot be read is reported failed with a typed error naming it. In every
// case no request is sent and no table changes.

let target: DynamoTarget;

beforeAll(async () => {
  target = await startDynamoTarget();
});

afterAll(async () => {
  await target?.stop();
});

const decoder = new TextDecoder();
const fromSqs = (record: SQSRecord): RowEvent => JSON.parse(record.body) as RowEvent;
const fromKinesis = (_record: KinesisStreamRecord, data: Uint8Array): RowEvent => JSON.parse(decoder.decode(data)) as RowEvent;
const fromStream = (record: DynamoDBRecord): RowEvent => ({ type: "Row", id: `${record.dynamodb?.Keys?.["account"]?.S}#${record.dynamodb?.SequenceNumber}` });

let rows = 0;
/** A row event of its own. */
function row(): RowEvent {
  rows++;
  return { type: "Row", id: `lambda-${rows}` };
}
const SEQUENCE = "49590338271490256608559692538361571095921575989136588898";

describe("G5/E2: handler options, refused when the handler is made", () => {
  const toEvent = fromSqs;
  const cases: Array<[string, (driver: DeliveryDriver<RowEvent>) => unknown, string, RegExp?]> = [
    ["sqsFifoHandler, a misspelt safetyMarginMs", (driver) => sqsFifoHandler(driver, { toEvent, safetyMargin: 100 } as never), "options.safetyMargin", /did you mean "safetyMarginMs"/],
    ["kinesisStreamHandler, toEvent a string", (driver) => kinesisStreamHandler(driver, { toEvent: "json" } as never), "options.toEvent"],
    ["dynamoDBStreamsHandler, streamOf a string", (driver) => dynamoDBStreamsHandler(driver, { toEvent: fromStream, streamOf: "pk" } as never), "options.streamOf"],
    ["sqsFifoHandler, onFailure a number", (driver) => sqsFifoHandler(driver, { toEvent, onFailure: 1 } as never), "options.onFailure"],
    ["kinesisStreamHandler, safetyMarginMs -1", (driver) => kinesisStreamHandler(driver, { toEvent: fromKinesis, safetyMarginMs: -1 }), "options.safetyMarginMs", /got -1/],
    ['dynamoDBStreamsHandler, safetyMarginMs "1000"', (driver) => dynamoDBStreamsHandler(driver, { toEvent: fromStream, safetyMarginMs: "1000" } as never), "options.safetyMarginMs", /got the string "1000"/],
    ["dynamoDBStreamsHandler, a misspelt onFailure", (driver) => dynamoDBStreamsHandler(driver, { toEvent: fromStream, onFailur: () => {} } as never), "options.onFailur"],
    ["sqsFifoHandler, options an array", (driver) => sqsFifoHandler(driver, [] as never), "options"],
    ["kinesisStreamHandler, no options", (driver) => kinesisStreamHandler(driver, undefined as never), "options"],
    ["sqsFifoHandler, a driver that is not one", () => sqsFifoHandler({} as never, { toEvent }), "driver"],
  ];
  it.each(cases)("%s: ERR_INVALID_ARGUMENT naming it; no request, nothing written", async (_label, make, argument, message) => {
    const driver = new DeliveryDriver(target.projection);
    const error = await expectRefusedBeforeIO(target, () => make(driver), { code: "ERR_INVALID_ARGUMENT", argument });
    if (message !== undefined) {
      expect((error as Error).message).toMatch(message);
    }
  });
});

/** The three handlers over one driver, with the failures they report collected. */
function handlers(): {
  sqs: BatchHandler<SQSRecord>;
  kinesis: BatchHandler<KinesisStreamRecord>;
  streams: BatchHandler<DynamoDBRecord>;
  streamsByEmptyStream: BatchHandler<DynamoDBRecord>;
  sqsToString: BatchHandler<SQSRecord>;
  failures: RecordFailure<unknown>[];
} {
  const driver = new DeliveryDriver(target.projection);
  const failures: RecordFailure<unknown>[] = [];
  const onFailure = (failure: RecordFailure<unknown>): void => void failures.push(failure);
  return {
    sqs: sqsFifoHandler(driver, { toEvent: fromSqs, onFailure }),
    kinesis: kinesisStreamHandler(driver, { toEvent: fromKinesis, onFailure }),
    streams: dynamoDBStreamsHandler(driver, { toEvent: fromStream, onFailure }),
    streamsByEmptyStream: dynamoDBStreamsHandler(driver, { toEvent: fromStream, streamOf: () => "", onFailure }),
    sqsToString: sqsFifoHandler(driver, { toEvent: () => "Row" as never, onFailure }),
    failures,
  };
}

type Handlers = ReturnType<typeof handlers>;

describe("G5: an event that cannot be answered record by record rejects the invocation; the good record before the bad one is not delivered", () => {
  const cases: Array<[string, (h: Handlers) => Promise<unknown>, string]> = [
    ["SQS, an event without Records", (h) => h.sqs({} as never), "event.Records"],
    ["Kinesis, Records not an array", (h) => h.kinesis({ Records: "records" } as never), "event.Records"],
    ["SQS, a message without messageId", (h) => h.sqs({ Records: [fifoMessage("g", "1", row()), { ...fifoMessage("g", "2", row()), messageId: undefined } as never] }), "event.Records[1].messageId"],
    [
      "Kinesis, a record without sequenceNumber",
      (h) => {
        const bad = kinesisRecord("p", "2", row());
        return h.kinesis({ Records: [kinesisRecord("p", "1", row()), { ...bad, kinesis: { ...bad.kinesis, sequenceNumber: undefined } } as never] });
      },
      "event.Records[1].kinesis.sequenceNumber",
    ],
    [
      "DynamoDB Streams, a record without SequenceNumber",
      (h) => {
        const bad = accountChange("a", "200", { eventName: "INSERT" });
        return h.streams({ Records: [accountChange("a", "100", { eventName: "INSERT" }), { ...bad, dynamodb: { ...bad.dynamodb, SequenceNumber: undefined } } as never] });
      },
      "event.Records[1].dynamodb.SequenceNumber",
    ],
  ];
  it.each(cases)("%s: ERR_INVALID_ARGUMENT naming %s; no request, nothing written", async (_label, call, argument) => {
    const h = handlers();
    await expectRefusedBeforeIO(target, () => call(h), { code: "ERR_INVALID_ARGUMENT", argument });
  });
});

describe("G5/G9: a record that cannot be read is reported failed with a typed error naming it, and the later record of its stream held", () => {
  const kpl = Buffer.from([0xf3, 0x89, 0x9a, 0xc2, 1, 2, 3]).toString("base64");
  const cases: Array<[string, (h: Handlers) => Promise<BatchResponse>, string, string | RegExp | undefined]> = [
    ["SQS, a standard queue's message (no MessageGroupId)", (h) => h.sqs({ Records: [fifoMessage(undefined, SEQUENCE, row())] }), "ERR_INVALID_ARGUMENT", "event.Records[0].attributes.MessageGroupId"],
    ['SQS, SequenceNumber "abc"', (h) => h.sqs({ Records: [fifoMessage("g", "abc", row())] }), "ERR_INVALID_ARGUMENT", "sequence of event.Records[0]"],
    ["Kinesis, data that is not base64", (h) => h.kinesis({ Records: [{ ...kinesisRecord("p", SEQUENCE, row()), kinesis: { ...kinesisRecord("p", SEQUENCE, row()).kinesis, data: "not base64!" } }] }), "ERR_INVALID_ARGUMENT", "event.Records[0].kinesis.data"],
    ["Kinesis, a KPL-aggregated record", (h) => h.kinesis({ Records: [{ ...kinesisRecord("p", SEQUENCE, row()), kinesis: { ...kinesisRecord("p", SEQUENCE, row()).kinesis, data: kpl } }] }), "ERR_INVALID_ARGUMENT", "event.Records[0].kinesis.data"],
    ['Kinesis, partitionKey ""', (h) => h.kinesis({ Records: [kinesisRecord("", SEQUENCE, row())] }), "ERR_INVALID_ARGUMENT", "event.Records[0].kinesis.partitionKey"],
    ["DynamoDB Streams, an eventSourceARN of no table stream", (h) => h.streams({ Records: [{ ...accountChange("a", SEQUENCE, { eventName: "INSERT" }), eventSourceARN: "arn:aws:sqs:us-east-1:1:q" }] }), "ERR_INVALID_ARGUMENT", "event.Records[0].eventSourceARN"],
    [
      "DynamoDB Streams, a record without Keys",
      (h) => {
        const record = accountChange("a", SEQUENCE, { eventName: "INSERT" });
        return h.streams({ Records: [{ ...record, dynamodb: { ...record.dynamodb, Keys: undefined } } as never] });
      },
      "ERR_INVALID_ARGUMENT",
      "event.Records[0].dynamodb.Keys",
    ],
    ["toEvent returning a string", (h) => h.sqsToString({ Records: [fifoMessage("g", SEQUENCE, row())] }), "ERR_INVALID_ARGUMENT", "toEvent(event.Records[0])"],
    ['streamOf returning ""', (h) => h.streamsByEmptyStream({ Records: [accountChange("a", SEQUENCE, { eventName: "INSERT" })] }), "ERR_INVALID_ARGUMENT", "stream of event.Records[0]"],
    ["toEvent returning an event of an undeclared type (at a sequence: no version read)", (h) => h.sqs({ Records: [fifoMessage("g", SEQUENCE, { type: "Other", id: "x" })] }), "ERR_UNEXPECTED_MESSAGE", undefined],
  ];
  it.each(cases)("%s: reported failed with %s naming %s; no request, nothing written", async (_label, call, code, argument) => {
    const h = handlers();
    let response: BatchResponse | undefined;
    await expectRefusedBeforeIO(target, () => call(h), { code: code as never, argument }, (value) => {
      response = value as BatchResponse;
      expect(h.failures.map((failure) => failure.outcome)).toEqual(["failed"]);
      return h.failures[0]?.error;
    });
    expect(response?.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([h.failures[0]?.itemIdentifier]);
  });

  it("a bad message followed by a good one of its group: the bad one failed, the good one held; no request, nothing written", async () => {
    const h = handlers();
    const bad = fifoMessage("group-h", "1x", row());
    const good = fifoMessage("group-h", "2", row());
    let response: BatchResponse | undefined;
    await expectRefusedBeforeIO(target, () => h.sqs({ Records: [bad, good] }), { code: "ERR_INVALID_ARGUMENT", argument: "sequence of event.Records[0]" }, (value) => {
      response = value as BatchResponse;
      return h.failures[0]?.error;
    });
    expect(h.failures.map((failure) => failure.outcome)).toEqual(["failed", "held"]);
    expect(response?.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }, { itemIdentifier: good.messageId }]);
  });
});
