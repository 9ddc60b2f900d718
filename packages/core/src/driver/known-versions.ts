import type { Version } from "../resource.js";

/**
 * The stored version the driver learnt last, per stream (bounded: the least recently used stream
 * goes first). Only ever a guess for the current version of the next sequence event: a wrong
 * guess costs one conflict, which reports the stored version.
 *
 * @internal
 */
export class KnownVersions {
  static readonly LIMIT = 10_000;
  readonly #versions = new Map<string, Version>();

  /**
   * @param key - the stream's key (see `streamKey`).
   * @returns the version last remembered for the stream, if any.
   */
  get(key: string): Version | undefined {
    return this.#versions.get(key);
  }

  /**
   * @param key - the stream's key (see `streamKey`).
   * @param version - the stored version just learnt.
   */
  remember(key: string, version: Version): void {
    this.#versions.delete(key);
    this.#versions.set(key, version);
    if (this.#versions.size > KnownVersions.LIMIT) {
      const oldest = this.#versions.keys().next().value;
      if (oldest !== undefined) this.#versions.delete(oldest);
    }
  }
}
