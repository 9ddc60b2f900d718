import {
  dynamoDBStreamsHandler,
  kinesisStreamHandler,
  sqsFifoHandler,
  type BatchResponse,
  type DeliveryDriver,
  type RecordFailure,
} from "@projectionkit/core";
import type { DynamoDBRecord, KinesisStreamRecord, SQSRecord } from "aws-lambda";
import { expect } from "vitest";
import { accountChange, accountEvent, fifoMessage, kinesisRecord, kinesisSequence, ledgerEventFromData, type LedgerEvent } from "./fixtures.js";

/**
 * One event source of the Lambda handlers, as the tests of what every handler does see it: records
 * of the ledger's accounts (one stream per account), the handler over a driver, and what the source
 * reports. The events of account `a` at sequence `s` have the id `a#s`.
 */
export interface LambdaSource<R> {
  readonly name: string;
  /** Delivers `records` as one Lambda event, through a new handler of the source over `driver`. */
  deliver(driver: DeliveryDriver<LedgerEvent>, records: readonly R[], onFailure?: (failure: RecordFailure<R>) => void): Promise<BatchResponse>;
  /** The stream (resource name) of an account's records. */
  stream(account: string): string;
  /** Sequence numbers of the source, increasing with `i`. */
  sequence(i: number): string;
  opened(account: string, sequence: string): R;
  deposited(account: string, sequence: string, amount: number): R;
  /** A record whose `toEvent` throws. */
  poisoned(account: string, sequence: string): R;
  /** What `toEvent` throws for a poisoned record. */
  readonly poisonError: unknown;
  /** The same record delivered again, as the source redelivers it. */
  again(record: R): R;
  itemIdentifier(record: R): string;
  /** The `recordedAt` of every record made here. */
  readonly recordedAt: Date;
}

const dynamoDBStreams: LambdaSource<DynamoDBRecord> = {
  name: "dynamoDBStreamsHandler",
  deliver: (driver, records, onFailure) => dynamoDBStreamsHandler(driver, { toEvent: accountEvent, onFailure })({ Records: records }),
  stream: (account) => `Accounts/{"account":{"S":"${account}"}}`,
  sequence: (i) => `${4421584500000000017450439091n + BigInt(i)}`,
  opened: (account, sequence) => accountChange(account, sequence, { eventName: "INSERT" }),
  deposited: (account, sequence, amount) => accountChange(account, sequence, { eventName: "MODIFY", amount }),
  poisoned: (account, sequence) => accountChange(account, sequence, { eventName: "MODIFY", amount: undefined }),
  poisonError: expect.objectContaining({ message: expect.stringContaining("malformed deposit") }),
  again: (record) => record,
  itemIdentifier: (record) => record.dynamodb?.SequenceNumber ?? "",
  recordedAt: new Date("2024-03-18T09:41:44.000Z"),
};

const kinesisStream: LambdaSource<KinesisStreamRecord> = {
  name: "kinesisStreamHandler",
  deliver: (driver, records, onFailure) => kinesisStreamHandler(driver, { toEvent: ledgerEventFromData, onFailure })({ Records: records }),
  stream: (account) => account,
  sequence: kinesisSequence,
  opened: (account, sequence) => kinesisRecord(account, sequence, { type: "Opened", id: `${account}#${sequence}`, account }),
  deposited: (account, sequence, amount) => kinesisRecord(account, sequence, { type: "Deposited", id: `${account}#${sequence}`, account, amount }),
  poisoned: (account, sequence) => kinesisRecord(account, sequence, "{not json"),
  poisonError: expect.any(SyntaxError),
  again: (record) => record,
  itemIdentifier: (record) => record.kinesis.sequenceNumber,
  recordedAt: new Date(1545084650987),
};

const parse = (record: SQSRecord) => JSON.parse(record.body) as LedgerEvent;

const sqsFifo: LambdaSource<SQSRecord> = {
  name: "sqsFifoHandler",
  deliver: (driver, records, onFailure) => sqsFifoHandler(driver, { toEvent: parse, onFailure })({ Records: records }),
  stream: (account) => account,
  sequence: (i) => `${18849496460467696128n + BigInt(i)}`,
  opened: (account, sequence) => fifoMessage(account, sequence, { type: "Opened", id: `${account}#${sequence}`, account }),
  deposited: (account, sequence, amount) => fifoMessage(account, sequence, { type: "Deposited", id: `${account}#${sequence}`, account, amount }),
  poisoned: (account, sequence) => fifoMessage(account, sequence, "<xml/>"),
  poisonError: expect.any(SyntaxError),
  // SQS may deliver a message again under a new receipt handle within the same batch window.
  again: (record) => ({ ...record, receiptHandle: "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq..." }),
  itemIdentifier: (record) => record.messageId,
  recordedAt: new Date(1573251510774),
};

/** Every source, for `describe.each` (their records are opaque to the tests of what every handler does). */
export const LAMBDA_SOURCES: readonly LambdaSource<unknown>[] = [dynamoDBStreams, kinesisStream, sqsFifo];
