import { describe, expect, it } from "vitest";
import { createEventScope, encodeOffset, streamEventVersions, type BatchDelivery } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import { ledgerHandler, type LedgerEvent } from "./fixtures.ts";

const scope = createEventScope();

function deposits(account: string, from: number, count: number): BatchDelivery<LedgerEvent>[] {
  return Array.from({ length: count }, (_, i) => {
    const { current, next } = streamEventVersions(account, from + i);
    return { current, next, scope, event: { type: "Deposited", id: `${account}-${from + i}`, account, amount: from + i + 1 } };
  });
}

describe("memory adapter: the batch capability", () => {
  it("B1: a run of events is applied with one commit, and the version moves to the last event's next", async () => {
    const commits: number[] = [];
    const projection = memoryProjection(ledgerHandler(), { hooks: { afterCommit: ({ events }) => void commits.push(events.length) } });
    const { resource } = streamEventVersions("acc", 0);
    const result = await projection.handleEventBatch(resource, deposits("acc", 0, 5));
    expect(result).toEqual({ applied: 5, requests: 1, stopped: undefined });
    expect(commits).toEqual([5]);
    expect(projection.state.balances["acc"]).toBe(1 + 2 + 3 + 4 + 5);
    expect(await projection.resourceVersion(resource)).toEqual(encodeOffset(4));
  });

  it("B2: a batch whose first current is stale is a conflict with the stored version, and changes nothing", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { resource } = streamEventVersions("acc", 0);
    await projection.handleEventBatch(resource, deposits("acc", 0, 3));
    const before = projection.state;
    const result = await projection.handleEventBatch(resource, deposits("acc", 1, 3));
    expect(result).toEqual({ applied: 0, requests: 0, stopped: { index: 0, reason: "conflict", storedVersion: encodeOffset(2) } });
    expect(projection.state).toBe(before);
  });

  it("B1: a handler that throws stops the batch there; the events before it are committed, the rest are not", async () => {
    const projection = memoryProjection(
      ledgerHandler({
        before: (event) => {
          if (event.id === "acc-2") throw new Error("poisoned");
        },
      }),
    );
    const { resource } = streamEventVersions("acc", 0);
    const result = await projection.handleEventBatch(resource, deposits("acc", 0, 5));
    expect(result.applied).toBe(2);
    expect(result.stopped).toMatchObject({ index: 2, reason: "error", error: new Error("poisoned") });
    expect(projection.state.applied).toEqual(["acc-0", "acc-1"]);
    expect(await projection.resourceVersion(resource)).toEqual(encodeOffset(1));
  });

  it("B3/K4: a failure before the commit commits nothing; a lost answer after it reports an error, and the redelivery is a conflict at the committed version", async () => {
    let fail: "before" | "after" | undefined = "before";
    const projection = memoryProjection(ledgerHandler(), {
      hooks: {
        beforeCommit: () => {
          if (fail === "before") throw new Error("crashed before commit");
        },
        afterCommit: () => {
          if (fail === "after") throw new Error("answer lost");
        },
      },
    });
    const { resource } = streamEventVersions("acc", 0);
    const batch = deposits("acc", 0, 3);
    const crashed = await projection.handleEventBatch(resource, batch);
    expect(crashed).toMatchObject({ applied: 0, stopped: { index: 0, reason: "error" } });
    expect(await projection.resourceVersion(resource)).toEqual(new Uint8Array());
    fail = "after";
    const lost = await projection.handleEventBatch(resource, batch);
    expect(lost).toMatchObject({ applied: 0, stopped: { index: 0, reason: "error", error: new Error("answer lost") } });
    fail = undefined;
    const redelivered = await projection.handleEventBatch(resource, batch);
    expect(redelivered.stopped).toEqual({ index: 0, reason: "conflict", storedVersion: encodeOffset(2) });
    expect(projection.state.applied).toEqual(["acc-0", "acc-1", "acc-2"]);
  });

  it("B3/H6: two batches racing on one resource from the same version: exactly one applies", async () => {
    const projection = memoryProjection(ledgerHandler({ before: () => new Promise((resolve) => setTimeout(resolve, 1)) }));
    const { resource } = streamEventVersions("acc", 0);
    const [a, b] = await Promise.all([projection.handleEventBatch(resource, deposits("acc", 0, 4)), projection.handleEventBatch(resource, deposits("acc", 0, 4))]);
    expect([a.applied, b.applied].sort()).toEqual([0, 4]);
    expect(projection.state.applied).toEqual(["acc-0", "acc-1", "acc-2", "acc-3"]);
  });

  it("E2: misspelt options of the adapter are refused", () => {
    expect(() => memoryProjection(ledgerHandler(), { freze: false } as never)).toThrow(/options\.freze.*did you mean "freeze"/);
  });
});
