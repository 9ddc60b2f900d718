import type { ConsumedCapacity, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createEventScope, DeliveryDriver, streamEventVersions, type RequestCost } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import { expect, it } from "vitest";
import { describeOnEmulators } from "../support/clients.js";
import { ledgerHandler, ledgerTables, type LedgerEvent } from "../support/ledger.js";

// G6 "backend cost where known": onRequest reports every request with the capacity units
// DynamoDB (Local) returned, and the driver adds them up per delivery and in its counts.

describeOnEmulators("G6: request cost from the DynamoDB adapter", (emulator) => {
  const { versions, model } = ledgerTables(emulator, "cost");
  const scope = createEventScope();
  let stream = 0;

  /** A client whose answers are watched: what DynamoDB said each request consumed, and what was asked. */
  function watchedClient(): { client: DynamoDBClient; asked: unknown[]; consumed: number[] } {
    const client = emulator.client();
    const asked: unknown[] = [];
    const consumed: number[] = [];
    client.middlewareStack.add(
      ((next: (args: { input: { ReturnConsumedCapacity?: string } }) => Promise<{ output: { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] } }>) =>
        async (args: { input: { ReturnConsumedCapacity?: string } }) => {
          asked.push(args.input.ReturnConsumedCapacity);
          const result = await next(args);
          const entries = result.output.ConsumedCapacity;
          consumed.push((Array.isArray(entries) ? entries : entries === undefined ? [] : [entries]).reduce((sum, e) => sum + (e.CapacityUnits ?? 0), 0));
          return result;
        }) as never,
      { step: "initialize", name: "watchCapacity" },
    );
    return { client, asked, consumed };
  }

  const deposit = (account: string, id: string): LedgerEvent => ({ type: "Deposited", id, account, amount: 5 });

  it("G6: onRequest reports one TransactWriteItems with the write units DynamoDB returned; without it, no capacity is asked for", async () => {
    const { client, asked, consumed } = watchedClient();
    const projection = dynamoProjection(client, versions, ledgerHandler(model));
    const account = `cost-${++stream}`;
    const costs: RequestCost[] = [];
    const first = streamEventVersions(account, 0);
    expect(await projection.handleEvent(first.resource, first.current, first.next, scope, deposit(account, `${account}@0`), { onRequest: (c) => costs.push(c) })).toBe(true);
    expect(costs).toHaveLength(1);
    expect(costs[0]?.operation).toBe("TransactWriteItems");
    expect(costs[0]?.writeUnits).toBeGreaterThan(0);
    expect(costs[0]?.writeUnits).toBe(consumed[0]);
    expect(asked).toEqual(["TOTAL"]);

    const second = streamEventVersions(account, 1);
    expect(await projection.handleEvent(second.resource, second.current, second.next, scope, deposit(account, `${account}@1`))).toBe(true);
    expect(asked).toEqual(["TOTAL", undefined]);
  });

  it("G6: a conflict is one request without units; an event without items is one single-item write; a read reports its read units", async () => {
    const { client, consumed } = watchedClient();
    const projection = dynamoProjection(client, versions, ledgerHandler(model));
    const account = `cost-${++stream}`;
    const first = streamEventVersions(account, 0);
    await projection.handleEvent(first.resource, first.current, first.next, scope, deposit(account, `${account}@0`));

    const costs: RequestCost[] = [];
    const onRequest = (c: RequestCost) => costs.push(c);
    expect(await projection.handleEvent(first.resource, first.current, first.next, scope, deposit(account, `${account}@0`), { onRequest })).toBe(false);
    const noted = streamEventVersions(account, 1);
    expect(await projection.handleEvent(noted.resource, noted.current, noted.next, scope, { type: "Noted", id: "n" }, { onRequest })).toBe(true);
    await projection.resourceVersion(first.resource, { onRequest });

    expect(costs.map((c) => c.operation)).toEqual(["TransactWriteItems", expect.stringMatching(/^(PutItem|UpdateItem)$/), "GetItem"]);
    expect(costs[0]).toEqual({ operation: "TransactWriteItems" });
    expect(costs[1]?.writeUnits).toBe(consumed.at(-2));
    expect(costs[1]?.writeUnits).toBeGreaterThan(0);
    expect(costs[2]?.readUnits).toBe(consumed.at(-1));
    expect(costs[2]?.readUnits).toBeGreaterThan(0);
  });

  it("G6/G8: the driver adds each delivery's requests and units to its report and to the counts", async () => {
    const { client, consumed } = watchedClient();
    const driver = new DeliveryDriver(dynamoProjection(client, versions, ledgerHandler(model)));
    const account = `cost-${++stream}`;
    const events = [0, 1, 1, 2].map((offset) => ({ stream: account, offset, event: deposit(account, `${account}@${offset}`) }));
    const { reports, counts } = await driver.deliverAll(events);
    expect(reports.map((r) => r.outcome)).toEqual(["applied", "applied", "duplicate", "applied"]);
    // One batch (G8): its requests count on its first event; the repeat of offset 1 sends none (G7).
    expect(reports.map((r) => r.requests)).toEqual([consumed.length, 0, 0, 0]);
    expect(reports[2]?.writeUnits).toBe(0);
    const total = consumed.reduce((a, b) => a + b, 0);
    expect(counts.requests).toBe(consumed.length);
    expect(counts.writeUnits).toBe(total);
    expect(counts.writeUnits).toBe(reports.reduce((sum, r) => sum + r.writeUnits, 0));
    expect(counts.readUnits).toBe(0);
    expect(await driver.deliver({ stream: account, offset: 3, event: deposit(account, `${account}@3`) })).toMatchObject({ outcome: "applied", requests: 1 });
  });
});
