import type { DynamoDBClient, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, encodeOffset, isRetryableError, streamResource, type DeliveryOutcome, type SourceEvent } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import { describe, expect, it } from "vitest";
import { suiteDynalite } from "../support/suite-dynalite.js";
import { injectFault, serviceException } from "../support/faults.js";
import { createReadModel, ledgerHandler, readModel, type LedgerEvent } from "../support/ledger.js";
import { createRowTables, ROW_VERSIONS, ROWS, rowIdsStartingWith, rowPerEvent, type RowEvent } from "../support/rows.js";

// G7/G8 over the DynamoDB adapter on dynalite: ordering within a call, batches on the wire, and
// lost responses inside batches.

type Row = RowEvent & { amount: number };

let stream = 0;

const running = suiteDynalite(async (d) => {
  await createRowTables(d.client);
  await createReadModel(d.client, "ledger");
});

const rows = rowPerEvent<Row>("rows", "1d2c3b4a-5e6f-4a8b-9c0d-1e2f3a4b5c6d");

function rowEvents(account: string, from: number, to: number): SourceEvent<Row>[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ stream: account, offset: from + i, event: { type: "Deposited", id: `${account}@${from + i}`, account, amount: 1 } }));
}

function rowIds(account: string): Promise<string[]> {
  return rowIdsStartingWith(running().client, `${account}@`);
}

function transactions(client: DynamoDBClient): TransactWriteItemsCommandInput[] {
  const sent: TransactWriteItemsCommandInput[] = [];
  client.middlewareStack.add(
    ((next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
      if (context.commandName === "TransactWriteItemsCommand") sent.push(args.input as TransactWriteItemsCommandInput);
      return next(args);
    }) as never,
    { step: "finalizeRequest", priority: "low", name: "watchTransactions" },
  );
  return sent;
}

const SETTLED: ReadonlySet<DeliveryOutcome> = new Set(["applied", "duplicate"]);

describe("G7/G8 DeliveryDriver over the DynamoDB adapter (dynalite)", () => {
  it.each([
    ["batched", undefined],
    ["one event at a time", 1],
  ] as const)("G7: the out-of-order redelivery [0, 3, 2, 1, 1, 0, 2] of one stream settles in one deliverAll call, each event applied once (%s)", async (_label, maxBatchSize) => {
    const account = `order-${++stream}`;
    const driver = new DeliveryDriver(dynamoProjection(running().createClient(), ROW_VERSIONS, ledgerHandler("ledger")), { maxBatchSize });
    const source = (offset: number): SourceEvent<LedgerEvent> => ({ stream: account, offset, event: { type: "Deposited", id: `${account}@${offset}`, account, amount: offset + 1 } });
    let pending = [0, 3, 2, 1, 1, 0, 2].map(source);
    let calls = 0;
    while (pending.length > 0 && calls < 5) {
      calls++;
      const { reports } = await driver.deliverAll(pending);
      pending = pending.filter((_, index) => !SETTLED.has((reports[index] as { outcome: DeliveryOutcome }).outcome));
    }
    expect(calls).toBe(1);
    const { events, balances } = await readModel(running().client, "ledger");
    expect(events.filter((id) => id.startsWith(`${account}@`))).toEqual([0, 1, 2, 3].map((offset) => `${account}@${offset}`));
    expect(balances[account]).toBe(1 + 2 + 3 + 4);
    expect(driver.counts).toMatchObject({ applied: 4, duplicates: 3, gaps: 0, held: 0, failed: 0 });
  });

  it("G8: a run of 150 one-row events is two transactions on the wire (99 + 51: the version write takes the 100th place)", async () => {
    const account = `run-${++stream}`;
    const client = running().createClient();
    const sent = transactions(client);
    // The key schema given, so that the adapter need not learn it with a DescribeTable (a request too).
    const projection = dynamoProjection(client, ROW_VERSIONS, rows, { keySchemas: { [ROWS]: ["pk"] } });
    const { counts } = await new DeliveryDriver(projection, { maxBatchSize: 150 }).deliverAll(rowEvents(account, 0, 149));
    expect(counts).toMatchObject({ applied: 150, requests: 2 });
    expect(sent.map((input) => input.TransactItems?.length)).toEqual([100, 52]);
    expect(await rowIds(account)).toHaveLength(150);
  });

  it("G8: another writer got part of the way: one conflict reports how far, the prefix settles as duplicates and the rest commits", async () => {
    const account = `ahead-${++stream}`;
    await new DeliveryDriver(dynamoProjection(running().client, ROW_VERSIONS, rows)).deliverAll(rowEvents(account, 0, 59));
    const client = running().createClient();
    const sent = transactions(client);
    const { reports, counts } = await new DeliveryDriver(dynamoProjection(client, ROW_VERSIONS, rows)).deliverAll(rowEvents(account, 0, 99));
    expect(reports.map((r) => r.outcome)).toEqual([...Array<string>(60).fill("duplicate"), ...Array<string>(40).fill("applied")]);
    expect(counts).toMatchObject({ conflicts: 1, reads: 0 });
    expect(sent).toHaveLength(2);
    expect(await rowIds(account)).toHaveLength(100);
  });

  it("G3/G8: the second transaction of a batch commits but its answer is lost and the adapter cannot tell (ambiguous): the driver's retry meets the stored version and settles those events as duplicates, each row once", async () => {
    const account = `lost-${++stream}`;
    const client = running().createClient();
    const sent = transactions(client);
    // The second transaction commits and its answer is lost; the adapter's own retry of it is throttled.
    let seenByLoss = 0;
    let seenByThrottle = 0;
    injectFault(client, { command: "TransactWriteItemsCommand", when: "after", filter: () => ++seenByLoss === 2 });
    injectFault(client, { command: "TransactWriteItemsCommand", when: "before", error: serviceException("ThrottlingException"), filter: () => ++seenByThrottle === 3 });
    const retries: string[] = [];
    const driver = new DeliveryDriver(dynamoProjection(client, ROW_VERSIONS, rows), {
      maxBatchSize: 150,
      isRetryable: isRetryableError,
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
      hooks: { onRetry: ({ source, error }) => retries.push(`${source.event.id}: ${String((error as { code?: string }).code)}`) },
    });
    const { reports, counts } = await driver.deliverAll(rowEvents(account, 0, 149));
    expect(retries).toEqual([`${account}@99: ERR_AMBIGUOUS_COMMIT`]);
    expect(reports.slice(0, 99).every((r) => r.outcome === "applied")).toBe(true);
    expect(reports.slice(99).every((r) => r.outcome === "duplicate")).toBe(true);
    expect(reports[99]).toMatchObject({ retries: 1, conflicts: 1, storedVersion: encodeOffset(149) });
    expect(counts).toMatchObject({ applied: 99, duplicates: 51, failed: 0 });
    // Sent: 99 events, 51 events (lost answer), the adapter's throttled retry, the driver's retry (a conflict).
    expect(sent.map((input) => input.TransactItems?.length)).toEqual([100, 52, 52, 52]);
    const ids = await rowIds(account);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
    expect(await dynamoProjection(running().client, ROW_VERSIONS, rows).resourceVersion(streamResource(account))).toEqual(encodeOffset(149));
  });
});
