import { describe, expect, it } from "vitest";
import { createEventScope, encodeOffset, isProjectionKitError, streamEventVersions } from "@projectionkit/core";
import { memoryProjection, type Draft, type MemoryProjectionHandler } from "@projectionkit/memory";
import { KEY } from "./fixtures.js";
import { rejection } from "../../../test/support/rejection.js";

// M2: whatever a handler does to its draft, or to values it got from it, the committed state only
// changes through a successful commit.

type Tick = { type: "Tick"; id: string };

const scope = createEventScope();

function projectionOf<S>(initialState: S, handleEvent: MemoryProjectionHandler<S, Tick>["handleEvent"], options?: { freeze?: boolean }) {
  return memoryProjection<S, Tick>(
    {
      configure(c) {
        c.identity("isolation", KEY);
        c.handlesEvents("Tick");
      },
      initialState,
      handleEvent,
    },
    options,
  );
}

async function tick(projection: ReturnType<typeof projectionOf<never>>, offset: number): Promise<boolean> {
  const { resource, current, next } = streamEventVersions("stream", offset);
  return projection.handleEvent(resource, current, next, scope, { type: "Tick", id: `t${offset}` });
}

/**
 * Runs a handler that keeps what `keep` returns of its draft twice: once it returns, once it throws
 * after keeping. Returns the projection and what was kept, in that order.
 */
async function keptFromDrafts<S, K>(initialState: S, keep: (state: Draft<S>) => K, options: { freeze?: boolean }): Promise<{ projection: ReturnType<typeof projectionOf<S>>; kept: K[] }> {
  const kept: K[] = [];
  let fail = false;
  const projection = projectionOf(initialState, (state) => {
    kept.push(keep(state));
    if (fail) throw new Error("boom");
  }, options);
  await tick(projection as never, 0);
  fail = true;
  await rejection(tick(projection as never, 1));
  expect(kept).toHaveLength(2);
  return { projection, kept };
}

