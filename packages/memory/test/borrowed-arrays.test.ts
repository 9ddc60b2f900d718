import { describe, expect, it } from "vitest";
import { createEventScope, encodeOffset, type VersionConflict } from "@projectionkit/core";
import { memoryProjection, type Draft, type MemoryProjectionHandler } from "@projectionkit/memory";
import { KEY, ledgerHandler, type LedgerEvent } from "./fixtures.js";

// R7 with borrowed arrays: the memory adapter takes the caller's resource and versions without
// copying them (core's `borrowArrays`), so a call that goes on after a turn of the event loop must
// have copied them first. Each test changes the caller's arrays while a call is still running.

const scope = createEventScope();
const text = (value: string) => new TextEncoder().encode(value);
const deposited = (id: string, account = "acc-1"): LedgerEvent => ({ type: "Deposited", id, account, amount: 1 });

/** A synchronous handler: its calls commit before their first turn of the event loop. */
const counter: MemoryProjectionHandler<{ n: number }, LedgerEvent> = {
  configure(c) {
    c.identity("counter", KEY);
    c.handlesEvents("Deposited");
  },
  initialState: { n: 0 },
  handleEvent(state) {
    state.n += 1;
  },
};

/** A gate the ledger's handler waits on for the events whose id `waits` names. */
function gatedLedger(waits: (id: string) => boolean) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const projection = memoryProjection(ledgerHandler({ before: (event) => (waits(event.id) ? gate : undefined) }));
  return { projection, open };
}

describe("R7: arrays the memory adapter borrows", () => {
  it("a call whose handler awaits, and a call that waits for its turn, keep what they were given when the caller changes it", async () => {
    const { projection, open } = gatedLedger((id) => id === "slow");
    const slowResource = text("acc-1");
    const slowNext = encodeOffset(0);
    const slow = projection.handleEvent(slowResource, undefined, slowNext, scope, deposited("slow"));
    // The queue is busy now: this call waits for its turn.
    const queuedResource = text("acc-2");
    const queuedNext = encodeOffset(7);
    const queued = projection.handleEvent(queuedResource, undefined, queuedNext, scope, deposited("queued", "acc-2"));
    for (const array of [slowResource, slowNext, queuedResource, queuedNext]) {
      array.fill(0xff);
    }
    open();
    expect(await Promise.all([slow, queued])).toEqual([true, true]);
    expect(await projection.resourceVersion(text("acc-1"))).toEqual(encodeOffset(0));
    expect(await projection.resourceVersion(text("acc-2"))).toEqual(encodeOffset(7));
    expect(await projection.resourceVersion(slowResource)).toEqual(new Uint8Array());
    expect(projection.state.applied).toEqual(["slow", "queued"]);
  });

  it("a queued call compares the version it was given, not what the caller changed it to", async () => {
    const { projection, open } = gatedLedger((id) => id === "slow");
    const r = text("acc-1");
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, deposited("first"));
    const slow = projection.handleEvent(text("acc-2"), undefined, encodeOffset(0), scope, deposited("slow", "acc-2"));
    const current = encodeOffset(0);
    const queued = projection.handleEvent(r, current, encodeOffset(1), scope, deposited("queued"));
    current.fill(0xff); // were it read when its turn comes, the call would see a conflict
    open();
    expect(await Promise.all([slow, queued])).toEqual([true, true]);
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(1));
  });

  it("a batch whose handler awaits commits the versions it was given", async () => {
    const { projection, open } = gatedLedger((id) => id === "e0");
    const r = text("acc-1");
    const deliveries = [0, 1, 2].map((offset) => ({ current: offset === 0 ? undefined : encodeOffset(offset - 1), next: encodeOffset(offset), event: deposited(`e${offset}`), scope }));
    const batch = projection.handleEventBatch(r, deliveries);
    r.fill(0xff);
    for (const { current, next } of deliveries) {
      current?.fill(0xff);
      next.fill(0xff);
    }
    open();
    expect(await batch).toEqual({ applied: 3, requests: 1, stopped: undefined });
    expect(await projection.resourceVersion(text("acc-1"))).toEqual(encodeOffset(2));
  });

  it("the commit hooks get arrays of their own, and a hook that awaits does not let the caller's change reach the store", async () => {
    let release!: () => void;
    const hookResources: Uint8Array[] = [];
    const projection = memoryProjection(counter, {
      hooks: {
        beforeCommit: ({ resource }) => {
          hookResources.push(resource);
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
    });
    const r = text("acc-1");
    const next = encodeOffset(3);
    const call = projection.handleEvent(r, undefined, next, scope, deposited("e"));
    expect(hookResources).toHaveLength(1);
    expect(hookResources[0]).toEqual(r);
    expect(hookResources[0]).not.toBe(r);
    next.fill(0xff);
    release();
    expect(await call).toBe(true);
    expect(await projection.resourceVersion(text("acc-1"))).toEqual(encodeOffset(3));
    expect(projection.state.n).toBe(1);
  });

  it("the version map advances in place, yet a version read earlier or reported in a conflict stays as it was", async () => {
    const projection = memoryProjection(ledgerHandler());
    const r = text("acc-1");
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, deposited("e0"));
    const read = await projection.resourceVersion(r);
    let reported: VersionConflict | undefined;
    expect(await projection.handleEvent(r, encodeOffset(5), encodeOffset(6), scope, deposited("x"), { onConflict: (conflict) => (reported = conflict) })).toBe(false);
    const stopped = await projection.handleEventBatch(r, [{ current: encodeOffset(5), next: encodeOffset(6), event: deposited("y"), scope }]);
    await projection.handleEvent(r, encodeOffset(0), encodeOffset(1), scope, deposited("e1"));
    expect(read).toEqual(encodeOffset(0));
    expect(reported?.storedVersion).toEqual(encodeOffset(0));
    expect(stopped.stopped).toEqual({ index: 0, reason: "conflict", storedVersion: encodeOffset(0) });
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(1));
  });
});

