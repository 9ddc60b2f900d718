import { describe, expect, it } from "vitest";
import {
  createEventScope,
  EMPTY_VERSION,
  encodeOffset,
  isProjectionKitError,
  ProjectionHandlerBase,
  ResourceRepositoryBase,
  versionsEqual,
  type BatchResult,
  type CheckedConditionalOptions,
  type EventBatchCall,
  type EventCall,
  type ProjectionHandlerBaseOptions,
  type Resource,
  type Version,
} from "@projectionkit/core";

type Noted = { type: "Noted"; note: string };
type VersionConflictLike = { resource: Uint8Array; expectedVersion: Uint8Array; storedVersion: Uint8Array };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const bytes = (text: string) => new TextEncoder().encode(text);

/** A projection on a Map that keeps the arrays it is given (the base must make that safe). */
class MapProjection extends ProjectionHandlerBase<Noted> {
  readonly versions = new Map<string, Version>();
  readonly notes: string[] = [];
  calls = 0;
  failOn: string | undefined;

  /** The calls the hooks received, as they received them. */
  readonly received: Array<EventCall<Noted> | EventBatchCall<Noted>> = [];

  constructor(options?: ProjectionHandlerBaseOptions) {
    super(
      {
        configure(c) {
          c.identity("notes", "3c8e7a52-0f4b-4f0e-9a51-8d2b7c1e6f90");
          c.handlesEvents("Noted");
        },
      },
      options,
    );
  }

  protected async _handleEvent(call: EventCall<Noted>): Promise<boolean> {
    const { resource, current, next, event, onConflict } = call;
    this.received.push(call);
    this.calls++;
    const stored = this.versions.get(hex(resource)) ?? EMPTY_VERSION;
    if (!versionsEqual(stored, current)) {
      onConflict?.({ resource, expectedVersion: current, storedVersion: stored });
      return false;
    }
    if (event.note === this.failOn) throw new Error(`cannot note ${event.note}`);
    this.versions.set(hex(resource), next);
    this.notes.push(event.note);
    return true;
  }
  protected async _resourceVersion(resource: Resource): Promise<Version> {
    this.calls++;
    return this.versions.get(hex(resource)) ?? EMPTY_VERSION;
  }
  protected async _closeResource(resource: Resource): Promise<void> {
    this.calls++;
    this.versions.delete(hex(resource));
  }
  protected async _compact(): Promise<void> {
    this.calls++;
  }
}

/** The same, with a batch hook that records that it was used. */
class BatchingMapProjection extends MapProjection {
  batches = 0;
  protected override async _handleEventBatch(call: EventBatchCall<Noted>): Promise<BatchResult> {
    this.received.push(call);
    this.batches++;
    const first = call.deliveries[0]!;
    const stored = this.versions.get(hex(call.resource)) ?? EMPTY_VERSION;
    if (!versionsEqual(stored, first.current)) {
      return { applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion: stored } };
    }
    this.versions.set(hex(call.resource), call.deliveries[call.deliveries.length - 1]!.next);
    this.notes.push(...call.deliveries.map((d) => d.event.note));
    return { applied: call.deliveries.length, requests: 1, stopped: undefined };
  }
}

class MapRepository extends ResourceRepositoryBase {
  readonly versions = new Map<string, Version>();
  calls = 0;
  protected async _resourceVersion(resource: Resource): Promise<Version> {
    this.calls++;
    return this.versions.get(hex(resource)) ?? EMPTY_VERSION;
  }
  protected async _storeResourceVersion(resource: Resource, version: Version): Promise<void> {
    this.calls++;
    if (version.length === 0) this.versions.delete(hex(resource));
    else this.versions.set(hex(resource), version);
  }
  protected async _updateResourceVersion(resource: Resource, current: Version, next: Version, { onConflict }: CheckedConditionalOptions): Promise<boolean> {
    this.calls++;
    const stored = this.versions.get(hex(resource)) ?? EMPTY_VERSION;
    if (!versionsEqual(stored, current)) {
      onConflict?.({ resource, expectedVersion: current, storedVersion: stored });
      return false;
    }
    await this._storeResourceVersion(resource, next);
    return true;
  }
  protected async _deleteResource(resource: Resource): Promise<void> {
    this.calls++;
    this.versions.delete(hex(resource));
  }
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; argument: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (isProjectionKitError(error)) return { code: error.code, argument: (error as { argument?: string }).argument };
    throw error;
  }
  throw new Error("expected a rejection");
}

