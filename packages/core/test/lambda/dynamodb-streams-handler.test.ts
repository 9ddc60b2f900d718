import {
  dynamoDBStreamsHandler,
  encodeSequence,
  isProjectionKitError,
  streamResource,
  type RecordFailure,
} from "@projectionkit/core";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, DynamoDBStreamHandler } from "aws-lambda";
import { createHash } from "node:crypto";
import { describe, expect, expectTypeOf, it } from "vitest";
import { accountChange, accountEvent, ledger, STREAM_ARN } from "./fixtures.js";

const stream = (account: string) => `Accounts/{"account":{"S":"${account}"}}`;

describe("G5 dynamoDBStreamsHandler", () => {
  it("G5: the handler is a DynamoDBStreamHandler; its records are typed as @types/aws-lambda's when toEvent says so", () => {
    const { driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const typed: DynamoDBStreamHandler = handler;
    expectTypeOf(handler).parameter(0).toEqualTypeOf<{ readonly Records: readonly DynamoDBRecord[] }>();
    expectTypeOf(handler).returns.resolves.toExtend<DynamoDBBatchResponse>();
    expect(typeof typed).toBe("function");
  });

  it("G5: a batch of several items applies all, each item a stream (table + canonical keys), in order, with recordedAt from ApproximateCreationDateTime", async () => {
    const recordedAt: Date[] = [];
    const { projection, driver } = ledger({ before: (_event, _signal, scope) => void recordedAt.push(scope.recordedAt) });
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const event: DynamoDBStreamEvent = {
      Records: [
        accountChange("acc-1", "4421584500000000017450439091", { eventName: "INSERT" }),
        accountChange("acc-2", "4421584500000000017450439092", { eventName: "INSERT" }),
        accountChange("acc-1", "4421584500000000017450439093", { eventName: "MODIFY", amount: 10 }),
        accountChange("acc-2", "4421584500000000017450439094", { eventName: "MODIFY", amount: 7 }),
        accountChange("acc-1", "4421584500000000017450439095", { eventName: "MODIFY", amount: 5 }),
      ],
    };
    const response = await handler(event);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(projection.state.balances).toEqual({ "acc-1": 15, "acc-2": 7 });
    expect(projection.state.applied.filter((id) => id.startsWith("acc-1#"))).toEqual([
      "acc-1#4421584500000000017450439091",
      "acc-1#4421584500000000017450439093",
      "acc-1#4421584500000000017450439095",
    ]);
    expect(await projection.resourceVersion(streamResource(stream("acc-1")))).toEqual(encodeSequence("4421584500000000017450439095"));
    expect(await projection.resourceVersion(streamResource(stream("acc-2")))).toEqual(encodeSequence("4421584500000000017450439094"));
    expect(driver.counts).toMatchObject({ delivered: 5, applied: 5, duplicates: 0 });
    expect(recordedAt).toEqual(Array.from({ length: 5 }, () => new Date("2024-03-18T09:41:44.000Z")));
  });

  it("G5: the default stream is the same item whatever the order of its key attributes", async () => {
    const { projection, driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const keys = { account: { S: "acc-9" }, region: { S: "eu" } };
    const reversed = { region: { S: "eu" }, account: { S: "acc-9" } };
    await handler({
      Records: [
        accountChange("acc-9", "500000000000000000001", { eventName: "INSERT" }, keys),
        accountChange("acc-9", "500000000000000000002", { eventName: "MODIFY", amount: 3 }, reversed),
      ],
    });
    expect(await projection.resourceVersion(streamResource('Accounts/{"account":{"S":"acc-9"},"region":{"S":"eu"}}'))).toEqual(
      encodeSequence("500000000000000000002"),
    );
    // A redelivery with the keys in the other order is a duplicate of the same item.
    const again = await handler({ Records: [accountChange("acc-9", "500000000000000000001", { eventName: "INSERT" }, reversed)] });
    expect(again.batchItemFailures).toEqual([]);
    expect(driver.counts.duplicates).toBe(1);
    expect(projection.state.balances).toEqual({ "acc-9": 3 });
  });

  it("G5: an item whose keys make a stream over 512 bytes gets the table and a SHA-256 of its canonical keys as its stream, whatever the key order", async () => {
    const { projection, driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const sortKey = "é".repeat(600); // 1,200 UTF-8 bytes: a readable stream would not fit a backend's key
    const keys = { account: { S: "acc-long" }, sk: { S: sortKey } };
    const reversed = { sk: { S: sortKey }, account: { S: "acc-long" } };
    const response = await handler({
      Records: [
        accountChange("acc-long", "600000000000000000001", { eventName: "INSERT" }, reversed),
        accountChange("acc-long", "600000000000000000002", { eventName: "MODIFY", amount: 4 }, keys),
      ],
    });
    expect(response.batchItemFailures).toEqual([]);
    const digest = createHash("sha256").update(`{"account":{"S":"acc-long"},"sk":{"S":"${sortKey}"}}`, "utf8").digest("hex");
    const hashed = `Accounts/#sha256:${digest}`;
    expect(await projection.resourceVersion(streamResource(hashed))).toEqual(encodeSequence("600000000000000000002"));
    expect(streamResource(hashed).length).toBeLessThanOrEqual(512);
    expect(projection.state.balances).toEqual({ "acc-long": 4 });
    // 512 bytes exactly stays readable.
    const fits = "a".repeat(512 - 'Accounts/{"account":{"S":""}}'.length);
    await handler({ Records: [accountChange(fits, "600000000000000000003", { eventName: "INSERT" })] });
    expect(await projection.resourceVersion(streamResource(`Accounts/{"account":{"S":"${fits}"}}`))).toEqual(encodeSequence("600000000000000000003"));
  });

  it("G5: a poisoned record alone in its stream is the only record reported; the other streams apply", async () => {
    const { projection, driver } = ledger();
    const failures: RecordFailure<DynamoDBRecord>[] = [];
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent, onFailure: (failure) => failures.push(failure) });
    const response = await handler({
      Records: [
        accountChange("acc-1", "600000000000000000001", { eventName: "INSERT" }),
        accountChange("acc-2", "600000000000000000002", { eventName: "MODIFY", amount: undefined }),
        accountChange("acc-3", "600000000000000000003", { eventName: "INSERT" }),
        accountChange("acc-1", "600000000000000000004", { eventName: "MODIFY", amount: 4 }),
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "600000000000000000002" }] });
    expect(projection.state.balances).toEqual({ "acc-1": 4, "acc-3": 0 });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ index: 1, itemIdentifier: "600000000000000000002", outcome: "failed" });
    expect(String((failures[0]?.error as Error).message)).toContain("malformed deposit");
  });

  it("G5: a poisoned record followed by records of its stream: it fails, the later ones are held (reported, not applied), other streams apply; fixed, the redelivery applies them in order", async () => {
    const { projection, driver } = ledger();
    const failures: RecordFailure<DynamoDBRecord>[] = [];
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent, onFailure: (failure) => failures.push(failure) });
    const records = [
      accountChange("acc-1", "700000000000000000001", { eventName: "INSERT" }),
      accountChange("acc-2", "700000000000000000002", { eventName: "INSERT" }),
      accountChange("acc-1", "700000000000000000003", { eventName: "MODIFY", amount: undefined }),
      accountChange("acc-2", "700000000000000000004", { eventName: "MODIFY", amount: 2 }),
      accountChange("acc-1", "700000000000000000005", { eventName: "MODIFY", amount: 5 }),
      accountChange("acc-1", "700000000000000000006", { eventName: "MODIFY", amount: 6 }),
    ];
    const response = await handler({ Records: records });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["700000000000000000003", "700000000000000000005", "700000000000000000006"]);
    expect(failures.map((f) => [f.index, f.outcome])).toEqual([
      [2, "failed"],
      [4, "held"],
      [5, "held"],
    ]);
    expect(projection.state.balances).toEqual({ "acc-1": 0, "acc-2": 2 });
    expect(await projection.resourceVersion(streamResource(stream("acc-1")))).toEqual(encodeSequence("700000000000000000001"));

    // Lambda retries from the lowest reported sequence number; the poisoned record is now readable.
    const fixed = accountChange("acc-1", "700000000000000000003", { eventName: "MODIFY", amount: 3 });
    const retry = await handler({ Records: [fixed, records[3] as DynamoDBRecord, records[4] as DynamoDBRecord, records[5] as DynamoDBRecord] });
    expect(retry.batchItemFailures).toEqual([]);
    expect(projection.state.balances).toEqual({ "acc-1": 14, "acc-2": 2 });
    expect(projection.state.applied.filter((id) => id.startsWith("acc-1#"))).toEqual([
      "acc-1#700000000000000000001",
      "acc-1#700000000000000000003",
      "acc-1#700000000000000000005",
      "acc-1#700000000000000000006",
    ]);
  });

  it("G5: a fully redelivered batch reports nothing and writes nothing; the counts show duplicates", async () => {
    const { projection, driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const event: DynamoDBStreamEvent = {
      Records: [
        accountChange("acc-1", "800000000000000000001", { eventName: "INSERT" }),
        accountChange("acc-2", "800000000000000000002", { eventName: "INSERT" }),
        accountChange("acc-1", "800000000000000000003", { eventName: "MODIFY", amount: 1 }),
      ],
    };
    await handler(event);
    const state = projection.state;
    const before = driver.counts;
    const response = await handler(event);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(projection.state).toBe(state);
    expect(driver.counts.applied - before.applied).toBe(0);
    expect(driver.counts.duplicates - before.duplicates).toBe(3);
    expect(driver.counts.attempts - before.attempts).toBe(0);
  });

  it("G5: duplicates inside one batch are not failures, and REMOVE records that toEvent skips are neither delivered nor reported", async () => {
    const { projection, driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const opened = accountChange("acc-1", "900000000000000000001", { eventName: "INSERT" });
    const deposit = accountChange("acc-1", "900000000000000000002", { eventName: "MODIFY", amount: 8 });
    const response = await handler({
      Records: [opened, deposit, opened, deposit, accountChange("acc-1", "900000000000000000003", { eventName: "REMOVE" })],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(projection.state.applied).toEqual(["acc-1#900000000000000000001", "acc-1#900000000000000000002"]);
    expect(driver.counts).toMatchObject({ delivered: 4, applied: 2, duplicates: 2 });
  });

  it("G5: a projection failure reports the record and holds the rest of its stream", async () => {
    const { projection, driver } = ledger({
      before: (event) => {
        if (event.type === "Deposited" && event.amount > 100) throw new Error("limit exceeded");
      },
    });
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const response = await handler({
      Records: [
        accountChange("acc-1", "910000000000000000001", { eventName: "INSERT" }),
        accountChange("acc-1", "910000000000000000002", { eventName: "MODIFY", amount: 500 }),
        accountChange("acc-1", "910000000000000000003", { eventName: "MODIFY", amount: 1 }),
      ],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "910000000000000000002" }, { itemIdentifier: "910000000000000000003" }]);
    expect(projection.state.balances).toEqual({ "acc-1": 0 });
  });

  it("G5: a record whose stream cannot be derived (no table ARN) fails and holds every later record of the batch", async () => {
    const { projection, driver } = ledger();
    const failures: RecordFailure<DynamoDBRecord>[] = [];
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent, onFailure: (failure) => failures.push(failure) });
    const broken = { ...accountChange("acc-2", "920000000000000000002", { eventName: "INSERT" }), eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:not-a-stream" };
    const response = await handler({
      Records: [
        accountChange("acc-1", "920000000000000000001", { eventName: "INSERT" }),
        broken,
        accountChange("acc-3", "920000000000000000003", { eventName: "INSERT" }),
      ],
    });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["920000000000000000002", "920000000000000000003"]);
    expect(failures.map((f) => f.outcome)).toEqual(["failed", "held"]);
    expect(isProjectionKitError(failures[0]?.error, "ERR_INVALID_ARGUMENT")).toBe(true);
    expect((failures[0]?.error as { argument: string }).argument).toBe("event.Records[1].eventSourceARN");
    expect(projection.state.balances).toEqual({ "acc-1": 0 });
  });

  it("G5: a custom streamOf replaces the default stream", async () => {
    const { projection, driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent, streamOf: (record) => `account:${record.dynamodb?.Keys?.["account"]?.S}` });
    await handler({ Records: [accountChange("acc-1", "930000000000000000001", { eventName: "INSERT" })] });
    expect(await projection.resourceVersion(streamResource("account:acc-1"))).toEqual(encodeSequence("930000000000000000001"));
  });

  it("G5: an event the handler cannot answer record by record rejects, so that Lambda retries the whole batch, and applies nothing", async () => {
    const { projection, driver } = ledger();
    const handler = dynamoDBStreamsHandler(driver, { toEvent: accountEvent });
    const noSequence = accountChange("acc-1", "940000000000000000001", { eventName: "INSERT" });
    delete noSequence.dynamodb?.SequenceNumber;
    const error = await handler({ Records: [accountChange("acc-2", "940000000000000000000", { eventName: "INSERT" }), noSequence] }).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_INVALID_ARGUMENT")).toBe(true);
    expect((error as { argument: string }).argument).toBe("event.Records[1].dynamodb.SequenceNumber");
    await expect(handler({} as DynamoDBStreamEvent)).rejects.toMatchObject({ code: "ERR_INVALID_ARGUMENT", argument: "event.Records" });
    expect(projection.state.applied).toEqual([]);
    expect(STREAM_ARN).toContain(":table/Accounts/stream/");
  });
});
