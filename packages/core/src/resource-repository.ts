import type { ConditionalWriteOptions, OperationOptions } from "./operation-options.js";
import type { Resource, Version, VersionInput } from "./resource.js";

/**
 * The low-level optimistic-concurrency store: one version per resource. Projections use it
 * internally; higher-order projections and engines may use it directly. Every adapter implements it
 * and the conformance kit checks it (clauses R1–R6).
 *
 * Absent and empty versions are the same thing in arguments and in results. Every method rejects
 * malformed arguments with a typed error before any I/O, and honours `options.signal`.
 *
 * @example
 * ```ts
 * const repository: ResourceRepository = new MemoryResourceRepository();
 * const r = new TextEncoder().encode("stream-1");
 * await repository.updateResourceVersion(r, undefined, encodeOffset(0)); // true: created
 * await repository.updateResourceVersion(r, undefined, encodeOffset(0)); // false: not absent
 * await repository.resourceVersion(r); // encodeOffset(0)
 * ```
 */
export interface ResourceRepository {
  /**
   * Reads the stored version of `resource` (R1), strongly consistent by default.
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal.
   * @returns the stored version, or the empty version if there is none.
   */
  resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version>;

  /**
   * Sets the version of `resource` unconditionally (R2). Storing the empty version deletes the
   * resource. Bypasses optimistic concurrency: meant for tooling and migrations.
   *
   * @param resource - a non-empty resource.
   * @param version - the version to store; empty deletes.
   * @param options - an abort signal.
   */
  storeResourceVersion(resource: Resource, version: VersionInput, options?: OperationOptions): Promise<void>;

  /**
   * Sets the version of `resource` to `next` if, and only if, its stored version is `current` (R3).
   * An empty `current` means "the resource must be absent" (R5); an empty `next` deletes it. Of
   * several concurrent calls with the same `current`, at most one resolves `true` (R6).
   *
   * @param resource - a non-empty resource.
   * @param current - the version the caller believes is stored.
   * @param next - the version to store.
   * @param options - an abort signal, and `onConflict` to learn the stored version on a conflict.
   * @returns `true` if the version was `current` and is now `next`; `false` (not an error) if the
   *   stored version was not `current`, in which case nothing changed.
   */
  updateResourceVersion(
    resource: Resource,
    current: VersionInput,
    next: VersionInput,
    options?: ConditionalWriteOptions,
  ): Promise<boolean>;

  /**
   * Removes everything stored about `resource`; idempotent (R4). Afterwards the resource is as if
   * never written.
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal.
   */
  deleteResource(resource: Resource, options?: OperationOptions): Promise<void>;
}