/** Each call rejects with its code, naming its argument (none for an unexpected message), and none of them reached a hook of `target`. */
async function expectRefusedBeforeHooks(target: { readonly calls: number }, cases: ReadonlyArray<readonly [Promise<unknown>, string, string | undefined]>): Promise<void> {
  for (const [promise, code, argument] of cases) {
    expect(await codeOf(promise)).toEqual({ code, argument });
  }
  expect(target.calls).toBe(0);
}

const note = (text: string): Noted => ({ type: "Noted", note: text });
const scope = createEventScope();

describe("ProjectionHandlerBase: checks once, then the storage hook", () => {
  it("E1/E2/H3: bad arguments and options are refused with their codes, and no hook runs", async () => {
    const projection = new MapProjection();
    const r = bytes("r");
    await expectRefusedBeforeHooks(projection, [
      [projection.handleEvent(new Uint8Array(), undefined, encodeOffset(0), scope, note("a")), "ERR_INVALID_RESOURCE", "resource"],
      [projection.handleEvent(r, "0" as never, encodeOffset(0), scope, note("a")), "ERR_INVALID_VERSION", "current"],
      [projection.handleEvent(r, undefined, [1] as never, scope, note("a")), "ERR_INVALID_VERSION", "next"],
      [projection.handleEvent(r, undefined, encodeOffset(0), scope, { type: "Other" } as never), "ERR_UNEXPECTED_MESSAGE", undefined],
      [projection.handleEvent(r, undefined, encodeOffset(0), undefined as never, note("a")), "ERR_INVALID_ARGUMENT", "scope"],
      [projection.handleEvent(r, undefined, encodeOffset(0), scope, note("a"), { sigal: AbortSignal.abort() } as never), "ERR_INVALID_ARGUMENT", "options.sigal"],
      [projection.resourceVersion(r, { onConflict: () => {} } as never), "ERR_INVALID_ARGUMENT", "options.onConflict"],
      [projection.closeResource("r" as never), "ERR_INVALID_RESOURCE", "resource"],
      [projection.compact(createCompactScopeLike(), { timeout: 1 } as never), "ERR_INVALID_ARGUMENT", "options.timeout"],
      [projection.handleEventBatch(r, "x" as never), "ERR_INVALID_ARGUMENT", "deliveries"],
      [projection.handleEventBatch(r, [null] as never), "ERR_INVALID_ARGUMENT", "deliveries[0]"],
      [projection.handleEventBatch(r, [{ current: undefined, next: encodeOffset(0), event: note("a"), scope }, { current: encodeOffset(5), next: encodeOffset(6), event: note("b"), scope }]), "ERR_INVALID_ARGUMENT", "deliveries[1].current"],
      [projection.handleEventBatch(r, [{ current: undefined, next: 7 as never, event: note("a"), scope }]), "ERR_INVALID_VERSION", "deliveries[0].next"],
      [projection.handleEventBatch(r, [{ current: undefined, next: encodeOffset(0), event: { type: "Nope" } as never, scope }]), "ERR_UNEXPECTED_MESSAGE", undefined],
      [projection.handleEventBatch(r, [], { signal: "x" } as never), "ERR_INVALID_ARGUMENT", "options.signal"],
    ]);
    expect(projection.versions.size).toBe(0);
  });

  it("R7: arrays passed in or handed out can be changed by the caller without changing what is stored", async () => {
    const projection = new MapProjection();
    const r = bytes("stream");
    const n = encodeOffset(0);
    expect(await projection.handleEvent(r, undefined, n, scope, note("a"))).toBe(true);
    n.fill(0xff);
    r.fill(0x41);
    const read = await projection.resourceVersion(bytes("stream"));
    expect(read).toEqual(encodeOffset(0));
    read.fill(0xee);
    let reported: Uint8Array | undefined;
    expect(await projection.handleEvent(bytes("stream"), undefined, encodeOffset(0), scope, note("b"), { onConflict: (c) => (reported = c.storedVersion) })).toBe(false);
    expect(reported).toEqual(encodeOffset(0));
    reported!.fill(0xdd);
    expect(await projection.resourceVersion(bytes("stream"))).toEqual(encodeOffset(0));
  });

  it("E1: a bad argument rejects the promise handleEvent returns; the call itself never throws", async () => {
    const projection = new MapProjection();
    let returned: unknown;
    expect(() => {
      returned = projection.handleEvent(new Uint8Array(), undefined, encodeOffset(0), scope, note("a"));
    }).not.toThrow();
    expect(returned).toBeInstanceOf(Promise);
    await expect(returned).rejects.toMatchObject({ code: "ERR_INVALID_RESOURCE" });
    expect(projection.calls).toBe(0);
  });

  it("R7: hooks receive copies by default, the caller's own arrays with borrowArrays, and what they report is copied either way", async () => {
    const r = bytes("stream");
    const first = encodeOffset(0);
    const second = encodeOffset(1);
    const deliveries = [
      { current: first, next: second, event: note("b"), scope },
      { current: encodeOffset(1), next: encodeOffset(2), event: note("c"), scope },
    ];
    for (const borrowArrays of [false, true]) {
      const projection = new BatchingMapProjection({ borrowArrays });
      expect(await projection.handleEvent(r, undefined, first, scope, note("a"))).toBe(true);
      expect(await projection.handleEventBatch(r, deliveries)).toMatchObject({ applied: 2 });
      const [single, batch] = projection.received as [EventCall<Noted>, EventBatchCall<Noted>];
      const [one, two] = batch.deliveries as [EventBatchCall<Noted>["deliveries"][number], EventBatchCall<Noted>["deliveries"][number]];
      // The bytes are the caller's either way; whether they are the caller's arrays is the option.
      expect([single.resource, single.next, batch.resource, one.current, one.next, two.next]).toEqual([r, first, r, first, second, encodeOffset(2)]);
      const same = [single.resource === r, single.next === first, batch.resource === r, one.current === first, one.next === second, two.next === deliveries[1]!.next];
      expect(same).toEqual(same.map(() => borrowArrays));
      // A delivery's `current` is the previous one's `next`: one array for both, copied or not.
      expect(two.current).toBe(one.next);
      let reported: VersionConflictLike | undefined;
      expect(await projection.handleEvent(r, first, second, scope, note("x"), { onConflict: (conflict) => (reported = conflict) })).toBe(false);
      expect(reported).toEqual({ resource: r, expectedVersion: first, storedVersion: encodeOffset(2) });
      expect([reported!.resource === r, reported!.expectedVersion === first]).toEqual([false, false]);
    }
  });

  it("B4: without a batch hook, a batch is applied one event at a time and stops at a conflict with the stored version", async () => {
    const projection = new MapProjection();
    const r = bytes("s");
    expect(await projection.handleEvent(r, undefined, encodeOffset(0), scope, note("a"))).toBe(true);
    const result = await projection.handleEventBatch(r, [
      { current: encodeOffset(0), next: encodeOffset(1), event: note("b"), scope },
      { current: encodeOffset(1), next: encodeOffset(2), event: note("c"), scope },
    ]);
    expect(result).toEqual({ applied: 2, requests: 2, stopped: undefined });
    const stale = await projection.handleEventBatch(r, [
      { current: encodeOffset(1), next: encodeOffset(2), event: note("c"), scope },
      { current: encodeOffset(2), next: encodeOffset(3), event: note("d"), scope },
    ]);
    expect(stale).toEqual({ applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion: encodeOffset(2) } });
    expect(projection.notes).toEqual(["a", "b", "c"]);
  });

  it("B1: without a batch hook, a failing event stops the batch there with its error; the events before it stay applied", async () => {
    const projection = new MapProjection();
    projection.failOn = "c";
    const r = bytes("s");
    const result = await projection.handleEventBatch(r, [
      { current: undefined, next: encodeOffset(0), event: note("a"), scope },
      { current: encodeOffset(0), next: encodeOffset(1), event: note("b"), scope },
      { current: encodeOffset(1), next: encodeOffset(2), event: note("c"), scope },
      { current: encodeOffset(2), next: encodeOffset(3), event: note("d"), scope },
    ]);
    expect(result.applied).toBe(2);
    expect(result.requests).toBe(3);
    expect(result.stopped).toMatchObject({ index: 2, reason: "error", error: new Error("cannot note c") });
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(1));
  });

  it("B1: an empty batch does nothing; an aborted signal refuses before any hook", async () => {
    const projection = new BatchingMapProjection();
    expect(await projection.handleEventBatch(bytes("s"), [])).toEqual({ applied: 0, requests: 0, stopped: undefined });
    await expect(
      projection.handleEventBatch(bytes("s"), [{ current: undefined, next: encodeOffset(0), event: note("a"), scope }], { signal: AbortSignal.abort(new Error("stop")) }),
    ).rejects.toThrow("stop");
    expect(projection.batches + projection.calls).toBe(0);
  });

  it("B1/R7: a batch hook is used when the backend has one, and the stored version it reports is the caller's own copy", async () => {
    const projection = new BatchingMapProjection();
    const r = bytes("s");
    const deliveries = [0, 1, 2].map((offset) => ({ current: offset === 0 ? undefined : encodeOffset(offset - 1), next: encodeOffset(offset), event: note(`e${offset}`), scope }));
    expect(await projection.handleEventBatch(r, deliveries)).toEqual({ applied: 3, requests: 1, stopped: undefined });
    deliveries[2]!.next.fill(9);
    const again = await projection.handleEventBatch(r, deliveries.slice(0, 1));
    expect(again.stopped).toEqual({ index: 0, reason: "conflict", storedVersion: encodeOffset(2) });
    if (again.stopped?.reason === "conflict") again.stopped.storedVersion!.fill(7);
    expect(await projection.resourceVersion(r)).toEqual(encodeOffset(2));
    expect(projection.batches).toBe(2);
    expect(projection.calls).toBe(1); // the read only: no event went through _handleEvent;
  });
});

