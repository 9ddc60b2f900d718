import { EMPTY_VERSION, versionsEqual, type Resource, type Version } from "@projectionkit/core";

/**
 * A synchronous map from resource to version: the storage of the memory adapter. Absent and empty
 * are the same: storing the empty version deletes the entry. Versions are copied in and out, so no
 * caller can change a stored version by mutating an array it holds.
 *
 * @internal
 */
export class VersionMap {
  readonly #versions = new Map<string, Version>();

  /** The number of resources that have a version. */
  get size(): number {
    return this.#versions.size;
  }

  /** Reads the version of `resource`; the empty version if there is none. */
  get(resource: Resource): Version {
    return this.#versions.get(keyOf(resource))?.slice() ?? EMPTY_VERSION;
  }

  /** Tells whether the version of `resource` is `expected` (absent counts as empty). */
  matches(resource: Resource, expected: Version): boolean {
    return versionsEqual(this.#versions.get(keyOf(resource)), expected);
  }

  /** Sets the version of `resource`; the empty version deletes it. */
  set(resource: Resource, version: Version): void {
    const key = keyOf(resource);
    if (version.length === 0) {
      this.#versions.delete(key);
    } else {
      this.#versions.set(key, version.slice());
    }
  }
}

/** Hexadecimal: obviously one string per byte sequence. */
function keyOf(resource: Resource): string {
  return Buffer.from(resource.buffer, resource.byteOffset, resource.byteLength).toString("hex");
}
