import {
  createCompactScope,
  createEventScope,
  encodeOffset,
  isProjectionKitError,
  streamEventVersions,
  validateIdentity,
  type VersionConflict,
} from "@projectionkit/core";
import { expect, it } from "vitest";
import type { ProjectionBackend, ProjectionConformanceOptions } from "./backends.js";
import { declaredConfiguration as declared } from "./declared-configuration.js";
import { projectionExampleTest } from "./example-harness.js";
import { exampleResource } from "./neighbours.js";
import { PROBE_EVENT_TYPE, probeEvent, UNEXPECTED_EVENT_TYPE, type ProbeEvent } from "./probe.js";
import { expectUserItemFailure, settle, utf8 } from "./support.js";

const EMPTY = new Uint8Array(0);
const v0 = encodeOffset(0);
const v1 = encodeOffset(1);
const v2 = encodeOffset(2);
const scope = createEventScope();

/**
 * Registers the readable example tests of the ProjectionMessageHandler contract, one or more per
 * clause (H1–H7, E1, V1, and R2/R5 as seen through a projection), each named by its clause id.
 *
 * @param options - the suite's options.
 *
 * @example
 * ```ts
 * describe("memory", () => registerProjectionExamples(options));
 * ```
 */
export function registerProjectionExamples(options: ProjectionConformanceOptions): void {
  const example = projectionExampleTest(options);
  const test = (title: string, body: (backend: ProjectionBackend) => Promise<void>): void => example(title, ({ backend }) => body(backend));
  const list = "list-1";
  const r = exampleResource();
  const event = (id: string, failUserItem = false): ProbeEvent => probeEvent(list, id, failUserItem);

  test("H1: configure declares one valid identity and the probe event type, the same on every call", async (backend) => {
    const first = declared(backend.handler);
    const second = declared(backend.handler);
    expect(first.identities).toHaveLength(1);
    const identity = first.identities[0];
    expect(() => validateIdentity(identity as { name: string; key: string })).not.toThrow();
    expect(first.eventTypes).toEqual([PROBE_EVENT_TYPE]);
    expect(second).toEqual(first);
  });

  test("H2: a matching current version commits the event's changes and the next version together", async (backend) => {
    expect(await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"))).toBe(true);
    expect(await backend.handler.handleEvent(r, v0, v1, scope, event("e1"))).toBe(true);
    expect(await backend.readList(list)).toEqual(["e0", "e1"]);
    expect(await backend.handler.resourceVersion(r)).toEqual(v1);
  });

  test("H2: a current version that does not match resolves false and changes nothing", async (backend) => {
    await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"));
    expect(await backend.handler.handleEvent(r, v1, v2, scope, event("stale"))).toBe(false);
    expect(await backend.handler.handleEvent(r, EMPTY, v2, scope, event("as-new"))).toBe(false);
    expect(await backend.readList(list)).toEqual(["e0"]);
    expect(await backend.handler.resourceVersion(r)).toEqual(v0);
  });

  test("H2: a redelivered event (its earlier delivery committed) resolves false and is not applied twice", async (backend) => {
    expect(await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"))).toBe(true);
    expect(await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"))).toBe(false);
    expect(await backend.readList(list)).toEqual(["e0"]);
  });

  test("H2/K4: a user item whose own condition fails rejects the call and writes nothing, not even the version", async (backend) => {
    await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"));
    const outcome = await settle(backend.handler.handleEvent(r, v0, v1, scope, event("e1", true)));
    expect(outcome.ok, "a failing user item must reject the call").toBe(false);
    expectUserItemFailure(backend, outcome.ok ? undefined : outcome.error, "e1 with a failing user item");
    expect(await backend.readList(list)).toEqual(["e0"]);
    expect(await backend.handler.resourceVersion(r)).toEqual(v0);
    expect(await backend.handler.handleEvent(r, v0, v1, scope, event("e1"))).toBe(true);
    expect(await backend.readList(list)).toEqual(["e0", "e1"]);
  });

  test("H3: an event of an undeclared type is an UnexpectedMessageError, and nothing is written", async (backend) => {
    const unexpected = { type: UNEXPECTED_EVENT_TYPE, list, id: "x" } as unknown as ProbeEvent;
    const outcome = await settle(Promise.resolve().then(() => backend.handler.handleEvent(r, EMPTY, v0, scope, unexpected)));
    expect(isProjectionKitError(outcome.ok ? undefined : outcome.error, "ERR_UNEXPECTED_MESSAGE")).toBe(true);
    expect(await backend.handler.resourceVersion(r)).toEqual(EMPTY);
    expect(await backend.readList(list)).toEqual([]);
  });

  test("H4: resourceVersion reads the version; closeResource removes it, keeps the projection's data, and is idempotent", async (backend) => {
    expect(await backend.handler.resourceVersion(r)).toEqual(EMPTY);
    await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"));
    expect(await backend.handler.resourceVersion(r)).toEqual(v0);
    await backend.handler.closeResource(r);
    await backend.handler.closeResource(r);
    await backend.handler.closeResource(utf8("never-written"));
    expect(await backend.handler.resourceVersion(r)).toEqual(EMPTY);
    expect(await backend.readList(list)).toEqual(["e0"]);
    expect(await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0-again"))).toBe(true);
    expect(await backend.readList(list)).toEqual(["e0", "e0-again"]);
  });

  test("H5: timeoutHint is a finite number of milliseconds (0 = no hint); compact resolves and keeps the data", async (backend) => {
    const hint = backend.handler.timeoutHint(event("e0"));
    expect(Number.isFinite(hint) && hint >= 0).toBe(true);
    await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"));
    await backend.handler.handleEvent(r, v0, v1, scope, event("e1"));
    await backend.handler.compact(createCompactScope());
    expect(await backend.readList(list)).toEqual(["e0", "e1"]);
    expect(await backend.handler.resourceVersion(r)).toEqual(v1);
  });

  if (options.capabilities.concurrentCalls) {
    test("H6: of 10 concurrent deliveries with the same (r, c) exactly one resolves true and applies once", async (backend) => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => backend.handler.handleEvent(r, EMPTY, v0, scope, event(`worker-${i}`))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await backend.readList(list)).toEqual([`worker-${results.indexOf(true)}`]);
    });

    test("H6: concurrent deliveries to different resources all apply", async (backend) => {
      const lists = Array.from({ length: 8 }, (_, i) => `list-${i}`);
      const results = await Promise.all(lists.map((name) => backend.handler.handleEvent(utf8(name), EMPTY, v0, scope, probeEvent(name, `e-${name}`))));
      expect(results).toEqual(lists.map(() => true));
      for (const name of lists) {
        expect(await backend.readList(name)).toEqual([`e-${name}`]);
      }
    });
  } else {
    it.skip("H6: concurrent deliveries (skipped: the backend declares concurrentCalls: false)", () => {});
  }

  if (options.capabilities.reportsStoredVersion) {
    test("H7: a conflict reports the stored version it was rejected with", async (backend) => {
      const conflicts: VersionConflict[] = [];
      await backend.handler.handleEvent(r, EMPTY, v1, scope, event("e0"));
      const result = await backend.handler.handleEvent(r, v0, v2, scope, event("e1"), { onConflict: (c) => conflicts.push(c) });
      expect(result).toBe(false);
      expect(conflicts.map((c) => [c.expectedVersion, c.storedVersion])).toEqual([[v0, v1]]);
    });
  } else {
    it.skip("H7: stored version on conflict (skipped: the backend declares reportsStoredVersion: false)", () => {});
  }

  test("R2/R5: an empty next version deletes the version, so the resource starts again from empty", async (backend) => {
    await backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"));
    expect(await backend.handler.handleEvent(r, v0, EMPTY, scope, event("end"))).toBe(true);
    expect(await backend.handler.resourceVersion(r)).toEqual(EMPTY);
    expect(await backend.handler.handleEvent(r, EMPTY, v0, scope, event("restart"))).toBe(true);
    expect(await backend.readList(list)).toEqual(["e0", "end", "restart"]);
  });

  test("E1: bad arguments are typed errors that name the problem, and nothing is written", async (backend) => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["ERR_INVALID_RESOURCE", () => backend.handler.handleEvent(new Uint8Array(0), EMPTY, v0, scope, event("bad"))],
      ["ERR_INVALID_RESOURCE", () => backend.handler.handleEvent("list-1" as unknown as Uint8Array, EMPTY, v0, scope, event("bad"))],
      ["ERR_INVALID_VERSION", () => backend.handler.handleEvent(r, "0" as unknown as Uint8Array, v0, scope, event("bad"))],
      ["ERR_INVALID_VERSION", () => backend.handler.handleEvent(r, EMPTY, 7 as unknown as Uint8Array, scope, event("bad"))],
      ["ERR_INVALID_ARGUMENT", () => backend.handler.handleEvent(r, EMPTY, v0, scope, event("bad"), { onConflict: 1 } as never)],
      ["ERR_INVALID_RESOURCE", () => backend.handler.resourceVersion(undefined as unknown as Uint8Array)],
      ["ERR_INVALID_RESOURCE", () => backend.handler.closeResource(new Uint8Array(0))],
    ];
    for (const [code, call] of calls) {
      const outcome = await settle(Promise.resolve().then(call));
      const error = outcome.ok ? undefined : outcome.error;
      expect(isProjectionKitError(error), `expected a typed error ${code}, got ${String(error)}`).toBe(true);
      expect((error as { code?: string }).code).toBe(code);
    }
    expect(await backend.handler.resourceVersion(r)).toEqual(EMPTY);
    expect(await backend.readList(list)).toEqual([]);
  });

  test("E1: an aborted signal rejects with its reason, and nothing is written", async (backend) => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(backend.handler.handleEvent(r, EMPTY, v0, scope, event("e0"), { signal: controller.signal })).rejects.toBe(reason);
    expect(await backend.handler.resourceVersion(r)).toEqual(EMPTY);
    expect(await backend.readList(list)).toEqual([]);
  });

  test("V1: a stream's events delivered in order with offset versions all apply; redeliveries and gaps do not", async (backend) => {
    const stream = "stream-1";
    const deliver = (offset: number): Promise<boolean> => {
      const { resource, current, next } = streamEventVersions(stream, offset);
      return backend.handler.handleEvent(resource, current, next, scope, probeEvent(stream, `o${offset}`));
    };
    expect([await deliver(0), await deliver(1), await deliver(2)]).toEqual([true, true, true]);
    expect(await deliver(1)).toBe(false);
    expect(await deliver(4)).toBe(false);
    expect(await deliver(3)).toBe(true);
    expect(await deliver(4)).toBe(true);
    expect(await backend.readList(stream)).toEqual(["o0", "o1", "o2", "o3", "o4"]);
    expect(await backend.handler.resourceVersion(utf8(stream))).toEqual(encodeOffset(4));
  });
}
