import { DeliveryDriver, decodeOffset, streamResource, type SourceEvent } from "@projectionkit/core";
import { createTable, dynamoProjection } from "@projectionkit/dynamodb";
import { startDynalite, type Dynalite } from "@projectionkit/dynamodb-testing";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReadModel, ledgerHandler, readModel, type LedgerEvent } from "../support/ledger.js";

// G3 on the DynamoDB adapter: the caller's signal stops a batch within one attempt's deadline and
// leaves no event half applied (version and writes commit in one TransactWriteItems, or not at
// all), even when the abort lands while a commit is on the wire in either direction.

let dynalite: Dynalite | undefined;

beforeAll(async () => {
  dynalite = await startDynalite();
  await createTable(dynalite.client, "versions");
  await createReadModel(dynalite.client, "model");
});

afterAll(async () => {
  await dynalite?.stop();
});

const ATTEMPT_DEADLINE_MS = 2_000;

function deposits(account: string, count: number): SourceEvent<LedgerEvent>[] {
  return Array.from({ length: count }, (_, offset) => ({
    stream: account,
    offset,
    event: { type: "Deposited", id: `${account}@${offset}`, account, amount: 1 },
  }));
}

describe("G3 cancellation over the DynamoDB adapter (dynalite)", () => {
  it.each([
    ["before the request reaches DynamoDB", "request" as const],
    ["after DynamoDB committed, before the answer arrives", "response" as const],
  ])("G3: an abort while a commit is in flight (%s) stops the batch within one attempt's deadline, with nothing half applied", async (_label, where) => {
    const running = dynalite;
    if (running === undefined) throw new Error("dynalite did not start");
    const account = `acc-${where}`;
    const controller = new AbortController();
    const client = running.createClient();
    let commits = 0;
    let abortedAt = Number.POSITIVE_INFINITY;
    // Each commit is slow on the wire; the wait ends early when the caller aborts, as a socket would.
    // The caller aborts while the sixth commit is on the wire, whatever the machine's speed.
    client.middlewareStack.add(
      (next) => async (args) => {
        commits++;
        if (commits === 6) {
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort(new Error("shutting down"));
          }, 10);
        }
        if (where === "request") await delay(50, undefined, { signal: controller.signal });
        const result = await next(args);
        if (where === "response") await delay(50, undefined, { signal: controller.signal });
        return result;
      },
      { step: "finalizeRequest", name: "slowWire" },
    );
    const driver = new DeliveryDriver(dynamoProjection(client, "versions", ledgerHandler("model")), { attemptTimeoutMs: ATTEMPT_DEADLINE_MS });
    const events = deposits(account, 40);
    const { reports, counts } = await driver.deliverAll(events, { signal: controller.signal });
    const stoppedAfterAbortMs = performance.now() - abortedAt;

    expect(stoppedAfterAbortMs).toBeLessThan(ATTEMPT_DEADLINE_MS);
    expect(counts.applied).toBeGreaterThan(0);
    expect(counts.applied).toBeLessThan(events.length);
    expect(counts.cancelled + counts.held).toBe(events.length - counts.applied);
    expect(commits).toBeLessThan(events.length);

    // Nothing half applied: the stored version and the read model agree event by event.
    const projection = dynamoProjection(running.client, "versions", ledgerHandler("model"));
    const stored = decodeOffset(await projection.resourceVersion(streamResource(account)));
    const applied = (await readModel(running.client, "model")).events.filter((id) => id.startsWith(`${account}@`));
    const through = stored === undefined ? -1 : Number(stored);
    expect(applied.sort()).toEqual(events.slice(0, through + 1).map((e) => e.event.id).sort());
    // What the driver reported applied is committed; a cancelled commit may have landed too (its answer was cut off).
    const reportedApplied = reports.filter((r) => r.outcome === "applied").length;
    expect(through + 1).toBeGreaterThanOrEqual(reportedApplied);
    expect(through + 1).toBeLessThanOrEqual(reportedApplied + 1);

    // Delivering the whole batch again finishes it, each event exactly once.
    const again = await new DeliveryDriver(dynamoProjection(running.client, "versions", ledgerHandler("model"))).deliverAll(events);
    expect(again.counts.applied + again.counts.duplicates).toBe(events.length);
    const final = await readModel(running.client, "model");
    expect(final.events.filter((id) => id.startsWith(`${account}@`)).sort()).toEqual(events.map((e) => e.event.id).sort());
    expect(final.balances[account]).toBe(events.length);
  });
});
