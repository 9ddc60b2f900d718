import { createCompactScope, createEventScope, isProjectionKitError, streamEventVersions, type ProjectionKitErrorCode } from "@projectionkit/core";
import { memoryProjection, MemoryResourceRepository, type MemoryProjectionHandler } from "@projectionkit/memory";
import { describe, expect, it } from "vitest";

// Bad input to the memory adapter: each case is refused with a typed error naming the argument,
// the user's handler is not called (or, for a value the state cannot keep, its changes are
// dropped), and the state and the stored versions are as they were (E1, E2, H3, M2).

type Row = { type: "Row"; id: string };
interface State {
  rows: Record<string, unknown>;
}

/** A projection whose handler counts its calls and writes `value(event)` under the event's id. */
function world(value: (event: Row) => unknown = (event) => event.id) {
  let calls = 0;
  const handler: MemoryProjectionHandler<State, Row> = {
    configure(c) {
      c.identity("bad-input", "4e3d2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f");
      c.handlesEvents("Row");
    },
    initialState: { rows: {} },
    handleEvent(state, _scope, event) {
      calls++;
      state.rows[event.id] = event.id === "seeded" ? "seeded" : value(event);
    },
  };
  const projection = memoryProjection(handler);
  const repository = new MemoryResourceRepository();
  const seeded = streamEventVersions("seeded", 0);
  const snapshot = async () =>
    JSON.stringify({
      state: projection.state,
      versions: [...(await projection.resourceVersion(seeded.resource))],
      repository: [...(await repository.resourceVersion(seeded.resource))],
    });
  return {
    projection,
    repository,
    calls: () => calls,
    snapshot,
    async seed() {
      await projection.handleEvent(seeded.resource, seeded.current, seeded.next, createEventScope(), { type: "Row", id: "seeded" });
      await repository.storeResourceVersion(seeded.resource, seeded.next);
      calls = 0;
    },
  };
}

type World = ReturnType<typeof world>;

/** Runs `call` on a seeded world and checks the refusal: code, argument, no handler call, nothing changed. */
async function expectRefused(w: World, call: () => unknown, code: ProjectionKitErrorCode, argument: string | undefined, handlerCalls = 0): Promise<unknown> {
  await w.seed();
  const before = await w.snapshot();
  let error: unknown;
  try {
    error = { resolved: await call() };
  } catch (thrown) {
    error = thrown;
  }
  expect(isProjectionKitError(error, code), `expected ${code}, got ${error instanceof Error ? error.stack : JSON.stringify(error)}`).toBe(true);
  if (argument !== undefined) {
    expect((error as { argument?: string }).argument).toBe(argument);
  }
  expect(w.calls()).toBe(handlerCalls);
  expect(await w.snapshot()).toEqual(before);
  return error;
}

const event: Row = { type: "Row", id: "e" };
const fresh = () => streamEventVersions(`fresh-${Math.random()}`, 0);
const scope = createEventScope();
const signal = new AbortController().signal;

describe("E2: options of memoryProjection", () => {
  const handler = (): MemoryProjectionHandler<State, Row> => ({
    configure(c) {
      c.identity("bad-input", "4e3d2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f");
      c.handlesEvents("Row");
    },
    initialState: { rows: {} },
    handleEvent: () => {},
  });
  const cases: Array<[string, ProjectionKitErrorCode, string | undefined, () => unknown]> = [
    ["a misspelt freeze", "ERR_INVALID_ARGUMENT", "options.freez", () => memoryProjection(handler(), { freez: false } as never)],
    ['freeze "yes"', "ERR_INVALID_ARGUMENT", "options.freeze", () => memoryProjection(handler(), { freeze: "yes" } as never)],
    ["a misspelt hook", "ERR_INVALID_ARGUMENT", "options.hooks.beforeComit", () => memoryProjection(handler(), { hooks: { beforeComit: () => {} } } as never)],
    ["a hook that is not a function", "ERR_INVALID_ARGUMENT", "options.hooks.afterCommit", () => memoryProjection(handler(), { hooks: { afterCommit: 1 } } as never)],
    ["hooks a string", "ERR_INVALID_ARGUMENT", "options.hooks", () => memoryProjection(handler(), { hooks: "log" } as never)],
    ["a handler without handleEvent", "ERR_INVALID_ARGUMENT", "handler.handleEvent", () => memoryProjection({ ...handler(), handleEvent: undefined } as never)],
    ["an initial state holding a Uint8Array", "ERR_INVALID_ARGUMENT", "handler.initialState", () => memoryProjection({ ...handler(), initialState: { rows: new Uint8Array(2) } } as never)],
    ["a handler declaring no event types", "ERR_INVALID_CONFIGURATION", undefined, () => memoryProjection({ ...handler(), configure: (c) => c.identity("bad-input", "4e3d2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f") })],
    ["an identity key that is not a UUID", "ERR_INVALID_CONFIGURATION", undefined, () => memoryProjection({ ...handler(), configure: (c) => (c.identity("bad-input", "not-a-uuid"), c.handlesEvents("Row")) })],
  ];
  it.each(cases)("%s: %s naming %s; nothing changed", async (_label, code, argument, call) => {
    await expectRefused(world(), call, code, argument);
  });
});

