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
import { BrokenVersionStore } from "./broken-version-store.js";
import type { Mutation } from "./catalogue.js";
import { SerialLock } from "./serial-lock.js";

/**
 * A resource repository with the given mutation of its version store.
 *
 * @example
 * ```ts
 * const repository = brokenRepository("read-then-write");
 * ```
 */
export function brokenRepository(mutation: Mutation): ResourceRepository {
  const store = new BrokenVersionStore(mutation);
  const lock = new SerialLock();
  const update = async (resource: Resource, current: Version, next: Version, options: ConditionalWriteOptions): Promise<boolean> => {
    if (!store.matches(resource, current)) {
      options.onConflict?.({ resource, expectedVersion: current, storedVersion: store.conflictVersion(resource, current) });
      return false;
    }
    if (mutation === "read-then-write") {
      await new Promise((resolve) => setImmediate(resolve));
    }
    store.write(resource, next);
    return true;
  };
  return {
    async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
      requireResource(resource);
      requireOperationOptions(options);
      return store.read(resource);
    },
    async storeResourceVersion(resource: Resource, version: VersionInput, options?: OperationOptions): Promise<void> {
      requireResource(resource);
      const next = requireVersion(version);
      requireOperationOptions(options);
      store.write(resource, next);
    },
    async updateResourceVersion(resource: Resource, current: VersionInput, next: VersionInput, options?: ConditionalWriteOptions): Promise<boolean> {
      requireResource(resource);
      const c = requireVersion(current, "current");
      const n = requireVersion(next, "next");
      const checked = requireConditionalWriteOptions(options);
      return mutation === "read-then-write" ? update(resource, c, n, checked) : lock.run(() => update(resource, c, n, checked));
    },
    async deleteResource(resource: Resource, options?: OperationOptions): Promise<void> {
      requireResource(resource);
      requireOperationOptions(options);
      store.delete(resource);
    },
  };
}
