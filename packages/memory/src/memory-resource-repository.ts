import {
  requireConditionalWriteOptions,
  requireOperationOptions,
  requireResource,
  requireVersion,
  type ConditionalWriteOptions,
  type OperationOptions,
  type Resource,
  type ResourceRepository,
  type Version,
  type VersionInput,
} from "@projectionkit/core";
import { VersionMap } from "./version-map.js";

/**
 * A {@link ResourceRepository} in memory (clauses R1–R6): the reference implementation of the
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
export class MemoryResourceRepository implements ResourceRepository {
  readonly #versions = new VersionMap();

  /** The number of resources that have a version; handy in tests. */
  get size(): number {
    return this.#versions.size;
  }

  /**
   * Reads the stored version of `resource` (R1).
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal.
   * @returns the stored version, or the empty version.
   *
   * @example
   * ```ts
   * (await repository.resourceVersion(r)).length; // 0 for a new resource
   * ```
   */
  async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
    requireResource(resource);
    requireOperationOptions(options);
    return this.#versions.get(resource);
  }

  /**
   * Sets the version of `resource` unconditionally; the empty version deletes it (R2).
   *
   * @param resource - a non-empty resource.
   * @param version - the version; empty deletes.
   * @param options - an abort signal.
   *
   * @example
   * ```ts
   * await repository.storeResourceVersion(r, encodeOffset(9));
   * ```
   */
  async storeResourceVersion(resource: Resource, version: VersionInput, options?: OperationOptions): Promise<void> {
    requireResource(resource);
    const value = requireVersion(version);
    requireOperationOptions(options);
    this.#versions.set(resource, value);
  }

  /**
   * Sets the version of `resource` to `next` if it is `current` (R3, R5, R6).
   *
   * @param resource - a non-empty resource.
   * @param current - the expected version; empty means "absent".
   * @param next - the new version; empty deletes.
   * @param options - an abort signal, and `onConflict`, which always receives the stored version.
   * @returns whether the version was `current` and is now `next`.
   *
   * @example
   * ```ts
   * await repository.updateResourceVersion(r, encodeOffset(0), encodeOffset(1)); // true if at 0
   * ```
   */
  async updateResourceVersion(
    resource: Resource,
    current: VersionInput,
    next: VersionInput,
    options?: ConditionalWriteOptions,
  ): Promise<boolean> {
    requireResource(resource);
    const expected = requireVersion(current, "current");
    const replacement = requireVersion(next, "next");
    const { onConflict } = requireConditionalWriteOptions(options);
    if (!this.#versions.matches(resource, expected)) {
      onConflict?.({ resource, expectedVersion: expected, storedVersion: this.#versions.get(resource) });
      return false;
    }
    this.#versions.set(resource, replacement);
    return true;
  }

  /**
   * Removes the version of `resource`; idempotent (R4).
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal.
   *
   * @example
   * ```ts
   * await repository.deleteResource(r);
   * ```
   */
  async deleteResource(resource: Resource, options?: OperationOptions): Promise<void> {
    requireResource(resource);
    requireOperationOptions(options);
    this.#versions.set(resource, new Uint8Array(0));
  }
}
