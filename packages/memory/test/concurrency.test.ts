import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createEventScope, encodeOffset } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

const r = new TextEncoder().encode("acc-1");

describe("H6 concurrency", () => {
  it("H6: of 100 concurrent calls on one (r, c) whose handler awaits a timer, exactly one resolves true", async () => {
    let running = 0;
    let maxRunning = 0;
    const projection = memoryProjection(
      ledgerHandler({
        before: async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await sleep(5);
          running--;
        },
      }),
    );
    const calls = Array.from({ length: 100 }, (_, i) =>
      projection.handleEvent(r, undefined, encodeOffset(0), createEventScope(), {
        type: "Deposited",
        id: `worker-${i}`,
        account: "acc-1",
        amount: 1,
      } satisfies LedgerEvent),
    );
    const results = await Promise.all(calls);
    expect(results.filter((ok) => ok)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(projection.state.applied).toEqual([`worker-${winner}`]);
    expect(projection.state.balances).toEqual({ "acc-1": 1 });
    expect(maxRunning).toBe(1);
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(0));
  });

  it("H6: concurrent events of different resources all apply, with no lost update of the shared state", async () => {
    const projection = memoryProjection(ledgerHandler({ before: () => sleep(1) }));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        projection.handleEvent(new TextEncoder().encode(`acc-${i}`), undefined, encodeOffset(0), createEventScope(), {
          type: "Deposited",
          id: `e${i}`,
          account: `acc-${i}`,
          amount: i,
        } satisfies LedgerEvent),
      ),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(projection.state.applied).toHaveLength(40);
    expect(Object.values(projection.state.balances).reduce((a, b) => a + b, 0)).toBe((39 * 40) / 2);
  });

  it("H6: a call whose signal aborts while it waits for its turn never runs and does not block the rest", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const projection = memoryProjection(ledgerHandler({ before: (event) => (event.id === "slow" ? gate : undefined) }));
    const other = new TextEncoder().encode("acc-2");
    const slow = projection.handleEvent(r, undefined, encodeOffset(0), createEventScope(), {
      type: "Opened",
      id: "slow",
      account: "acc-1",
    });
    const controller = new AbortController();
    const waiting = projection.handleEvent(other, undefined, encodeOffset(0), createEventScope(), { type: "Opened", id: "aborted", account: "acc-2" }, { signal: controller.signal });
    const after = projection.handleEvent(other, undefined, encodeOffset(0), createEventScope(), {
      type: "Opened",
      id: "after",
      account: "acc-2",
    });
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
    release();
    expect(await slow).toBe(true);
    expect(await after).toBe(true);
    expect(projection.state.applied).toEqual(["slow", "after"]);
  });
});
