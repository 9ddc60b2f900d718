import { createEventScope, type VersionConflict } from "@projectionkit/core";
import { expect } from "vitest";
import type { ProjectionConformanceOptions } from "./backends.js";
import { showBytes } from "./byte-domain.js";
import { longestResources, nearVersions, tellApartResources, versionsOfEveryLength } from "./domain-examples.js";
import { projectionExampleTest } from "./example-harness.js";
import { exampleResource } from "./neighbours.js";
import { scribble } from "./ownership.js";
import { probeEvent } from "./probe.js";
import { forEachCall } from "./support.js";

const EMPTY = new Uint8Array(0);
const scope = createEventScope();

/**
 * Registers the example tests of the whole domain (K9) and of ownership (R7, K10) for the
 * ProjectionMessageHandler contract: events on resources of arbitrary bytes that differ in one
 * byte, in letter case, by trailing zero bytes or as a prefix, up to the declared maximum length;
 * versions of every length compared byte for byte; arrays changed by the caller after each call.
 *
 * @param options - the suite's options.
 *
 * @example
 * ```ts
 * describe("memory", () => registerProjectionDomainExamples(options));
 * ```
 */
export function registerProjectionDomainExamples(options: ProjectionConformanceOptions): void {
  const test = projectionExampleTest(options);

  test("H2/R7/K9: events on resources that differ only in letter case, in one byte, by trailing zero bytes or as a prefix stay apart", async ({ backend, overlapping }) => {
    const resources = tellApartResources().map((entry, i) => ({ ...entry, list: `apart-${i}`, version: Uint8Array.of(0x10 + i, 0x00), odd: i % 2 === 1 }));
    await forEachCall(overlapping, resources, async ({ resource, note, list, version }) => {
      expect(await backend.handler.handleEvent(resource, EMPTY, version, scope, probeEvent(list, "first")), `the first event of ${showBytes(resource)} (${note})`).toBe(true);
    });
    await forEachCall(overlapping, resources.filter(({ odd }) => odd), async ({ resource, list, version }) => {
      expect(await backend.handler.handleEvent(resource, version, Uint8Array.of(0xa0), scope, probeEvent(list, "second"))).toBe(true);
      await backend.handler.closeResource(resource);
    });
    await forEachCall(overlapping, resources, async ({ resource, note, list, version, odd }) => {
      const context = `${showBytes(resource)} (${note}) after a second event and a close on every other resource`;
      expect(await backend.handler.resourceVersion(resource), context).toEqual(odd ? EMPTY : version);
      expect(await backend.readList(list), context).toEqual(odd ? ["first", "second"] : ["first"]);
    });
  });

  test("H2/R7/K9: events on resources of the declared maximum length that differ only in their last byte, or in its letter case, or by it, stay apart", async ({ backend, limits, overlapping }) => {
    const resources = longestResources(limits);
    await forEachCall(overlapping, resources, async (resource, i) => {
      expect(await backend.handler.handleEvent(resource, EMPTY, Uint8Array.of(i + 1), scope, probeEvent(`longest-${i}`, "first")), `the first event of ${showBytes(resource)}`).toBe(true);
    });
    const prefix = resources.at(-1) ?? EMPTY;
    await backend.handler.closeResource(prefix);
    await forEachCall(overlapping, resources, async (resource, i) => {
      const expected = resource === prefix ? EMPTY : Uint8Array.of(i + 1);
      expect(await backend.handler.resourceVersion(resource), `${showBytes(resource)} after closing ${showBytes(prefix)}`).toEqual(expected);
      expect(await backend.readList(`longest-${i}`)).toEqual(["first"]);
    });
  });

  test("H2/K9: versions of every length, with zero bytes anywhere, are committed as they are and compared byte for byte", async ({ backend, limits, overlapping }) => {
    const r = exampleResource();
    const list = "list-1";
    const ids: string[] = [];
    let stored: Uint8Array = EMPTY;
    for (const [i, version] of versionsOfEveryLength(limits).entries()) {
      expect(await backend.handler.handleEvent(r, stored, version, scope, probeEvent(list, `e${i}`)), `from ${showBytes(stored)} to ${showBytes(version)}`).toBe(true);
      ids.push(`e${i}`);
      stored = version;
      expect(await backend.handler.resourceVersion(r), `the committed ${version.length}-byte version ${showBytes(version)}`).toEqual(version);
      await forEachCall(overlapping, nearVersions(version, limits), async (almost) => {
        const applied = await backend.handler.handleEvent(r, almost, Uint8Array.of(0xee), scope, probeEvent(list, `near-${i}`));
        expect(applied, `current ${showBytes(almost)} with ${showBytes(version)} stored`).toBe(false);
      });
      expect(await backend.readList(list)).toEqual(ids);
    }
  });

  test("R7/K10: changing an array passed to handleEvent, or one returned by resourceVersion or reported to onConflict, never changes what is stored", async ({ backend, unwrapped: handler }) => {
    const read = async (): Promise<Uint8Array> => handler.resourceVersion(exampleResource());
    const applied = [exampleResource(), EMPTY, Uint8Array.of(1, 2, 3)] as const;
    expect(await handler.handleEvent(...applied, scope, probeEvent("list-1", "e0"))).toBe(true);
    applied.forEach(scribble);
    expect(await read(), "after changing the resource and the next version passed to handleEvent").toEqual(Uint8Array.of(1, 2, 3));

    scribble(await handler.resourceVersion(exampleResource()));
    expect(await read(), "after changing the array resourceVersion returned").toEqual(Uint8Array.of(1, 2, 3));

    const conflicts: VersionConflict[] = [];
    const rejected = [exampleResource(), Uint8Array.of(9), Uint8Array.of(6)] as const;
    expect(await handler.handleEvent(...rejected, scope, probeEvent("list-1", "stale"), { onConflict: (conflict) => conflicts.push(conflict) })).toBe(false);
    rejected.forEach(scribble);
    for (const conflict of conflicts) {
      [conflict.resource, conflict.expectedVersion, conflict.storedVersion].forEach(scribble);
    }
    expect(await read(), "after changing the arrays of a rejected event and of the conflict it reported").toEqual(Uint8Array.of(1, 2, 3));

    const next = [exampleResource(), Uint8Array.of(1, 2, 3), Uint8Array.of(4)] as const;
    expect(await handler.handleEvent(...next, scope, probeEvent("list-1", "e1"))).toBe(true);
    next.forEach(scribble);
    expect(await read(), "after changing the resource, current and next versions passed to handleEvent").toEqual(Uint8Array.of(4));
    expect(await backend.readList("list-1")).toEqual(["e0", "e1"]);
  });
}
