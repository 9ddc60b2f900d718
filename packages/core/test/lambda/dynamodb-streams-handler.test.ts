import {
  dynamoDBStreamsHandler,
  encodeSequence,
  isProjectionKitError,
  streamResource,
  type RecordFailure,
} from "@projectionkit/core";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { accountChange, accountEvent, ledger, STREAM_ARN } from "./fixtures.js";

describe("G5 dynamoDBStreamsHandler", () => {
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
