import { DeliveryDriver, type DeliveryDriverOptions } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import type { AttributeValue, DynamoDBRecord, KinesisStreamRecord, SQSRecord } from "aws-lambda";
import { ledgerHandler, type LedgerEvent, type LedgerHooks } from "../../../../test/support/memory-ledger.js";

export { ledgerHandler, type LedgerEvent, type LedgerHooks } from "../../../../test/support/memory-ledger.js";

/** A memory projection of the ledger and a driver over it that does not retry. */
export function ledger(hooks: LedgerHooks = {}, options: DeliveryDriverOptions<LedgerEvent> = {}) {
  const projection = memoryProjection(ledgerHandler(hooks));
  const driver = new DeliveryDriver(projection, { retry: { maxAttempts: 1 }, ...options });
  return { projection, driver };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export const STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Accounts/stream/2024-03-18T09:21:44.372";

/**
 * A DynamoDB Streams record of the `Accounts` table (key `account`), shaped like the records Lambda
 * delivers: an INSERT opens an account, a MODIFY records a deposit in `lastDeposit`.
 */
export function accountChange(
  account: string,
  sequence: string,
  change: { eventName: "INSERT" } | { eventName: "MODIFY"; amount: number | undefined } | { eventName: "REMOVE" },
  keys: Record<string, AttributeValue> = { account: { S: account } },
): DynamoDBRecord {
  const image: Record<string, AttributeValue> = { ...keys, account: { S: account }, owner: { S: `owner of ${account}` } };
  if (change.eventName === "MODIFY" && change.amount !== undefined) {
    image["lastDeposit"] = { N: String(change.amount) };
  }
  return {
    eventID: `${sequence.slice(-8)}c4ca4238a0b923820dcc509a6f75`,
    eventName: change.eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      ApproximateCreationDateTime: 1710754904,
      Keys: keys,
      ...(change.eventName === "REMOVE" ? { OldImage: image } : { NewImage: image }),
      SequenceNumber: sequence,
      SizeBytes: 94,
      StreamViewType: change.eventName === "REMOVE" ? "NEW_AND_OLD_IMAGES" : "NEW_IMAGE",
    },
    eventSourceARN: STREAM_ARN,
  };
}

/** The ledger event of an `Accounts` change; throws for a MODIFY without a deposit (a poisoned record). */
export function accountEvent(record: DynamoDBRecord): LedgerEvent | undefined {
  const image = record.dynamodb?.NewImage;
  const account = image?.["account"]?.S;
  const id = `${account}#${record.dynamodb?.SequenceNumber}`;
  if (record.eventName === "REMOVE" || account === undefined) {
    return undefined;
  }
  if (record.eventName === "INSERT") {
    return { type: "Opened", id, account };
  }
  const amount = Number(image?.["lastDeposit"]?.N);
  if (!Number.isFinite(amount)) {
    throw new Error(`malformed deposit in ${record.eventID}`);
  }
  return { type: "Deposited", id, account, amount };
}

/** Sequence numbers of one Kinesis shard, increasing; gaps between them are normal. */
const KINESIS_SEQUENCES = [
  "49590338271490256608559692538361571095921575989136588898",
  "49590338271490256608559692540925702759324208523137515618",
  "49590338271490256608559692541934906412358722148936728674",
  "49590338271490256608559692553437018542437127469384319074",
  "49590338271490256608559692558649376126931201612163637346",
  "49590338271490256608559692563612945073591428374719643746",
] as const;

/** The `i`-th sequence number of shard 6 (`i` from 0 to 5). */
export function kinesisSequence(i: number): string {
  const sequence = KINESIS_SEQUENCES[i];
  if (sequence === undefined) {
    throw new RangeError(`no Kinesis sequence number ${i} in the fixtures`);
  }
  return sequence;
}

/** A Kinesis record on shard 6 of the `ledger-events` stream, its data the JSON of `payload`. */
export function kinesisRecord(partitionKey: string, sequenceNumber: string, payload: unknown): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey,
      sequenceNumber,
      data: Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64"),
      approximateArrivalTimestamp: 1545084650.987,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000006:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::123456789012:role/ledger-projection-role",
    awsRegion: "us-east-2",
    eventSourceARN: "arn:aws:kinesis:us-east-2:123456789012:stream/ledger-events",
  };
}

/** Decodes a Kinesis record's data as a ledger event (JSON). */
export function ledgerEventFromData(_record: KinesisStreamRecord, data: Uint8Array): LedgerEvent {
  return JSON.parse(new TextDecoder().decode(data)) as LedgerEvent;
}

let messages = 0;

/** An SQS record of the `ledger.fifo` queue; `group` undefined makes it a standard queue's record. */
export function fifoMessage(group: string | undefined, sequenceNumber: string | undefined, body: unknown): SQSRecord {
  messages++;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    messageId: `${String(messages).padStart(8, "0")}-4cc7-4302-9e22-7cd8afdaadf5`,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${messages}...`,
    body: text,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1573251510774",
      SenderId: "AIDAIO23YVJENQZJOL4VO",
      ApproximateFirstReceiveTimestamp: "1573251510774",
      ...(group === undefined ? {} : { MessageGroupId: group, MessageDeduplicationId: `dedup-${messages}` }),
      ...(sequenceNumber === undefined ? {} : { SequenceNumber: sequenceNumber }),
    },
    messageAttributes: {},
    md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
    eventSource: "aws:sqs",
    eventSourceARN: group === undefined ? "arn:aws:sqs:us-east-2:123456789012:ledger" : "arn:aws:sqs:us-east-2:123456789012:ledger.fifo",
    awsRegion: "us-east-2",
  };
}
