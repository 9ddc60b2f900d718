import { describe, expect, it } from "vitest";
import { encodeOffset, isProjectionKitError, type VersionConflict } from "@projectionkit/core";
import { MemoryResourceRepository } from "@projectionkit/memory";
import { rejection } from "../../../test/support/rejection.js";

const r = new TextEncoder().encode("stream-1");
const other = new TextEncoder().encode("stream-2");
const v1 = encodeOffset(1);
const v2 = encodeOffset(2);

describe("MemoryResourceRepository", () => {
  it("R1: a resource never written has the empty version; a stored one reads back", async () => {
    const repository = new MemoryResourceRepository();
    expect(await repository.resourceVersion(r)).toEqual(new Uint8Array());
    await repository.storeResourceVersion(r, v1);
    expect(await repository.resourceVersion(r)).toEqual(v1);
    expect(await repository.resourceVersion(other)).toEqual(new Uint8Array());
  });

  it("R1: the returned version is a copy; mutating it or the stored argument changes nothing", async () => {
    const repository = new MemoryResourceRepository();
    const mine = encodeOffset(5);
    await repository.storeResourceVersion(r, mine);
    mine[7] = 9;
    const read = await repository.resourceVersion(r);
    read[7] = 8;
    expect(await repository.resourceVersion(r)).toEqual(encodeOffset(5));
  });

  it("R7: resources that differ in one byte are different, short or long, whatever their bytes", async () => {
    const repository = new MemoryResourceRepository();
    const resources = [8, 64, 65, 300].flatMap((length) => {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 200) % 256);
      const changed = bytes.slice();
      changed[length - 1] = ((changed[length - 1] as number) + 128) % 256;
      return [bytes, changed];
    });
    for (const [index, resource] of resources.entries()) {
      await repository.storeResourceVersion(resource, encodeOffset(index));
    }
    for (const [index, resource] of resources.entries()) {
      expect(await repository.resourceVersion(resource.slice())).toEqual(encodeOffset(index));
    }
    expect(repository.size).toBe(resources.length);
  });

  it("R2: storeResourceVersion overwrites unconditionally; storing the empty version deletes", async () => {
    const repository = new MemoryResourceRepository();
    await repository.storeResourceVersion(r, v2);
    await repository.storeResourceVersion(r, v1);
    expect(await repository.resourceVersion(r)).toEqual(v1);
    await repository.storeResourceVersion(r, new Uint8Array());
    expect(repository.size).toBe(0);
    await repository.storeResourceVersion(r, v1);
    await repository.storeResourceVersion(r, undefined);
    expect(repository.size).toBe(0);
    // Not poisoned: creating again works (pitfall GP1, docs/specification.md).
    expect(await repository.updateResourceVersion(r, undefined, v1)).toBe(true);
  });

  // R3's matching and mismatching versions are the conformance kit's R3 examples, which the memory
  // repository runs too (conformance.test.ts); what only the store can show is that no entry is left.
  it("R3: updating to the empty version removes the entry", async () => {
    const repository = new MemoryResourceRepository();
    await repository.storeResourceVersion(r, v1);
    expect(await repository.updateResourceVersion(r, v1, undefined)).toBe(true);
    expect(repository.size).toBe(0);
  });

  it("R3/H7: a conflict reports the stored version through onConflict", async () => {
    const repository = new MemoryResourceRepository();
    await repository.storeResourceVersion(r, v2);
    const conflicts: VersionConflict[] = [];
    expect(await repository.updateResourceVersion(r, v1, v2, { onConflict: (c) => conflicts.push(c) })).toBe(false);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.storedVersion).toEqual(v2);
    expect(conflicts[0]?.expectedVersion).toEqual(v1);
    expect(await repository.updateResourceVersion(r, v2, v1, { onConflict: (c) => conflicts.push(c) })).toBe(true);
    expect(conflicts).toHaveLength(1);
  });

  it("R4: deleteResource removes the version and is idempotent", async () => {
    const repository = new MemoryResourceRepository();
    await repository.storeResourceVersion(r, v1);
    await repository.storeResourceVersion(other, v1);
    await repository.deleteResource(r);
    await repository.deleteResource(r);
    expect(await repository.resourceVersion(r)).toEqual(new Uint8Array());
    expect(await repository.resourceVersion(other)).toEqual(v1);
    expect(await repository.updateResourceVersion(r, undefined, v2)).toBe(true);
  });

  it("R5: c empty means absent; c and n both empty succeed iff absent and write nothing", async () => {
    const repository = new MemoryResourceRepository();
    expect(await repository.updateResourceVersion(r, new Uint8Array(), new Uint8Array())).toBe(true);
    expect(repository.size).toBe(0);
    expect(await repository.updateResourceVersion(r, null, v1)).toBe(true);
    expect(await repository.updateResourceVersion(r, undefined, v2)).toBe(false);
    expect(await repository.updateResourceVersion(r, undefined, undefined)).toBe(false);
    expect(await repository.resourceVersion(r)).toEqual(v1);
  });

  it("R6: of many concurrent updates with the same c, exactly one resolves true", async () => {
    const repository = new MemoryResourceRepository();
    await repository.storeResourceVersion(r, v1);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => repository.updateResourceVersion(r, v1, encodeOffset(100 + i))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await repository.resourceVersion(r)).toEqual(encodeOffset(100 + winner));
  });

  it("E1: malformed arguments reject with typed errors naming them, and nothing is written", async () => {
    const repository = new MemoryResourceRepository();
    const cases: Array<[Promise<unknown>, string, string]> = [
      [repository.resourceVersion(new Uint8Array()), "ERR_INVALID_RESOURCE", "resource"],
      [repository.storeResourceVersion("r" as never, v1), "ERR_INVALID_RESOURCE", "resource"],
      [repository.storeResourceVersion(r, "v1" as never), "ERR_INVALID_VERSION", "version"],
      [repository.updateResourceVersion(r, 1 as never, v1), "ERR_INVALID_VERSION", "current"],
      [repository.updateResourceVersion(r, undefined, [1] as never), "ERR_INVALID_VERSION", "next"],
      [repository.updateResourceVersion(r, undefined, v1, { signal: {} as never }), "ERR_INVALID_ARGUMENT", "options.signal"],
      [repository.deleteResource(undefined as never), "ERR_INVALID_RESOURCE", "resource"],
    ];
    for (const [promise, code, argument] of cases) {
      const error = await rejection(promise);
      expect(isProjectionKitError(error, code as "ERR_INVALID_RESOURCE")).toBe(true);
      expect((error as { argument: string }).argument).toBe(argument);
    }
    expect(repository.size).toBe(0);
  });

  it("an aborted signal rejects with its reason and writes nothing", async () => {
    const repository = new MemoryResourceRepository();
    const reason = new Error("cancelled");
    await expect(repository.updateResourceVersion(r, undefined, v1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(repository.storeResourceVersion(r, v1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(repository.size).toBe(0);
  });
});
