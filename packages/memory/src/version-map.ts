import { EMPTY_VERSION, ownedBytes, versionsEqual, type Resource, type Version } from "@projectionkit/core";

/** Up to this length, building the key by hand is cheaper than going through a Buffer. */
const SHORT_RESOURCE = 64;

/**
 * A synchronous map from resource to version: the storage of the memory adapter. Absent and empty
 * are the same: storing the empty version deletes the entry.
 *
 * It keeps its own copies (R7): {@link VersionMap.set} copies the version's bytes, into the array
 * it already holds for the resource when the length is the same (versions of a stream usually
 * are), so that advancing a version allocates nothing. The array {@link VersionMap.get} returns is
 * that live one: read it at once (compare it, or let core copy it synchronously, as the
 * `onConflict` wrapper does), and use {@link VersionMap.copyOf} for anything read after an
 * `await`.
 *
 * Operations take the resource's key ({@link VersionMap.keyOf}), so that a call computes it once.
 *
 * @internal
 */
export class VersionMap {
  readonly #versions = new Map<string, Uint8Array>();

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

  /** The version stored under `key`, the live array (see the class); the empty version if there is none. */
  get(key: string): Version {
    return this.#versions.get(key) ?? EMPTY_VERSION;
  }

  /** A copy of the version stored under `key` that nothing else holds; the empty version if there is none. */
  copyOf(key: string): Version {
    const stored = this.#versions.get(key);
    return stored === undefined ? EMPTY_VERSION : ownedBytes(stored);
  }

  /** Tells whether the version under `key` is `expected` (absent counts as empty). */
  matches(key: string, expected: Version): boolean {
    return versionsEqual(this.#versions.get(key), expected);
  }

  /** Stores a copy of `version` under `key`; the empty version deletes it. */
  set(key: string, version: Version): void {
    if (version.length === 0) {
      this.#versions.delete(key);
      return;
    }
    const stored = this.#versions.get(key);
    if (stored === undefined || stored.length !== version.length) {
      this.#versions.set(key, new Uint8Array(version));
      return;
    }
    // A loop rather than `stored.set(version)`: versions are short, and `set` is the slower builtin.
    for (let index = 0; index < version.length; index++) {
      stored[index] = version[index] as number;
    }
  }
}