describe("ResourceRepositoryBase: checks once, then the storage hook", () => {
  it("E1/E2: bad arguments and options are refused with their codes, and no hook runs", async () => {
    const repository = new MapRepository();
    await expectRefusedBeforeHooks(repository, [
      [repository.resourceVersion(new Uint8Array()), "ERR_INVALID_RESOURCE", "resource"],
      [repository.storeResourceVersion(bytes("r"), "v" as never), "ERR_INVALID_VERSION", "version"],
      [repository.updateResourceVersion(bytes("r"), undefined, 3 as never), "ERR_INVALID_VERSION", "next"],
      [repository.updateResourceVersion(bytes("r"), undefined, undefined, { onConflit: () => {} } as never), "ERR_INVALID_ARGUMENT", "options.onConflit"],
      [repository.deleteResource(bytes("r"), { sinal: undefined } as never), "ERR_INVALID_ARGUMENT", "options.sinal"],
    ]);
  });

  it("R7: the repository's hooks may keep what they are given; callers' changes do not reach the store", async () => {
    const repository = new MapRepository();
    const r = bytes("r");
    const v = encodeOffset(3);
    await repository.storeResourceVersion(r, v);
    v.fill(0);
    r.fill(0);
    const read = await repository.resourceVersion(bytes("r"));
    read.fill(1);
    let reported: Uint8Array | undefined;
    expect(await repository.updateResourceVersion(bytes("r"), undefined, encodeOffset(4), { onConflict: (c) => (reported = c.storedVersion) })).toBe(false);
    reported!.fill(2);
    expect(await repository.resourceVersion(bytes("r"))).toEqual(encodeOffset(3));
  });
});

