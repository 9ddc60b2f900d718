import { ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { DeliveryDriver, kinesisStreamHandler, sqsFifoHandler, type KinesisStreamRecordLike, type SQSRecordLike } from "@projectionkit/core";
import { createTable, documentItem, dynamoProjection, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { describe, expect, it } from "vitest";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";
import { suiteDynalite } from "../support/suite-dynalite.js";

// G8/G9 acceptance through the public API on dynalite: Lambda batches go through the driver, which
// commits each stream's run of records in batches. Write requests are counted on the wire.

type Deposited = { type: "Deposited"; id: string; account: string; amount: number };

const KEY = "6a4c1b0e-3d2f-4e5a-8b7c-9d0e1f2a3b4c";
const WRITES = new Set(["TransactWriteItemsCommand", "PutItemCommand", "UpdateItemCommand", "DeleteItemCommand"]);


const running = suiteDynalite(async (d) => {
  await createTable(d.client, "versions");
  await createStringKeyTable(d.client, "model");
});

/** A client whose write requests are counted on the wire (every HTTP request, retries included). */
function countingClient(): { client: DynamoDBClient; writes: () => number } {
  const client = running().createClient();
  let writes = 0;
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (WRITES.has(String(context.commandName))) writes++;
      return next(args);
    }) as never,
    { step: "finalizeRequest", priority: "low", name: "countWritesOnTheWire" },
  );
  return { client, writes: () => writes };
}

async function scanModel(): Promise<Array<Record<string, unknown>>> {
  const { Items = [] } = await running().client.send(new ScanCommand({ TableName: "model", ConsistentRead: true }));
  return Items.map((item) => unmarshall(item)).sort((a, b) => String(a["pk"]).localeCompare(String(b["pk"])));
}

const configure: DynamoProjectionHandler<Deposited>["configure"] = (c) => {
  c.identity("ledger-batches", KEY);
  c.handlesEvents("Deposited");
};

/** One distinct row per event. */
const rows: DynamoProjectionHandler<Deposited> = {
  configure,
  handleEvent: (_scope, event) => [
    documentItem({ Put: { TableName: "model", Item: { pk: `row#${event.id}`, account: event.account, amount: event.amount }, ConditionExpression: "attribute_not_exists(pk)" } }),
  ],
};

/** Deposits into one balance item per account; a run of deposits is one `ADD` of their sum (D16). */
const balances: DynamoProjectionHandler<Deposited> = {
  configure,
  handleEvent: (_scope, event) => [balanceUpdate(event.account, event.amount)],
  handleEvents: (deliveries) => {
    const first = deliveries[0] as (typeof deliveries)[number];
    return [balanceUpdate(first.event.account, deliveries.reduce((sum, { event }) => sum + event.amount, 0))];
  },
};

