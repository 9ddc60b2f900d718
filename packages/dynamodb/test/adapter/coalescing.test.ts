import type { TransactWriteItem, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { createEventScope, decodeOffset, encodeOffset, isProjectionKitError, streamEventVersions, type BatchDelivery, type BatchResult } from "@projectionkit/core";
import { documentItem, dynamoProjection, type DynamoProjectionHandler, type EventDelivery } from "@projectionkit/dynamodb";
import { expect, it } from "vitest";
import { describeOnEmulators } from "../support/clients.js";
import { afterRequest, injectFault, type RequestLog } from "../support/faults.js";
import { configureLedger, ledgerHandler, ledgerSuite, readModel, type LedgerEvent } from "../support/ledger.js";

// Batches with and without coalescing (B1–B3, D10, D16). Write requests are counted on the wire
// with client middleware.

const WRITE_COMMANDS = ["TransactWriteItemsCommand", "PutItemCommand", "UpdateItemCommand", "DeleteItemCommand"];
const writeRequests = (log: RequestLog) => log.commands.filter((command) => WRITE_COMMANDS.includes(command)).length;
const scope = createEventScope();

/** Deposits `from`, `from + 1`, … of one account's stream, with amounts `amount(offset)`. */
function deposits(stream: string, count: number, from = 0, amount: (offset: number) => number = () => 1): BatchDelivery<LedgerEvent>[] {
  return Array.from({ length: count }, (_, i) => {
    const { current, next } = streamEventVersions(stream, from + i);
    return { current, next, scope, event: { type: "Deposited", id: `${stream}-${from + i}`, account: stream, amount: amount(from + i) } };
  });
}

const addToBalance = (model: string, account: string, amount: number): TransactWriteItem =>
  documentItem({
    Update: {
      TableName: model,
      Key: { pk: `balance#${account}` },
      UpdateExpression: "ADD balance :amount",
      ExpressionAttributeValues: { ":amount": amount },
    },
  });

/** The sum of the deposits of a run, per account: one action per balance item. */
function coalescedBalances(model: string, run: readonly EventDelivery<LedgerEvent>[]): TransactWriteItem[] {
  const sums = new Map<string, number>();
  for (const { event } of run) {
    if (event.type === "Deposited") sums.set(event.account, (sums.get(event.account) ?? 0) + event.amount);
  }
  return [...sums].map(([account, sum]) => addToBalance(model, account, sum));
}

/** A balance per account, nothing else: every deposit of a stream updates the same item. */
function balanceHandler(model: string, coalesce: boolean, runs: number[] = []): DynamoProjectionHandler<LedgerEvent> {
  return {
    configure: configureLedger,
    handleEvent: (_scope, event) => (event.type === "Deposited" ? [addToBalance(model, event.account, event.amount)] : []),
    ...(coalesce
      ? {
          handleEvents: (run: readonly EventDelivery<LedgerEvent>[]) => {
            runs.push(run.length);
            return coalescedBalances(model, run);
          },
        }
      : {}),
  };
}

/** The ledger (one conditional row per event, so a double shows) with a coalesced balance. */
function coalescingLedger(model: string, runs: number[] = []): DynamoProjectionHandler<LedgerEvent> {
  return ledgerHandler(model, {
    handleEvents(run) {
      runs.push(run.length);
      const rows = run.flatMap(({ event }) =>
        event.type === "Deposited"
          ? [documentItem({ Put: { TableName: model, Item: { pk: `event#${event.id}`, account: event.account, amount: event.amount }, ConditionExpression: "attribute_not_exists(pk)" } })]
          : [],
      );
      return [...rows, ...coalescedBalances(model, run)];
    },
  });
}

function stoppedVersion(result: BatchResult): bigint | undefined {
  return result.stopped?.reason === "conflict" && result.stopped.storedVersion !== undefined ? decodeOffset(result.stopped.storedVersion) : undefined;
}

describeOnEmulators("batches", (emulator) => {
  const { setup, versions, fresh } = ledgerSuite(emulator, "batches");

  /** A fresh read model and stream, and a projection on its own logged client. */
  async function fixture(handler: (model: string) => DynamoProjectionHandler<LedgerEvent>, config: { maxAttempts?: number } = {}, options = {}) {
    const test = await fresh(config);
    return { ...test, projection: dynamoProjection(test.client, versions, handler(test.model), options) };
  }

  it("D16: 200 deposits into one balance item through handleEvents: one write request, the exact balance", async () => {
    const runs: number[] = [];
    const { projection, log, model, stream, resource } = await fixture((m) => balanceHandler(m, true, runs));
    const result = await projection.handleEventBatch(resource, deposits(stream, 200, 0, (offset) => offset + 1));
    expect(result).toEqual({ applied: 200, requests: 1, stopped: undefined });
    expect(writeRequests(log)).toBeLessThanOrEqual(5);
    expect(log.commands).toEqual(["TransactWriteItemsCommand"]);
    expect((log.inputs[0] as TransactWriteItemsCommandInput).TransactItems).toHaveLength(2);
    expect(runs).toEqual([200]);
    expect((await readModel(setup, model)).balances).toEqual({ [stream]: 20_100 });
    expect(decodeOffset(await projection.resourceVersion(resource))).toBe(199n);
  });

  it("D16: the same 200 deposits without handleEvents: one transaction per event (one action per item), the same balance", async () => {
    const { projection, log, model, stream, resource } = await fixture((m) => balanceHandler(m, false));
    const result = await projection.handleEventBatch(resource, deposits(stream, 200, 0, (offset) => offset + 1));
    expect(result).toEqual({ applied: 200, requests: 200, stopped: undefined });
    expect(writeRequests(log)).toBe(200);
    expect(log.count("TransactWriteItemsCommand")).toBe(200);
    expect((await readModel(setup, model)).balances).toEqual({ [stream]: 20_100 });
    expect(decodeOffset(await projection.resourceVersion(resource))).toBe(199n);
  });

  it("D16: coalesced actions over one transaction are cut at the longest run that fits (98 rows + 1 balance + the version)", async () => {
    const runs: number[] = [];
    const { projection, log, model, stream, resource } = await fixture((m) => coalescingLedger(m, runs));
    const result = await projection.handleEventBatch(resource, deposits(stream, 250));
    expect(result).toEqual({ applied: 250, requests: 3, stopped: undefined });
    expect((log.inputs as TransactWriteItemsCommandInput[]).map((input) => input.TransactItems?.length)).toEqual([100, 100, 56]);
    // The whole rest first, then bisection; never a run of one (that is handleEvent's).
    expect(runs[0]).toBe(250);
    expect(Math.min(...runs)).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(3 * Math.ceil(Math.log2(250)) + 3);
    const { events, balances } = await readModel(setup, model);
    expect(events).toHaveLength(250);
    expect(balances).toEqual({ [stream]: 250 });
  });

  it("B1/B2: a conflict in the middle run keeps the runs before it and reports the stored version; nothing after it is written", async () => {
    const { projection, client, model, stream, resource } = await fixture((m) => coalescingLedger(m));
    // Right after the first run commits, another writer moves the version on.
    afterRequest(client, "TransactWriteItemsCommand", () => projection.resourceRepository.storeResourceVersion(resource, encodeOffset(1000)));
    const result = await projection.handleEventBatch(resource, deposits(stream, 250));
    expect(result).toMatchObject({ applied: 98, requests: 2, stopped: { index: 98, reason: "conflict" } });
    expect(stoppedVersion(result)).toBe(1000n);
    const { events, balances } = await readModel(setup, model);
    expect(events).toHaveLength(98);
    expect(balances).toEqual({ [stream]: 98 });
  });

  it("B3/D8: a lost response inside a batch is retried with the run's token: every event once", async () => {
    const { projection, client, log, model, stream, resource } = await fixture((m) => coalescingLedger(m));
    let transactions = 0;
    const fault = injectFault(client, { command: "TransactWriteItemsCommand", when: "after", filter: () => ++transactions === 2 });
    const result = await projection.handleEventBatch(resource, deposits(stream, 250));
    expect(fault.injected).toBe(1);
    expect(result).toEqual({ applied: 250, requests: 3, stopped: undefined });
    const tokens = (log.inputs as TransactWriteItemsCommandInput[]).map((input) => input.ClientRequestToken);
    expect(tokens).toHaveLength(4);
    expect(tokens[2]).toBe(tokens[1]);
    const { events, balances } = await readModel(setup, model);
    expect(events).toHaveLength(250);
    expect(balances).toEqual({ [stream]: 250 });
  });

  it("B3/D8: a lost response the adapter cannot resolve stops the batch as ambiguous; delivering the batch again never doubles", async () => {
    const { projection, client, model, stream, resource } = await fixture((m) => coalescingLedger(m), {}, { maxCommitAttempts: 1 });
    let transactions = 0;
    injectFault(client, { command: "TransactWriteItemsCommand", when: "after", filter: () => ++transactions === 2 });
    const all = deposits(stream, 250);
    const first = await projection.handleEventBatch(resource, all);
    expect(first).toMatchObject({ applied: 98, requests: 2, stopped: { index: 98, reason: "error" } });
    expect(first.stopped?.reason === "error" && isProjectionKitError(first.stopped.error, "ERR_AMBIGUOUS_COMMIT")).toBe(true);
    // The engine delivers the same batch again: the stored version says how far it got.
    const again = await projection.handleEventBatch(resource, all);
    expect(again).toMatchObject({ applied: 0, requests: 1, stopped: { index: 0, reason: "conflict" } });
    const stored = stoppedVersion(again);
    expect(stored).toBe(195n);
    const resumed = await projection.handleEventBatch(resource, all.slice(Number(stored) + 1));
    expect(resumed).toEqual({ applied: 54, requests: 1, stopped: undefined });
    const { events, balances } = await readModel(setup, model);
    expect(events).toHaveLength(250);
    expect(balances).toEqual({ [stream]: 250 });
  });

  it.each([
    { mode: "coalesced runs", coalesce: true, count: 250, secondFrom: 98 },
    { mode: "one transaction per event", coalesce: false, count: 12, secondFrom: 1 },
  ])("B3: two batchers racing on one resource never both apply a delivery ($mode)", async ({ coalesce, count, secondFrom }) => {
    const { projection, client, model, stream, resource } = await fixture((m) => (coalesce ? coalescingLedger(m) : ledgerHandler(m)));
    const rival = dynamoProjection(emulator.client(), versions, coalesce ? coalescingLedger(model) : ledgerHandler(model));
    const all = deposits(stream, count);
    // Right after the first batcher's first commit, the second starts on the rest: both now send
    // the request that starts at `secondFrom`.
    let second: Promise<BatchResult> | undefined;
    afterRequest(client, "TransactWriteItemsCommand", async () => {
      second = rival.handleEventBatch(resource, all.slice(secondFrom));
    });
    const first = await projection.handleEventBatch(resource, all);
    const rivalResult = await (second ?? Promise.reject(new Error("the second batcher never started")));
    expect(first.stopped?.reason ?? "conflict").toBe("conflict");
    expect(rivalResult.stopped?.reason ?? "conflict").toBe("conflict");
    // The first applied [0, first.applied), the second [secondFrom, secondFrom + rival.applied):
    // disjoint, and together every delivery.
    expect(first.applied === secondFrom || rivalResult.applied === 0).toBe(true);
    expect(first.applied + rivalResult.applied).toBe(count);
    const { events, balances } = await readModel(setup, model);
    expect(events).toHaveLength(count);
    expect(balances).toEqual({ [stream]: count });
    expect(decodeOffset(await projection.resourceVersion(resource))).toBe(BigInt(count - 1));
  });
});
