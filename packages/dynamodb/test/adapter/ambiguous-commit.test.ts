import type { DynamoDBClient, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { createEventScope, decodeOffset, isProjectionKitError, streamEventVersions } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { injectFault, logRequests, serviceException } from "../support/faults.js";
import { ledgerHandler, readModel, ledgerTables, type LedgerEvent } from "../support/ledger.js";

describeOnEmulators("D8 ambiguous commits", (emulator) => {
  const { setup, versions, model } = ledgerTables(emulator, "ambiguous");
  const scope = createEventScope();
  let counter = 0;

  function worker(client: DynamoDBClient = emulator.client()) {
    return { client, projection: dynamoProjection(client, versions, ledgerHandler(model)) };
  }

  function nextStream(): string {
    counter++;
    return `acc-${counter}`;
  }

  const deposit = (id: string, account: string): LedgerEvent => ({ type: "Deposited", id, account, amount: 1 });

  it("D8: transaction path: the commit lands, the response is lost once; the call resolves true and the event shows once", async () => {
    const { client, projection } = worker();
    const log = logRequests(client);
    const fault = injectFault(client, { command: "TransactWriteItemsCommand", when: "after" });
    const stream = nextStream();
    const { resource, current, next } = streamEventVersions(stream, 0);
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-e0`, stream))).toBe(true);
    expect(fault.injected).toBe(1);
    expect(log.count("TransactWriteItemsCommand")).toBe(2);
    const tokens = (log.inputs as TransactWriteItemsCommandInput[]).map((input) => input.ClientRequestToken);
    expect(tokens[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(tokens[1]).toBe(tokens[0]);
    const { events, balances } = await readModel(setup, model);
    expect(events.filter((e) => e === `${stream}-e0`)).toHaveLength(1);
    expect(balances[stream]).toBe(1);
    // The engine's retry of the same event is answered false: never applied twice (H2).
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-e0`, stream))).toBe(false);
  });

  it("D8: an attempt whose answer was lost, then a throttled retry: the call is ambiguous (retryable), not 'nothing written'", async () => {
    const { client, projection } = worker();
    const stream = nextStream();
    const { resource, current, next } = streamEventVersions(stream, 0);
    injectFault(client, { command: "TransactWriteItemsCommand", when: "after" });
    let requests = 0;
    injectFault(client, { command: "TransactWriteItemsCommand", when: "before", error: serviceException("ThrottlingException"), filter: () => ++requests === 2 });
    const error = await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-e0`, stream)).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT" as never), String(error)).toBe(true);
    expect((error as { retryable?: boolean }).retryable).toBe(true);
    // It had committed: the engine's retry is answered false, and the event shows once.
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-e0`, stream))).toBe(false);
    const { events } = await readModel(setup, model);
    expect(events.filter((e) => e === `${stream}-e0`)).toHaveLength(1);
  });

  it("D8: single-write path: the commit lands, the response is lost once; the stored token proves it, the call resolves true", async () => {
    const { client, projection } = worker();
    const stream = nextStream();
    const first = streamEventVersions(stream, 0);
    const second = streamEventVersions(stream, 1);
    injectFault(client, { command: "PutItemCommand", when: "after" });
    expect(await projection.handleEvent(first.resource, first.current, first.next, scope, { type: "Noted", id: "n0" })).toBe(true);
    injectFault(client, { command: "UpdateItemCommand", when: "after" });
    expect(await projection.handleEvent(second.resource, second.current, second.next, scope, { type: "Noted", id: "n1" })).toBe(true);
    expect(decodeOffset(await projection.resourceVersion(first.resource))).toBe(1n);
  });

  it("D8: with the SDK's own retries (maxAttempts 3) a lost response is also resolved, on both paths", async () => {
    const client = emulator.client({ maxAttempts: 3 });
    const { projection } = worker(client);
    const stream = nextStream();
    const first = streamEventVersions(stream, 0);
    injectFault(client, { command: "TransactWriteItemsCommand", when: "after" });
    expect(await projection.handleEvent(first.resource, first.current, first.next, scope, deposit(`${stream}-e0`, stream))).toBe(true);
    const second = streamEventVersions(stream, 1);
    injectFault(client, { command: "UpdateItemCommand", when: "after" });
    expect(await projection.handleEvent(second.resource, second.current, second.next, scope, { type: "Noted", id: "n1" })).toBe(true);
    expect(decodeOffset(await projection.resourceVersion(first.resource))).toBe(1n);
  });

  it("D8: a delete whose response is lost cannot be proven: AmbiguousCommitError, and the engine's retry is answered false", async () => {
    const { client, projection } = worker();
    const stream = nextStream();
    const first = streamEventVersions(stream, 0);
    await projection.handleEvent(first.resource, first.current, first.next, scope, { type: "Noted", id: "n0" });
    injectFault(client, { command: "DeleteItemCommand", when: "after" });
    const error = await projection.handleEvent(first.resource, first.next, undefined, scope, { type: "Noted", id: "n1" }).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    expect(await projection.handleEvent(first.resource, first.next, undefined, scope, { type: "Noted", id: "n1" })).toBe(false);
  });

  it("D8: responses lost on every attempt end in AmbiguousCommitError after maxCommitAttempts, not in a false", async () => {
    const client = emulator.client();
    const log = logRequests(client);
    const projection = dynamoProjection(client, versions, ledgerHandler(model), { maxCommitAttempts: 2 });
    injectFault(client, { command: "TransactWriteItemsCommand", when: "before", times: 2 });
    const stream = nextStream();
    const { resource, current, next } = streamEventVersions(stream, 0);
    const error = await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-e0`, stream)).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT")).toBe(true);
    expect(log.count()).toBe(2);
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-e0`, stream))).toBe(true);
  });

  it("D8/H6: two workers deliver the same event at once with lost responses: exactly one resolves true, 40 times over", async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 40; round++) {
      const stream = nextStream();
      const a = worker();
      const b = worker();
      // Lose the response of one or both workers' commits, varying with the round.
      injectFault(a.client, { command: "TransactWriteItemsCommand", when: "after", times: round % 3 === 2 ? 0 : 1 });
      injectFault(b.client, { command: "TransactWriteItemsCommand", when: "after", times: round % 3 === 0 ? 0 : 1 });
      const { resource, current, next } = streamEventVersions(stream, 0);
      const event = deposit(`${stream}-e0`, stream);
      const results = await Promise.all(
        [a, b].map((w) => w.projection.handleEvent(resource, current, next, scope, event).catch((e: unknown) => e)),
      );
      const wins = results.filter((r) => r === true).length;
      const ambiguous = results.filter((r) => isProjectionKitError(r, "ERR_AMBIGUOUS_COMMIT")).length;
      const others = results.filter((r) => typeof r !== "boolean" && !isProjectionKitError(r, "ERR_AMBIGUOUS_COMMIT"));
      // A racing transaction may also be cancelled with TransactionConflict: retryable, never a win.
      for (const other of others) expect(isProjectionKitError(other, "ERR_TRANSACTION_CONFLICT")).toBe(true);
      expect(wins).toBeLessThanOrEqual(1);
      if (wins === 0) expect(ambiguous + others.length).toBeGreaterThan(0);
      outcomes.push(results.map((r) => (typeof r === "boolean" ? String(r) : (r as { code: string }).code)).join("/"));
      const { events } = await readModel(setup, model);
      const applied = events.filter((e) => e === `${stream}-e0`).length;
      expect(applied).toBeLessThanOrEqual(1);
      if (wins === 1) expect(applied).toBe(1);
      if (wins === 0 && ambiguous === 0) expect(applied).toBe(0);
    }
    expect(outcomes.filter((o) => o.includes("true")).length).toBeGreaterThan(20);
  });
});
