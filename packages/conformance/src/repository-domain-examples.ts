import { type VersionConflict } from "@projectionkit/core";
import { expect } from "vitest";
import type { RepositoryConformanceOptions } from "./backends.js";
import { showBytes } from "./byte-domain.js";
import { longestResources, nearVersions, tellApartResources, versionsOfEveryLength } from "./domain-examples.js";
import { repositoryExampleTest } from "./example-harness.js";
import { exampleResource } from "./neighbours.js";
import { scribble } from "./ownership.js";
import { forEachCall } from "./support.js";

const EMPTY = new Uint8Array(0);

/**
 * Registers the example tests of the whole domain (K9) and of ownership (R7, K10) for the
 * ResourceRepository contract: resources of arbitrary bytes that differ in one byte, in letter
 * case, by trailing zero bytes or as a prefix, up to the declared maximum length; versions of
 * every length compared byte for byte; arrays changed by the caller after each call.
 *
 * @param options - the suite's options.
 *
 * @example
 * ```ts
 * describe("memory", () => registerRepositoryDomainExamples(options));
 * ```
 */
export function registerRepositoryDomainExamples(options: RepositoryConformanceOptions): void {
  const test = repositoryExampleTest(options);

  test("R7/K9: resources that differ only in letter case, in one byte, by trailing zero bytes or as a prefix are different resources", async ({ repository, overlapping }) => {
    const resources = tellApartResources();
    const odd = resources.filter((_, i) => i % 2 === 1);
    const versionOf = (i: number): Uint8Array => Uint8Array.of(0x10 + i, 0x00);
    await forEachCall(overlapping, resources, ({ resource }, i) => repository.storeResourceVersion(resource, versionOf(i)));
    const expectAll = (after: string, expected: (i: number) => Uint8Array): Promise<void> =>
      forEachCall(overlapping, resources, async ({ resource, note }, i) => {
        expect(await repository.resourceVersion(resource), `${showBytes(resource)} (${note}) after ${after}`).toEqual(expected(i));
      });
    await expectAll("storing each", versionOf);
    await forEachCall(overlapping, odd, async ({ resource }, j) => {
      expect(await repository.updateResourceVersion(resource, versionOf(2 * j + 1), Uint8Array.of(0xa0 + j))).toBe(true);
    });
    await expectAll("updating every other one", (i) => (i % 2 === 1 ? Uint8Array.of(0xa0 + (i - 1) / 2) : versionOf(i)));
    await forEachCall(overlapping, odd, ({ resource }) => repository.deleteResource(resource));
    await expectAll("deleting every other one", (i) => (i % 2 === 1 ? EMPTY : versionOf(i)));
  });

  test("R7/K9: resources of the declared maximum length that differ only in their last byte, or in its letter case, or by it, are different resources", async ({ repository, limits, overlapping }) => {
    const resources = longestResources(limits);
    await forEachCall(overlapping, resources, async (resource, i) => {
      expect(await repository.updateResourceVersion(resource, EMPTY, Uint8Array.of(i + 1)), `creating ${showBytes(resource)}`).toBe(true);
    });
    await forEachCall(overlapping, resources, async (resource, i) => {
      expect(await repository.resourceVersion(resource), showBytes(resource)).toEqual(Uint8Array.of(i + 1));
    });
    const prefix = resources.at(-1) ?? EMPTY;
    await repository.deleteResource(prefix);
    await forEachCall(overlapping, resources, async (resource, i) => {
      const expected = resource === prefix ? EMPTY : Uint8Array.of(i + 1);
      expect(await repository.resourceVersion(resource), `${showBytes(resource)} after deleting ${showBytes(prefix)}`).toEqual(expected);
    });
  });

  test("R3/K9: versions of every length, with zero bytes anywhere, are stored as they are and compared byte for byte", async ({ repository, limits, overlapping }) => {
    const r = exampleResource();
    for (const version of versionsOfEveryLength(limits)) {
      await repository.storeResourceVersion(r, version);
      expect(await repository.resourceVersion(r), `the stored ${version.length}-byte version ${showBytes(version)}`).toEqual(version);
      await forEachCall(overlapping, nearVersions(version, limits), async (almost) => {
        expect(await repository.updateResourceVersion(r, almost, Uint8Array.of(0xee)), `current ${showBytes(almost)} with ${showBytes(version)} stored`).toBe(false);
      });
      expect(await repository.resourceVersion(r)).toEqual(version);
      expect(await repository.updateResourceVersion(r, version, Uint8Array.of(0xee)), `current ${showBytes(version)}, the stored version`).toBe(true);
    }
  });

  test("R7/K10: changing an array after passing it in, or one that a call returned, never changes what is stored", async ({ unwrapped: repository }) => {
    const read = async (): Promise<Uint8Array> => repository.resourceVersion(exampleResource());
    const resource = exampleResource();
    const version = Uint8Array.of(1, 2, 3);
    await repository.storeResourceVersion(resource, version);
    scribble(resource);
    scribble(version);
    expect(await read(), "after changing the resource and version passed to storeResourceVersion").toEqual(Uint8Array.of(1, 2, 3));

    scribble(await repository.resourceVersion(exampleResource()));
    expect(await read(), "after changing the array resourceVersion returned").toEqual(Uint8Array.of(1, 2, 3));

    const arrays = [exampleResource(), Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)] as const;
    expect(await repository.updateResourceVersion(...arrays)).toBe(true);
    arrays.forEach(scribble);
    expect(await read(), "after changing the resource, current and next versions passed to updateResourceVersion").toEqual(Uint8Array.of(4, 5));

    const conflicts: VersionConflict[] = [];
    const rejected = [exampleResource(), Uint8Array.of(9), Uint8Array.of(6)] as const;
    expect(await repository.updateResourceVersion(...rejected, { onConflict: (conflict) => conflicts.push(conflict) })).toBe(false);
    rejected.forEach(scribble);
    for (const conflict of conflicts) {
      [conflict.resource, conflict.expectedVersion, conflict.storedVersion].forEach(scribble);
    }
    expect(await read(), "after changing the arrays of a rejected update and of the conflict it reported").toEqual(Uint8Array.of(4, 5));
  });
}