describe.each([{ freeze: true }, { freeze: false }])("M2 with %o", (options) => {
  it("a handler that changes a Date of the state and then throws changes nothing", async () => {
    const projection = projectionOf({ openedAt: new Date(0), count: 0 }, (state) => {
      state.count += 1;
      state.openedAt.setTime(5_000);
      throw new Error("boom");
    }, options);
    await rejection(tick(projection as never, 0));
    expect(projection.state.openedAt.getTime()).toBe(0);
    expect(projection.state.count).toBe(0);
    expect(await projection.resourceVersion(streamEventVersions("stream", 0).resource)).toEqual(new Uint8Array());
  });

  it("a Date in the state is replaced, not changed in place; changing it in place is a typed error", async () => {
    let replace = false;
    const projection = projectionOf({ openedAt: new Date(0) }, (state) => {
      if (replace) {
        state.openedAt = new Date(7_000);
      } else {
        state.openedAt.setUTCFullYear(2030);
      }
    }, options);
    const error = await rejection(tick(projection as never, 0));
    expect(isProjectionKitError(error, "ERR_INVALID_STATE_UPDATE")).toBe(true);
    expect(projection.state.openedAt).toEqual(new Date(0));
    replace = true;
    expect(await tick(projection as never, 0)).toBe(true);
    expect(projection.state.openedAt).toEqual(new Date(7_000));
  });

  it("a Date the handler kept from its draft cannot change the state after the handler returned or threw", async () => {
    const { projection, kept } = await keptFromDrafts({ openedAt: new Date(0) }, (state) => state.openedAt, options);
    for (const date of kept) {
      try {
        date.setTime(9_000);
      } catch {
        // refusing is as good as ignoring: the state must not change either way
      }
    }
    expect(projection.state.openedAt.getTime()).toBe(0);
  });

  it("a Date the handler put into the state and kept cannot change the state afterwards", async () => {
    const assigned = new Date(1_000);
    const projection = projectionOf({ openedAt: new Date(0) }, (state) => {
      state.openedAt = assigned;
    }, options);
    await tick(projection as never, 0);
    assigned.setTime(2_000);
    expect(projection.state.openedAt.getTime()).toBe(1_000);
  });

  it("a draft kept after the handler returned or threw is revoked: using it throws and changes nothing", async () => {
    const { projection, kept } = await keptFromDrafts({ inner: { n: 0 }, list: [1] }, (state) => {
      state.inner.n += 1;
      return state;
    }, options);
    for (const draft of kept) {
      expect(() => {
        draft.inner.n = 100;
      }).toThrow(TypeError);
      expect(() => draft.list.push(2)).toThrow(TypeError);
    }
    expect(projection.state).toEqual({ inner: { n: 1 }, list: [1] });
  });

  it("a nested part of the draft kept after a throw is revoked too", async () => {
    const kept: Array<{ n: number }> = [];
    const projection = projectionOf({ inner: { n: 0 } }, (state) => {
      kept.push(state.inner);
      state.inner.n = 1;
      throw new Error("boom");
    }, options);
    await rejection(tick(projection as never, 0));
    expect(() => {
      (kept[0] as { n: number }).n = 2;
    }).toThrow(TypeError);
    expect(projection.state).toEqual({ inner: { n: 0 } });
  });

  it("a state that holds a value the adapter cannot keep safely is refused when the handler is bound", () => {
    for (const value of [new Uint8Array(2), new (class Point {})(), () => 1, /x/g, new Error("e"), new WeakMap()]) {
      expect(() => projectionOf({ nested: { value } }, () => {}, options)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "handler.initialState" }),
      );
    }
  });

  it("a handler that puts such a value into the state is refused with a typed error, and nothing commits", async () => {
    const values: unknown[] = [new Uint8Array(2), new (class Point {})(), () => 1, new Map([[{}, 1]]), new Set([{}])];
    for (const value of values) {
      const projection = projectionOf<{ count: number; slot?: unknown }>({ count: 0 }, (state) => {
        state.count += 1;
        state.slot = { deep: [value] };
      }, options);
      const error = await rejection(tick(projection as never, 0));
      expect(isProjectionKitError(error, "ERR_INVALID_STATE_UPDATE")).toBe(true);
      expect(projection.state).toEqual({ count: 0 });
      expect(await projection.resourceVersion(streamEventVersions("stream", 0).resource)).toEqual(new Uint8Array());
    }
  });

  it("a typed array changed in place and then a throw: refused before it could leak", async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const bind = () =>
      projectionOf({ bytes }, (state) => {
        state.bytes[0] = 9;
        throw new Error("boom");
      }, options);
    expect(bind).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect([...bytes]).toEqual([1, 2, 3]);
  });
});

describe("M2 with the default options", () => {
  it("an object the handler put into the state and kept is frozen with it: changing it later fails", async () => {
    const entry = { n: 1 };
    const projection = projectionOf<{ entry?: { n: number } }>({}, (state) => {
      state.entry = entry;
    });
    await tick(projection as never, 0);
    expect(() => {
      entry.n = 2;
    }).toThrow(TypeError);
    expect(projection.state.entry).toEqual({ n: 1 });
  });

  it("the version and the state of a throwing handler stay as they were, whichever containers it changed", async () => {
    const projection = projectionOf(
      { map: new Map([["a", { n: 1 }]]), set: new Set(["x"]), list: [{ id: 1 }, { id: 2 }], record: { b: 2, a: 1 } as Record<string, number> },
      (state) => {
        state.map.get("a")!.n = 5;
        state.map.delete("a");
        state.map.set("z", { n: 26 });
        state.set.add("y");
        state.set.delete("x");
        state.list.reverse();
        state.list.length = 1;
        delete state.record["b"];
        state.record["b"] = 3;
        throw new Error("boom");
      },
    );
    await rejection(tick(projection as never, 0));
    const state = projection.state;
    expect([...state.map]).toEqual([["a", { n: 1 }]]);
    expect([...state.set]).toEqual(["x"]);
    expect(state.list).toEqual([{ id: 1 }, { id: 2 }]);
    expect(Object.entries(state.record)).toEqual([
      ["b", 2],
      ["a", 1],
    ]);
    expect(await projection.resourceVersion(streamEventVersions("stream", 0).resource)).toEqual(new Uint8Array());
    expect(encodeOffset(0)).toHaveLength(8);
  });
});