function balanceUpdate(account: string, amount: number) {
  return documentItem({ Update: { TableName: "model", Key: { pk: `balance#${account}` }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": amount } } });
}

function sequenceNumber(i: number): string {
  return (49590338271490256608559692538361571095921575989136588898n + BigInt(i) * 7919n).toString();
}

function kinesisRecord(partitionKey: string, sequence: string, event: Deposited): KinesisStreamRecordLike {
  return {
    kinesis: { partitionKey, sequenceNumber: sequence, data: Buffer.from(JSON.stringify(event)).toString("base64"), approximateArrivalTimestamp: 1545084650.987 },
  };
}

function fifoMessage(group: string, sequence: string, event: Deposited, messageId: string): SQSRecordLike {
  return { messageId, body: JSON.stringify(event), attributes: { MessageGroupId: group, SequenceNumber: sequence, SentTimestamp: "1573251510774" } };
}

describe("G8/G9 Lambda handlers batch through the driver (dynalite)", () => {
  it("G8/G9: Kinesis, 300 records over 3 partition keys, one row per event: at most 12 write requests, every row, no failures; delivered again: at most 6, nothing changes", async () => {
    const { client, writes } = countingClient();
    const handler = kinesisStreamHandler(new DeliveryDriver(dynamoProjection(client, "versions", rows)), {
      toEvent: (_record, data) => JSON.parse(new TextDecoder().decode(data)) as Deposited,
    });
    const records = Array.from({ length: 300 }, (_, i) => {
      const account = `kinesis-${i % 3}`;
      return kinesisRecord(account, sequenceNumber(i), { type: "Deposited", id: `k${i}`, account, amount: i });
    });

    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(writes()).toBeLessThanOrEqual(12);
    const model = await scanModel();
    const written = model.filter((item) => String(item["pk"]).startsWith("row#k"));
    expect(written.map((item) => item["pk"]).sort()).toEqual(records.map((_, i) => `row#k${i}`).sort());

    // A new container (a new driver) gets the same batch again.
    const before = writes();
    const again = kinesisStreamHandler(new DeliveryDriver(dynamoProjection(client, "versions", rows)), {
      toEvent: (_record, data) => JSON.parse(new TextDecoder().decode(data)) as Deposited,
    });
    expect(await again({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(writes() - before).toBeLessThanOrEqual(6);
    expect(await scanModel()).toEqual(model);
  });

  it("G8/G9: SQS FIFO, one group of 200 deposits into one balance item (coalesced by handleEvents), two messages repeated inside the batch: at most 5 write requests and the exact balance", async () => {
    const { client, writes } = countingClient();
    const driver = new DeliveryDriver(dynamoProjection(client, "versions", balances));
    const handler = sqsFifoHandler(driver, { toEvent: (record) => JSON.parse(record.body) as Deposited });
    const messages = Array.from({ length: 200 }, (_, i) =>
      fifoMessage("sqs-group", sequenceNumber(i), { type: "Deposited", id: `q${i}`, account: "sqs-group", amount: i + 1 }, `msg-${i}`),
    );
    const batch = [...messages.slice(0, 120), messages[17] as SQSRecordLike, ...messages.slice(120), messages[150] as SQSRecordLike];

    expect(await handler({ Records: batch })).toEqual({ batchItemFailures: [] });
    expect(driver.counts).toMatchObject({ delivered: 202, applied: 200, duplicates: 2, failed: 0 });
    expect(writes()).toBeLessThanOrEqual(5);
    const balance = (await scanModel()).find((item) => item["pk"] === "balance#sqs-group");
    expect(balance?.["balance"]).toBe((200 * 201) / 2);

    // Delivered again: nothing is written, the balance stays.
    const before = writes();
    expect(await handler({ Records: batch })).toEqual({ batchItemFailures: [] });
    expect(writes()).toBe(before);
    expect((await scanModel()).find((item) => item["pk"] === "balance#sqs-group")?.["balance"]).toBe((200 * 201) / 2);
  });

  it("G9: a record that fails for good in the middle of a key's batch: the records before it are applied, it and every later record of its key are reported, other keys apply", async () => {
    const { client } = countingClient();
    const failing: DynamoProjectionHandler<Deposited> = {
      ...rows,
      handleEvent: (scope, event, options) => {
        if (event.id === "p5") throw new Error("cannot project p5");
        return rows.handleEvent(scope, event, options);
      },
    };
    const handler = kinesisStreamHandler(new DeliveryDriver(dynamoProjection(client, "versions", failing)), {
      toEvent: (_record, data) => JSON.parse(new TextDecoder().decode(data)) as Deposited,
    });
    const records = Array.from({ length: 12 }, (_, i) => {
      const account = `poison-${i % 2}`;
      return kinesisRecord(account, sequenceNumber(1_000 + i), { type: "Deposited", id: `p${i}`, account, amount: 1 });
    });
    const response = await handler({ Records: records });
    // p5 is of key poison-1 (odd indexes): p5, p7, p9 and p11 are reported.
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([5, 7, 9, 11].map((i) => sequenceNumber(1_000 + i)));
    const written = (await scanModel()).map((item) => String(item["pk"])).filter((pk) => pk.startsWith("row#p"));
    expect(written.sort()).toEqual(["row#p0", "row#p1", "row#p10", "row#p2", "row#p3", "row#p4", "row#p6", "row#p8"]);
  });
});