describe("E1/E2/H3: arguments and per-call options of the projection's calls", () => {
  const cases: Array<[string, ProjectionKitErrorCode, string | undefined, (w: World) => Promise<unknown>]> = [
    ["handleEvent with { sigal }", "ERR_INVALID_ARGUMENT", "options.sigal", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, v.next, scope, event, { sigal: signal } as never); }],
    ['handleEvent with { onConflict: "x" }', "ERR_INVALID_ARGUMENT", "options.onConflict", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, v.next, scope, event, { onConflict: "x" } as never); }],
    ["handleEvent with a signal that is not one", "ERR_INVALID_ARGUMENT", "options.signal", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, v.next, scope, event, { signal: {} } as never); }],
    ["handleEvent with onRequest a number", "ERR_INVALID_ARGUMENT", "options.onRequest", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, v.next, scope, event, { onRequest: 1 } as never); }],
    ["handleEvent of an empty resource", "ERR_INVALID_RESOURCE", "resource", (w) => { const v = fresh(); return w.projection.handleEvent(new Uint8Array(), v.current, v.next, scope, event); }],
    ["handleEvent of a string resource", "ERR_INVALID_RESOURCE", "resource", (w) => { const v = fresh(); return w.projection.handleEvent("r" as never, v.current, v.next, scope, event); }],
    ['handleEvent with current "0"', "ERR_INVALID_VERSION", "current", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, "0" as never, v.next, scope, event); }],
    ["handleEvent with next 1", "ERR_INVALID_VERSION", "next", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, 1 as never, scope, event); }],
    ["handleEvent of an undeclared type", "ERR_UNEXPECTED_MESSAGE", undefined, (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, v.next, scope, { type: "Other", id: "x" } as never); }],
    ["handleEvent of a null event", "ERR_INVALID_ARGUMENT", "event", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, v.next, scope, null as never); }],
    ["handleEvent without a scope", "ERR_INVALID_ARGUMENT", "scope", (w) => { const v = fresh(); return w.projection.handleEvent(v.resource, v.current, v.next, undefined as never, event); }],
    ["handleEventBatch of consecutive-looking but broken versions", "ERR_INVALID_ARGUMENT", "deliveries[1].current", (w) => { const a = streamEventVersions("b", 0); const c = streamEventVersions("b", 2); return w.projection.handleEventBatch(a.resource, [{ ...a, scope, event }, { current: c.current, next: c.next, scope, event }]); }],
    ["handleEventBatch of a string", "ERR_INVALID_ARGUMENT", "deliveries", (w) => w.projection.handleEventBatch(fresh().resource, "deliveries" as never)],
    ["handleEventBatch with an undeclared event second", "ERR_UNEXPECTED_MESSAGE", undefined, (w) => { const a = streamEventVersions("b2", 0); const b = streamEventVersions("b2", 1); return w.projection.handleEventBatch(a.resource, [{ ...a, scope, event }, { current: b.current, next: b.next, scope, event: { type: "Other" } as never }]); }],
    ["handleEventBatch with { sigal }", "ERR_INVALID_ARGUMENT", "options.sigal", (w) => { const a = fresh(); return w.projection.handleEventBatch(a.resource, [{ ...a, scope, event }], { sigal: signal } as never); }],
    ["resourceVersion with { sigal }", "ERR_INVALID_ARGUMENT", "options.sigal", (w) => w.projection.resourceVersion(fresh().resource, { sigal: signal } as never)],
    ["resourceVersion of an empty resource", "ERR_INVALID_RESOURCE", "resource", (w) => w.projection.resourceVersion(new Uint8Array())],
    ["closeResource with { sigal }", "ERR_INVALID_ARGUMENT", "options.sigal", (w) => w.projection.closeResource(streamEventVersions("seeded", 0).resource, { sigal: signal } as never)],
    ["compact with { sigal }", "ERR_INVALID_ARGUMENT", "options.sigal", (w) => w.projection.compact(createCompactScope(), { sigal: signal } as never)],
  ];
  it.each(cases)("%s: %s naming %s; the handler not called, nothing changed", async (_label, code, argument, call) => {
    const w = world();
    await expectRefused(w, () => call(w), code, argument);
  });
});

describe("M2: a value the state cannot keep is refused and the handler's changes dropped", () => {
  const cases: Array<[string, (event: Row) => unknown]> = [
    ["a Uint8Array", () => new Uint8Array([1])],
    ["a function", () => () => 1],
    ["a class instance", () => new (class Point { x = 1; })()],
    ["a Map with an object key", () => new Map([[{}, 1]])],
  ];
  it.each(cases)("a handler writing %s: ERR_INVALID_STATE_UPDATE naming where; state and version unchanged", async (_label, value) => {
    const w = world(value);
    const v = fresh();
    const error = await expectRefused(w, () => w.projection.handleEvent(v.resource, v.current, v.next, scope, event), "ERR_INVALID_STATE_UPDATE", undefined, 1);
    expect((error as Error).message).toMatch(/^(a key of )?the value written at key "e" is /);
    expect(await w.projection.resourceVersion(v.resource)).toEqual(new Uint8Array());
  });
});

describe("E1/E2: MemoryResourceRepository", () => {
  const r = () => streamEventVersions("seeded", 0).resource;
  const cases: Array<[string, ProjectionKitErrorCode, string, (repository: MemoryResourceRepository) => Promise<unknown>]> = [
    ['storeResourceVersion of "v"', "ERR_INVALID_VERSION", "version", (repository) => repository.storeResourceVersion(r(), "v" as never)],
    ["updateResourceVersion with { onConflic }", "ERR_INVALID_ARGUMENT", "options.onConflic", (repository) => repository.updateResourceVersion(r(), undefined, new Uint8Array([1]), { onConflic: () => {} } as never)],
    ["deleteResource of an empty resource", "ERR_INVALID_RESOURCE", "resource", (repository) => repository.deleteResource(new Uint8Array())],
    ["resourceVersion with { sigal }", "ERR_INVALID_ARGUMENT", "options.sigal", (repository) => repository.resourceVersion(r(), { sigal: signal } as never)],
  ];
  it.each(cases)("%s: %s naming %s; nothing changed", async (_label, code, argument, call) => {
    const w = world();
    await expectRefused(w, () => call(w.repository), code, argument);
  });
});
