import { encodeOffset, isProjectionKitError, type VersionConflict } from "@projectionkit/core";
import { expect, it } from "vitest";
import type { RepositoryConformanceOptions } from "./backends.js";
import { concatBytes } from "./byte-domain.js";
import { repositoryExampleTest, type RepositoryExample } from "./example-harness.js";
import { exampleResource } from "./neighbours.js";
import { settle } from "./support.js";

const EMPTY = new Uint8Array(0);
const v1 = encodeOffset(1);
const v2 = encodeOffset(2);
const v3 = encodeOffset(3);

/**
 * Registers the readable example tests of the ResourceRepository contract, one or more per clause
 * (R1–R6, H7, E1), each named by its clause id. Each one runs on resources of arbitrary bytes
 * next to resources that differ from them in one byte, in letter case, by a trailing zero byte or
 * as a prefix, and checks afterwards that those were left alone; and every call checks that the
 * backend does not keep or hand out the kit's arrays (R7, K10).
 *
 * @param options - the suite's options.
 *
 * @example
 * ```ts
 * describe("memory", () => registerRepositoryExamples(options));
 * ```
 */
export function registerRepositoryExamples(options: RepositoryConformanceOptions): void {
  const example = repositoryExampleTest(options);
  const test = (title: string, body: (repository: RepositoryExample["repository"]) => Promise<void>): void => example(title, ({ repository }) => body(repository));
  const r = exampleResource();
  const other = concatBytes([0xff, 0x00], new TextEncoder().encode("other"));

  test("R1: a resource never written has the empty version", async (repository) => {
    expect(await repository.resourceVersion(r)).toEqual(EMPTY);
  });

  test("R1: a version is read back right after it is written (strongly consistent)", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    expect(await repository.resourceVersion(r)).toEqual(v1);
    expect(await repository.updateResourceVersion(r, v1, v2)).toBe(true);
    expect(await repository.resourceVersion(r)).toEqual(v2);
  });

  test("R1: resources are independent of each other", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    expect(await repository.resourceVersion(other)).toEqual(EMPTY);
    await repository.storeResourceVersion(other, v3);
    expect(await repository.resourceVersion(r)).toEqual(v1);
  });

  test("R2: storing sets the version unconditionally, over any stored version", async (repository) => {
    await repository.storeResourceVersion(r, v2);
    await repository.storeResourceVersion(r, v1);
    expect(await repository.resourceVersion(r)).toEqual(v1);
  });

  test("R2: storing the empty version deletes, so the resource can be created again (no poisoned resource)", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    await repository.storeResourceVersion(r, EMPTY);
    expect(await repository.resourceVersion(r)).toEqual(EMPTY);
    expect(await repository.updateResourceVersion(r, EMPTY, v2)).toBe(true);
    expect(await repository.resourceVersion(r)).toEqual(v2);
  });

  test("R2: an undefined version is the empty version", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    await repository.storeResourceVersion(r, undefined);
    expect(await repository.updateResourceVersion(r, undefined, v1)).toBe(true);
  });

  test("R3: a matching current version is replaced by the next one", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    expect(await repository.updateResourceVersion(r, v1, v2)).toBe(true);
    expect(await repository.resourceVersion(r)).toEqual(v2);
  });

  test("R3: a current version that does not match changes nothing and resolves false, not an error", async (repository) => {
    await repository.storeResourceVersion(r, v2);
    expect(await repository.updateResourceVersion(r, v1, v3)).toBe(false);
    expect(await repository.updateResourceVersion(r, v3, v1)).toBe(false);
    expect(await repository.resourceVersion(r)).toEqual(v2);
  });

  test("R3: a version that is a prefix of the stored one does not match", async (repository) => {
    await repository.storeResourceVersion(r, new Uint8Array([1, 2, 3]));
    expect(await repository.updateResourceVersion(r, new Uint8Array([1, 2]), v1)).toBe(false);
    expect(await repository.updateResourceVersion(r, new Uint8Array([1, 2, 3, 0]), v1)).toBe(false);
    expect(await repository.resourceVersion(r)).toEqual(new Uint8Array([1, 2, 3]));
  });

  test("R3: updating to the empty version deletes the resource", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    expect(await repository.updateResourceVersion(r, v1, EMPTY)).toBe(true);
    expect(await repository.resourceVersion(r)).toEqual(EMPTY);
    expect(await repository.updateResourceVersion(r, EMPTY, v3)).toBe(true);
    expect(await repository.resourceVersion(r)).toEqual(v3);
  });

  test("R4: deleting removes the version, and the resource is as if never written", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    await repository.deleteResource(r);
    expect(await repository.resourceVersion(r)).toEqual(EMPTY);
    expect(await repository.updateResourceVersion(r, v1, v2)).toBe(false);
    expect(await repository.updateResourceVersion(r, EMPTY, v2)).toBe(true);
  });

  test("R4: deleting is idempotent and leaves other resources alone", async (repository) => {
    await repository.storeResourceVersion(other, v1);
    await repository.deleteResource(r);
    await repository.deleteResource(r);
    expect(await repository.resourceVersion(other)).toEqual(v1);
  });

  test("R5: an empty current version means the resource must be absent", async (repository) => {
    expect(await repository.updateResourceVersion(r, EMPTY, v1)).toBe(true);
    expect(await repository.updateResourceVersion(r, EMPTY, v2)).toBe(false);
    expect(await repository.resourceVersion(r)).toEqual(v1);
  });

  test("R5: empty to empty succeeds on an absent resource and writes nothing", async (repository) => {
    expect(await repository.updateResourceVersion(r, EMPTY, EMPTY)).toBe(true);
    expect(await repository.resourceVersion(r)).toEqual(EMPTY);
    expect(await repository.updateResourceVersion(r, EMPTY, v1)).toBe(true);
  });

  test("R5: empty to empty fails on a present resource and changes nothing", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    expect(await repository.updateResourceVersion(r, EMPTY, EMPTY)).toBe(false);
    expect(await repository.resourceVersion(r)).toEqual(v1);
  });

  if (options.capabilities.concurrentCalls) {
    test("R6: of 20 concurrent updates with the same current version exactly one wins, and its version is stored", async (repository) => {
      await repository.storeResourceVersion(r, v1);
      const nexts = Array.from({ length: 20 }, (_, i) => encodeOffset(100 + i));
      const results = await Promise.all(nexts.map((n) => repository.updateResourceVersion(r, v1, n)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await repository.resourceVersion(r)).toEqual(nexts[results.indexOf(true)]);
    });

    test("R6: of 20 concurrent creations (current version empty) exactly one wins", async (repository) => {
      const nexts = Array.from({ length: 20 }, (_, i) => encodeOffset(200 + i));
      const results = await Promise.all(nexts.map((n) => repository.updateResourceVersion(r, EMPTY, n)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await repository.resourceVersion(r)).toEqual(nexts[results.indexOf(true)]);
    });
  } else {
    it.skip("R6: concurrent updates (skipped: the backend declares concurrentCalls: false)", () => {});
  }

  if (options.capabilities.reportsStoredVersion) {
    test("H7: a conflict reports the stored version; a success reports nothing", async (repository) => {
      const conflicts: VersionConflict[] = [];
      const onConflict = (conflict: VersionConflict): void => {
        conflicts.push(conflict);
      };
      await repository.storeResourceVersion(r, v2);
      expect(await repository.updateResourceVersion(r, v1, v3, { onConflict })).toBe(false);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]?.resource).toEqual(r);
      expect(conflicts[0]?.expectedVersion).toEqual(v1);
      expect(conflicts[0]?.storedVersion).toEqual(v2);
      expect(await repository.updateResourceVersion(r, v2, v3, { onConflict })).toBe(true);
      expect(await repository.updateResourceVersion(other, v1, v3, { onConflict })).toBe(false);
      expect(conflicts).toHaveLength(2);
      expect(conflicts[1]?.storedVersion).toEqual(EMPTY);
    });
  } else {
    it.skip("H7: stored version on conflict (skipped: the backend declares reportsStoredVersion: false)", () => {});
  }

  test("E1: a resource that is not a non-empty Uint8Array is a typed error, and nothing is written", async (repository) => {
    for (const bad of [undefined, "resource-1", new Uint8Array(0), [1, 2]]) {
      for (const call of [
        (): Promise<unknown> => repository.resourceVersion(bad as Uint8Array),
        () => repository.storeResourceVersion(bad as Uint8Array, v1),
        () => repository.updateResourceVersion(bad as Uint8Array, EMPTY, v1),
        () => repository.deleteResource(bad as Uint8Array),
      ]) {
        const outcome = await settle(Promise.resolve().then(call));
        expect(outcome.ok).toBe(false);
        expect(isProjectionKitError(outcome.ok ? undefined : outcome.error, "ERR_INVALID_RESOURCE")).toBe(true);
      }
    }
  });

  test("E1: a version that is not a Uint8Array is a typed error, and nothing is written", async (repository) => {
    await repository.storeResourceVersion(r, v1);
    for (const call of [
      (): Promise<unknown> => repository.storeResourceVersion(r, "v2" as unknown as Uint8Array),
      () => repository.updateResourceVersion(r, v1, [2] as unknown as Uint8Array),
      () => repository.updateResourceVersion(r, 1 as unknown as Uint8Array, v2),
    ]) {
      const outcome = await settle(Promise.resolve().then(call));
      expect(isProjectionKitError(outcome.ok ? undefined : outcome.error, "ERR_INVALID_VERSION")).toBe(true);
    }
    expect(await repository.resourceVersion(r)).toEqual(v1);
  });

  test("E1: an aborted signal rejects with its reason before anything is written", async (repository) => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    const { signal } = controller;
    await expect(repository.storeResourceVersion(r, v1, { signal })).rejects.toBe(reason);
    await expect(repository.updateResourceVersion(r, EMPTY, v1, { signal })).rejects.toBe(reason);
    await expect(repository.resourceVersion(r, { signal })).rejects.toBe(reason);
    expect(await repository.resourceVersion(r)).toEqual(EMPTY);
  });
}