describe("H4/B3: what a call reads is the version as of the call", () => {
  it("a read, or a batch stopped by a conflict, reports the version it saw, though a commit that follows at once changes the stored one in place", async () => {
    const projection = memoryProjection(counter);
    const r = text("acc-1");
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, deposited("e0"));
    // Each call below reads the stored version in its synchronous part and resolves a turn later;
    // the handleEvent started right after it commits synchronously, in between.
    const read = projection.resourceVersion(r);
    const stopped = projection.handleEventBatch(r, [{ current: encodeOffset(5), next: encodeOffset(6), event: deposited("x"), scope }]);
    const advanced = projection.handleEvent(r, encodeOffset(0), encodeOffset(1), scope, deposited("e1"));
    expect(await read).toEqual(encodeOffset(0));
    expect((await stopped).stopped).toEqual({ index: 0, reason: "conflict", storedVersion: encodeOffset(0) });
    expect(await advanced).toBe(true);
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(1));
  });
});

describe("M2: Map and Set methods find their draft without asking it twice", () => {
  type Maps = { a: Map<string, number>; b: Map<string, number> };
  const handler = (handleEvent: (state: Draft<Maps>) => void): MemoryProjectionHandler<Maps, LedgerEvent> => ({
    configure(c) {
      c.identity("maps", KEY);
      c.handlesEvents("Deposited");
    },
    initialState: { a: new Map([["k", 1]]), b: new Map([["k", 2]]) },
    handleEvent: (state) => handleEvent(state),
  });

  it("a method looked up on one draft and called on another acts on the other", async () => {
    const projection = memoryProjection(
      handler((state) => {
        const setOfA = state.a.set;
        const getOfB = state.b.get; // the last lookup is B's
        setOfA.call(state.b, "k", (getOfB.call(state.a, "k") ?? 0) + 10);
        state.a.set("new", 1);
      }),
    );
    expect(await projection.handleEvent(text("r"), undefined, encodeOffset(0), scope, deposited("e"))).toBe(true);
    expect(projection.state.a).toEqual(new Map([["k", 1], ["new", 1]]));
    expect(projection.state.b).toEqual(new Map([["k", 11]]));
  });

  it("a method looked up during a call and called after it ended throws and changes nothing", async () => {
    let kept: { draft: Map<string, number>; set: Map<string, number>["set"] } | undefined;
    const projection = memoryProjection(
      handler((state) => {
        kept = { draft: state.a, set: state.a.set };
      }),
    );
    expect(await projection.handleEvent(text("r"), undefined, encodeOffset(0), scope, deposited("e"))).toBe(true);
    expect(() => kept?.set.call(kept.draft, "k", 99)).toThrow(TypeError);
    expect(() => kept?.set.call(new Map(), "k", 99)).toThrow(TypeError);
    expect(projection.state.a.get("k")).toBe(1);
  });
});
