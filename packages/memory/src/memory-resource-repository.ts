import { EMPTY_VERSION, ResourceRepositoryBase, type CheckedConditionalOptions, type Resource, type Version } from "@projectionkit/core";
import { VersionMap } from "./version-map.js";

/**
 * A `ResourceRepository` (from `@projectionkit/core`) in memory (clauses R1–R6): the reference implementation of the
 * version store, and a test double for code that uses one. Each operation completes in one
 * synchronous step, so concurrent calls are linearizable and at most one of several concurrent
 * `updateResourceVersion` calls with the same `current` resolves `true`.
 *
 * @example
 * ```ts
 * import { encodeOffset } from "@projectionkit/core";
 * import { MemoryResourceRepository } from "@projectionkit/memory";
 *
 * const repository = new MemoryResourceRepository();
 * const r = new TextEncoder().encode("stream-1");
 * await repository.updateResourceVersion(r, undefined, encodeOffset(0)); // true
 * await repository.updateResourceVersion(r, undefined, encodeOffset(0)); // false
 * ```
 */
export class MemoryResourceRepository extends ResourceRepositoryBase {
  readonly #versions = new VersionMap();

  /** The number of resources that have a version; handy in tests. */
  get size(): number {
    return this.#versions.size;
  }

  protected async _resourceVersion(resource: Resource): Promise<Version> {
    return this.#versions.copyOf(this.#versions.keyOf(resource));
  }

  protected async _storeResourceVersion(resource: Resource, version: Version): Promise<void> {
    this.#versions.set(this.#versions.keyOf(resource), version);
  }

  protected async _updateResourceVersion(resource: Resource, current: Version, next: Version, { onConflict }: CheckedConditionalOptions): Promise<boolean> {
    const key = this.#versions.keyOf(resource);
    if (!this.#versions.matches(key, current)) {
      onConflict?.({ resource, expectedVersion: current, storedVersion: this.#versions.get(key) });
      return false;
    }
    this.#versions.set(key, next);
    return true;
  }

  protected async _deleteResource(resource: Resource): Promise<void> {
    this.#versions.set(this.#versions.keyOf(resource), EMPTY_VERSION);
  }
}
