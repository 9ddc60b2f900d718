import {
  describeProjectionConformance,
  describeResourceRepositoryConformance,
  PROBE_EVENT_TYPE,
  type BackendContext,
  type FaultKind,
  type ProbeEvent,
  type ProjectionBackend,
} from "@projectionkit/conformance";
import { memoryProjection, MemoryResourceRepository } from "@projectionkit/memory";
import { describe, expect, it } from "vitest";

/** What the probe's failing user item throws (the memory store's form of a failed condition). */
class ProbeItemFailedError extends Error {
  override readonly name = "ProbeItemFailedError";
}

/** The probe projection's state: each list's ids, in order. */
interface ProbeState {
  readonly lists: Record<string, string[]>;
}

/** The error the memory backend's hooks throw for an injected fault. */
class InjectedFaultError extends Error {
  readonly kind: FaultKind;
  constructor(kind: FaultKind) {
    super(`injected fault: ${kind}`);
    this.kind = kind;
  }
}

/**
 * The memory adapter as a kit backend: the probe projection is a plain `memoryProjection`, its
 * effects are read from `projection.state`, and faults come from the commit hooks.
 */
function memoryProbeBackend({ pause }: BackendContext): ProjectionBackend {
  const pending: FaultKind[] = [];
  const take = (kinds: readonly FaultKind[]): FaultKind | undefined => {
    const next = pending[0];
    if (next !== undefined && kinds.includes(next)) {
      pending.shift();
      return next;
    }
    return undefined;
  };
  const projection = memoryProjection<ProbeState, ProbeEvent>(
    {
      configure(configurer) {
        configurer.identity("conformance-probe", "5d1c0a2e-8a4f-4b36-9f51-2f3c1d7e9a10");
        configurer.handlesEvents(PROBE_EVENT_TYPE);
      },
      initialState: { lists: {} },
      async handleEvent(state, _scope, event) {
        await pause();
        if (event.failUserItem === true) {
          throw new ProbeItemFailedError(`the probe's own write for ${event.id} failed its condition`);
        }
        (state.lists[event.list] ??= []).push(event.id);
      },
    },
    {
      hooks: {
        beforeCommit: () => {
          const kind = take(["before-commit"]);
          if (kind !== undefined) {
            throw new InjectedFaultError(kind);
          }
        },
        afterCommit: () => {
          const kind = take(["lost-response"]);
          if (kind !== undefined) {
            throw new InjectedFaultError(kind);
          }
        },
      },
    },
  );
  return {
    handler: projection,
    readList: async (list) => projection.state.lists[list] ?? [],
    isUserItemFailure: (error) => error instanceof ProbeItemFailedError,
    faults: {
      inject: (kind, times = 1) => pending.push(...Array.from({ length: times }, () => kind)),
      reset: () => pending.splice(0),
    },
  };
}

// Room for deep runs (CONFORMANCE_RUNS=1000) on a busy machine; the default runs take a second.
const timeout = 120_000;

// The memory store takes resources and versions of any length, so neither declares a maximum
// (maxResourceBytes, maxVersionBytes): the kit goes up to its own cap.
describeResourceRepositoryConformance({
  name: "MemoryResourceRepository",
  create: () => ({ repository: new MemoryResourceRepository() }),
  capabilities: { concurrentCalls: true, reportsStoredVersion: true },
  timeout,
});

describeProjectionConformance({
  name: "memoryProjection",
  create: memoryProbeBackend,
  // The memory store has no capacity to exceed, so it cannot be throttled.
  capabilities: { concurrentCalls: true, reportsStoredVersion: true, batches: true, faults: ["before-commit", "lost-response"] },
  timeout,
});

describe("memory commit hooks", () => {
  it("K4: beforeCommit that throws commits nothing; afterCommit that throws keeps the commit", async () => {
    const backend = memoryProbeBackend({ pause: () => Promise.resolve() });
    const r = new TextEncoder().encode("a");
    const scope = { recordedAt: new Date(), isPrimaryDelivery: true, log: () => {} };
    backend.faults?.inject("before-commit");
    await expect(backend.handler.handleEvent(r, undefined, new Uint8Array([1]), scope, { type: PROBE_EVENT_TYPE, list: "a", id: "e1" })).rejects.toThrow(InjectedFaultError);
    expect(await backend.readList("a")).toEqual([]);
    backend.faults?.inject("lost-response");
    await expect(backend.handler.handleEvent(r, undefined, new Uint8Array([1]), scope, { type: PROBE_EVENT_TYPE, list: "a", id: "e1" })).rejects.toThrow(InjectedFaultError);
    expect(await backend.readList("a")).toEqual(["e1"]);
  });

  it("E1: hooks of the wrong kind are typed errors", () => {
    expect(() => memoryProjection({ configure: (c) => { c.identity("x", "5d1c0a2e-8a4f-4b36-9f51-2f3c1d7e9a10"); c.handlesEvents("E"); }, initialState: {}, handleEvent: () => {} }, { hooks: { afterCommit: 1 } as never })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.hooks.afterCommit" }),
    );
  });
});
