import { versionsEqual, type Resource, type Version } from "@projectionkit/core";
import type { Mutation } from "./catalogue.js";

const EMPTY = new Uint8Array(0);

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function withoutTrailingZeros(version: Version): Version {
  let end = version.length;
  while (end > 0 && version[end - 1] === 0) {
    end--;
  }
  return version.subarray(0, end);
}

/** The key a resource is stored under: its hex, or what the mutation makes of it. */
function keyOf(resource: Resource, mutation: Mutation): string {
  switch (mutation) {
    case "c-string-keys": {
      const end = resource.indexOf(0);
      return hex(end < 0 ? resource : resource.subarray(0, end));
    }
    case "case-folded-keys":
      return hex(resource.map((byte) => (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte)));
    case "lossy-text-keys":
      return new TextDecoder().decode(resource);
    case "keys-cut-to-255-bytes":
      return hex(resource.subarray(0, 255));
    default:
      return hex(resource);
  }
}

/**
 * The store of versions that the broken repository and the broken projection share, with the
 * mutation's idea of keys, matching, reading and writing. "none" copies every array in and out.
 */
export class BrokenVersionStore {
  readonly #versions = new Map<string, Version>();
  /** For "stale-reads": each key's version before its latest write. */
  readonly #before = new Map<string, Version | undefined>();
  readonly #mutation: Mutation;

  constructor(mutation: Mutation) {
    this.#mutation = mutation;
  }

  /** What a read returns. */
  read(resource: Resource): Version {
    const key = keyOf(resource, this.#mutation);
    const version = this.#mutation === "stale-reads" && this.#before.has(key) ? this.#before.get(key) : this.#versions.get(key);
    return this.#out(version);
  }

  /** The stored version a conflict reports. */
  conflictVersion(resource: Resource, current: Version): Version {
    return this.#mutation === "reports-expected-as-stored" ? current : this.#out(this.#versions.get(keyOf(resource, this.#mutation)));
  }

  matches(resource: Resource, current: Version): boolean {
    const stored = this.#versions.get(keyOf(resource, this.#mutation));
    switch (this.#mutation) {
      case "ignores-current":
        return true;
      case "empty-current-matches-any":
        return current.length === 0 || versionsEqual(stored, current);
      case "keeps-empty-version":
        return stored === undefined ? current.length === 0 : current.length > 0 && versionsEqual(stored, current);
      case "trailing-zeros-ignored":
        return versionsEqual(withoutTrailingZeros(stored ?? EMPTY), withoutTrailingZeros(current));
      default:
        return versionsEqual(stored, current);
    }
  }

  write(resource: Resource, next: Version): void {
    const key = keyOf(resource, this.#mutation);
    this.#before.set(key, this.#versions.get(key));
    if (next.length > 0 || this.#mutation === "keeps-empty-version") {
      this.#versions.set(key, this.#mutation === "keeps-caller-arrays" ? next : next.slice());
    } else if (this.#mutation !== "drops-empty-next") {
      this.#versions.delete(key);
    }
  }

  delete(resource: Resource): void {
    const key = keyOf(resource, this.#mutation);
    const doomed = this.#mutation === "deletes-by-prefix" ? [...this.#versions.keys()].filter((other) => other.startsWith(key)) : [key];
    for (const gone of doomed) {
      this.#before.set(gone, this.#versions.get(gone));
      this.#versions.delete(gone);
    }
  }

  #out(version: Version | undefined): Version {
    if (version === undefined) {
      return EMPTY;
    }
    return this.#mutation === "returns-internal-arrays" ? version : version.slice();
  }
}
