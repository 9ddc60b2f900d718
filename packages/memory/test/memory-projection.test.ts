import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  createCompactScope,
  createEventScope,
  decodeOffset,
  encodeOffset,
  isProjectionKitError,
  nextStreamOffset,
  readProjectionConfiguration,
  streamEventVersions,
  type ProjectionConfigurer,
  type VersionConflict,
} from "@projectionkit/core";
import { memoryProjection, type MemoryProjectionHandler } from "@projectionkit/memory";
import { KEY, ledgerHandler, type LedgerEvent } from "./fixtures.js";
import { rejection } from "../../../test/support/rejection.js";

const scope = createEventScope();
const r = new TextEncoder().encode("acc-1");

function opened(id = "e0"): LedgerEvent {
  return { type: "Opened", id, account: "acc-1" };
}

function deposited(id: string, amount: number): LedgerEvent {
  return { type: "Deposited", id, account: "acc-1", amount };
}

describe("memoryProjection", () => {
  it("H1: configure forwards the user's declarations, the same each time", () => {
    const projection = memoryProjection(ledgerHandler());
    const configuration = readProjectionConfiguration(projection);
    expect(configuration.identity).toEqual({ name: "ledger", key: KEY });
    expect([...configuration.eventTypes]).toEqual(["Opened", "Deposited"]);
    expect(projection.identity.key).toBe(KEY);
  });

  it("H1: a handler with an invalid configuration cannot be bound", () => {
    const handler = { ...ledgerHandler(), configure: (c: ProjectionConfigurer<LedgerEvent>) => c.identity("ledger", KEY) };
    expect(() => memoryProjection(handler)).toThrow(expect.objectContaining({ code: "ERR_INVALID_CONFIGURATION" }));
  });

  it("H2: with the stored version equal to c, the event and n are committed together", async () => {
    const projection = memoryProjection(ledgerHandler());
    expect(await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened())).toBe(true);
    expect(await projection.handleEvent(r, encodeOffset(0), encodeOffset(1), scope, deposited("e1", 10))).toBe(true);
    expect(projection.state).toEqual({ balances: { "acc-1": 10 }, applied: ["e0", "e1"] });
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(1));
  });

  it("H2: with another stored version, handleEvent resolves false and changes nothing", async () => {
    const projection = memoryProjection(ledgerHandler());
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened());
    const before = projection.state;
    expect(await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened("again"))).toBe(false);
    expect(await projection.handleEvent(r, encodeOffset(7), encodeOffset(8), scope, deposited("e8", 1))).toBe(false);
    expect(projection.state).toBe(before);
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(0));
  });

  it("H2: a redelivered event (the engine's retry after a commit) resolves false and is not applied twice", async () => {
    const projection = memoryProjection(ledgerHandler());
    const events = [opened(), deposited("e1", 5), deposited("e2", 7)];
    const deliveries = [0, 1, 1, 0, 2, 1, 2];
    const results: boolean[] = [];
    for (const offset of deliveries) {
      const { resource, current, next } = streamEventVersions("acc-1", offset);
      results.push(await projection.handleEvent(resource, current, next, scope, events[offset] as LedgerEvent));
    }
    expect(results).toEqual([true, true, false, false, true, false, false]);
    expect(projection.state.applied).toEqual(["e0", "e1", "e2"]);
    expect(projection.state.balances["acc-1"]).toBe(12);
  });

  it("H2/M1: a throwing handler leaves state and version unchanged, and a retry then applies once", async () => {
    let fail = true;
    const projection = memoryProjection(
      ledgerHandler({
        before: () => {
          if (fail) throw new Error("boom");
        },
      }),
    );
    const error = await rejection(projection.handleEvent(r, undefined, encodeOffset(0), scope, opened()));
    expect((error as Error).message).toBe("boom");
    expect(projection.state).toEqual({ balances: {}, applied: [] });
    expect(await projection.resourceVersion(r)).toEqual(new Uint8Array());
    fail = false;
    expect(await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened())).toBe(true);
    expect(projection.state.applied).toEqual(["e0"]);
  });

  it("H3: an event of an undeclared type is an UnexpectedMessageError and writes nothing", async () => {
    const projection = memoryProjection(ledgerHandler());
    const error = await rejection(projection.handleEvent(r, undefined, encodeOffset(0), scope, { type: "Audited", id: "a" }));
    expect(isProjectionKitError(error, "ERR_UNEXPECTED_MESSAGE")).toBe(true);
    expect(error).toMatchObject({ eventType: "Audited", handlerName: "ledger" });
    expect(projection.state.applied).toEqual([]);
    expect(await projection.resourceVersion(r)).toEqual(new Uint8Array());
  });

  it("H4: resourceVersion reads the version; closeResource removes it and is idempotent", async () => {
    const projection = memoryProjection(ledgerHandler());
    expect(await projection.resourceVersion(r)).toEqual(new Uint8Array());
    await projection.closeResource(r);
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened());
    await projection.closeResource(r);
    await projection.closeResource(r);
    expect(await projection.resourceVersion(r)).toEqual(new Uint8Array());
    expect(projection.state.balances).toEqual({ "acc-1": 0 });
  });

  it("H2: an empty n deletes the version together with the event's changes", async () => {
    const projection = memoryProjection(ledgerHandler());
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened());
    expect(await projection.handleEvent(r, encodeOffset(0), undefined, scope, deposited("last", 3))).toBe(true);
    expect(await projection.resourceVersion(r)).toEqual(new Uint8Array());
    expect(projection.state.balances["acc-1"]).toBe(3);
  });

  it("H5: timeoutHint forwards the user's hint and defaults to 0; compact runs the user's compaction", async () => {
    expect(memoryProjection(ledgerHandler({ timeoutHint: 250 })).timeoutHint(opened())).toBe(250);
    const { timeoutHint: _, ...withoutHint } = ledgerHandler();
    const plain = memoryProjection(withoutHint);
    expect(plain.timeoutHint(opened())).toBe(0);
    await plain.compact(createCompactScope());
    expect(plain.state.applied).toEqual([]);

    const compacting = memoryProjection<{ entries: Record<string, number> }, LedgerEvent>({
      configure: ledgerHandler().configure,
      initialState: { entries: { old: 1, fresh: 100 } },
      handleEvent() {},
      compact(state, compactScope) {
        const now = compactScope.now().getTime();
        for (const [name, at] of Object.entries(state.entries)) {
          if (now - at > 50) delete state.entries[name];
        }
      },
    });
    await compacting.compact(createCompactScope({ now: () => new Date(120) }));
    expect(compacting.state.entries).toEqual({ fresh: 100 });
  });

  it("H7: a conflict reports the stored version through onConflict", async () => {
    const projection = memoryProjection(ledgerHandler());
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened());
    const conflicts: VersionConflict[] = [];
    const ok = await projection.handleEvent(r, encodeOffset(4), encodeOffset(5), scope, deposited("e5", 1), {
      onConflict: (conflict) => conflicts.push(conflict),
    });
    expect(ok).toBe(false);
    expect(conflicts.map((c) => decodeOffset(c.storedVersion))).toEqual([0n]);
    expect(nextStreamOffset(conflicts[0]?.storedVersion)).toBe(1n);
  });

  it("M1: the handler may return the next state instead of mutating its draft", async () => {
    const counter = memoryProjection<number, LedgerEvent>({
      configure: ledgerHandler().configure,
      initialState: 0,
      handleEvent: (count) => count + 1,
    });
    await counter.handleEvent(r, undefined, encodeOffset(0), scope, opened());
    await counter.handleEvent(r, encodeOffset(0), encodeOffset(1), scope, deposited("e1", 1));
    expect(counter.state).toBe(2);

    const replacing = memoryProjection<{ last: string }, LedgerEvent>({
      configure: ledgerHandler().configure,
      initialState: { last: "" },
      handleEvent: (_state, _scope, event) => ({ last: event.id }),
    });
    await replacing.handleEvent(r, undefined, encodeOffset(0), scope, opened("first"));
    expect(replacing.state).toEqual({ last: "first" });
    expect(Object.isFrozen(replacing.state)).toBe(true);
  });

  it("M1: mutating the draft and returning a new state is an InvalidStateUpdateError; nothing commits", async () => {
    const both = memoryProjection<{ n: number }, LedgerEvent>({
      configure: ledgerHandler().configure,
      initialState: { n: 0 },
      handleEvent(state) {
        state.n = 1;
        return { n: 2 };
      },
    });
    const error = await rejection(both.handleEvent(r, undefined, encodeOffset(0), scope, opened()));
    expect(isProjectionKitError(error, "ERR_INVALID_STATE_UPDATE")).toBe(true);
    expect(both.state).toEqual({ n: 0 });
    expect(await both.resourceVersion(r)).toEqual(new Uint8Array());
  });

  it("M1: a returned state may embed parts of the draft; a part kept at two places changes at one only", async () => {
    const embedding = memoryProjection<{ inner: { n: number }; copy?: { n: number }; other: number }, LedgerEvent>({
      configure: ledgerHandler().configure,
      initialState: { inner: { n: 0 }, other: 0 },
      handleEvent: (state, _scope, event) => {
        if (event.type === "Opened") {
          return { inner: state.inner, copy: state.inner, other: 1 };
        }
        state.inner.n += 1;
        return undefined;
      },
    });
    await embedding.handleEvent(r, undefined, encodeOffset(0), scope, opened());
    expect(embedding.state).toEqual({ inner: { n: 0 }, copy: { n: 0 }, other: 1 });
    await embedding.handleEvent(r, encodeOffset(0), encodeOffset(1), scope, deposited("e1", 1));
    expect(embedding.state).toEqual({ inner: { n: 1 }, copy: { n: 0 }, other: 1 });
  });

  it("M1: the committed state is frozen, so code outside the handler cannot change it", async () => {
    const projection = memoryProjection(ledgerHandler());
    await projection.handleEvent(r, undefined, encodeOffset(0), scope, opened());
    expect(() => {
      (projection.state.balances as Record<string, number>)["acc-1"] = 99;
    }).toThrow(TypeError);
    expect(projection.state.balances["acc-1"]).toBe(0);
    const unfrozen = memoryProjection(ledgerHandler(), { freeze: false });
    expect(Object.isFrozen(unfrozen.state)).toBe(false);
  });

  it("M1: a class instance as state is refused when the handler is bound", () => {
    class Counter {
      n = 0;
    }
    const handler: MemoryProjectionHandler<Counter, LedgerEvent> = {
      configure: ledgerHandler().configure,
      initialState: new Counter(),
      handleEvent() {},
    };
    expect(() => memoryProjection(handler)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "handler.initialState" }),
    );
  });

  it("an abort while the handler runs commits nothing and rejects with the reason", async () => {
    const controller = new AbortController();
    const projection = memoryProjection(
      ledgerHandler({
        before: async () => {
          controller.abort(new Error("stop"));
          await sleep(1);
        },
      }),
    );
    const error = await rejection(
      projection.handleEvent(r, undefined, encodeOffset(0), scope, opened(), { signal: controller.signal }),
    );
    expect((error as Error).message).toBe("stop");
    expect(projection.state.applied).toEqual([]);
    expect(await projection.resourceVersion(r)).toEqual(new Uint8Array());
  });

  it("a closeResource while the handler awaits makes the pending commit a conflict", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const projection = memoryProjection(ledgerHandler({ before: (event) => (event.id === "e1" ? gate : undefined) }));
    await projection.handleEvent(r, undefined, encodeOffset(0), createEventScope(), opened());
    const pending = projection.handleEvent(r, encodeOffset(0), encodeOffset(1), scope, deposited("e1", 1));
    await sleep(1);
    await projection.closeResource(r);
    release();
    expect(await pending).toBe(false);
    expect(projection.state.applied).toEqual(["e0"]);
  });

  it("E1: malformed arguments reject with typed errors naming them, and nothing is written", async () => {
    const projection = memoryProjection(ledgerHandler());
    const cases: Array<[Promise<unknown>, string, string]> = [
      [projection.handleEvent(new Uint8Array(), undefined, encodeOffset(0), scope, opened()), "ERR_INVALID_RESOURCE", "resource"],
      [projection.handleEvent(r, "x" as never, encodeOffset(0), scope, opened()), "ERR_INVALID_VERSION", "current"],
      [projection.handleEvent(r, undefined, 0 as never, scope, opened()), "ERR_INVALID_VERSION", "next"],
      [projection.handleEvent(r, undefined, encodeOffset(0), scope, "Opened" as never), "ERR_INVALID_ARGUMENT", "event"],
      [projection.handleEvent(r, undefined, encodeOffset(0), scope, opened(), { onConflict: 1 as never }), "ERR_INVALID_ARGUMENT", "options.onConflict"],
      [projection.resourceVersion([1] as never), "ERR_INVALID_RESOURCE", "resource"],
      [projection.closeResource(new Uint8Array()), "ERR_INVALID_RESOURCE", "resource"],
    ];
    for (const [promise, code, argument] of cases) {
      const error = await rejection(promise);
      expect(isProjectionKitError(error, code as "ERR_INVALID_RESOURCE")).toBe(true);
      expect((error as { argument: string }).argument).toBe(argument);
    }
    expect(projection.state.applied).toEqual([]);
    expect(await projection.resourceVersion(r)).toEqual(new Uint8Array());
  });

  it("V1: a stream applied through streamEventVersions ends at the last offset, each event once", async () => {
    const projection = memoryProjection(ledgerHandler());
    const events = [opened(), ...Array.from({ length: 9 }, (_, i) => deposited(`e${i + 1}`, i + 1))];
    for (let offset = 0; offset < events.length; offset++) {
      const { resource, current, next } = streamEventVersions("acc-1", offset);
      expect(await projection.handleEvent(resource, current, next, scope, events[offset] as LedgerEvent)).toBe(true);
    }
    expect(nextStreamOffset(await projection.resourceVersion(r))).toBe(10n);
    expect(projection.state.balances["acc-1"]).toBe(45);
  });
});
