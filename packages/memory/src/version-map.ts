import { EMPTY_VERSION, versionsEqual, type Resource, type Version } from "@projectionkit/core";

/** Up to this length, building the key by hand is cheaper than going through a Buffer. */
const SHORT_RESOURCE = 64;

/**
 * A synchronous map from resource to version: the storage of the memory adapter. Absent and empty
 * are the same: storing the empty version deletes the entry. The arrays it stores and returns are
 * the ones it was given: the validating bases of core copy what callers pass in and get back (R7).
 *
 * Operations take the resource's key ({@link VersionMap.keyOf}), so that a call computes it once.
 *
 * @internal
 */
export class VersionMap {
  readonly #versions = new Map<string, Version>();

  /** The number of resources that have a version. */
  get size(): number {
    return this.#versions.size;
  }

  /** The key of `resource`: one string per byte sequence (a character per byte). */
  keyOf(resource: Resource): string {
    if (resource.length > SHORT_RESOURCE) {
      return Buffer.from(resource.buffer, resource.byteOffset, resource.byteLength).toString("latin1");
    }
    return String.fromCharCode.apply(null, resource as unknown as number[]);
  }

  /** Reads the version stored under `key`; the empty version if there is none. */
  get(key: string): Version {
    return this.#versions.get(key) ?? EMPTY_VERSION;
  }

  /** Tells whether the version under `key` is `expected` (absent counts as empty). */
  matches(key: string, expected: Version): boolean {
    return versionsEqual(this.#versions.get(key), expected);
  }

  /** Stores `version` under `key`; the empty version deletes it. */
  set(key: string, version: Version): void {
    if (version.length === 0) {
      this.#versions.delete(key);
    } else {
      this.#versions.set(key, version);
    }
  }
}