/** A subclass with a variant of the conditional write that takes one more argument. */
class TaggingRepository extends MapRepository {
  readonly tags: string[] = [];
  async updateResourceVersionWithTag(resource: Resource, current: Version | undefined, next: Version | undefined, tag: string, options?: { signal?: AbortSignal }): Promise<boolean> {
    const call = this.checkConditionalWrite(resource, current, next, options);
    if (typeof tag !== "string") throw new TypeError("tag");
    const ok = await this._updateResourceVersion(call.resource, call.current, call.next, call);
    if (ok) this.tags.push(tag);
    return ok;
  }
}

describe("ResourceRepositoryBase.checkConditionalWrite: a variant checks only what it adds", () => {
  it("E1/E2: the variant refuses bad arguments and options like updateResourceVersion, before its hook", async () => {
    const repository = new TaggingRepository();
    await expectRefusedBeforeHooks(repository, [
      [repository.updateResourceVersionWithTag(new Uint8Array(), undefined, undefined, "t"), "ERR_INVALID_RESOURCE", "resource"],
      [repository.updateResourceVersionWithTag(bytes("r"), "c" as never, undefined, "t"), "ERR_INVALID_VERSION", "current"],
      [repository.updateResourceVersionWithTag(bytes("r"), undefined, 3 as never, "t"), "ERR_INVALID_VERSION", "next"],
      [repository.updateResourceVersionWithTag(bytes("r"), undefined, undefined, "t", { sigal: undefined } as never), "ERR_INVALID_ARGUMENT", "options.sigal"],
    ]);
  });

  it("R7: what it returns is the subclass's own copy", async () => {
    const repository = new TaggingRepository();
    const r = bytes("r");
    const n = encodeOffset(0);
    expect(await repository.updateResourceVersionWithTag(r, undefined, n, "first")).toBe(true);
    r.fill(0);
    n.fill(9);
    expect(await repository.resourceVersion(bytes("r"))).toEqual(encodeOffset(0));
    expect(repository.tags).toEqual(["first"]);
  });
});

function createCompactScopeLike() {
  return { now: () => new Date(0), log: () => {} };
}
