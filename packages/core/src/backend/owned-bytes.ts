import { EMPTY_VERSION } from "../resource.js";

/**
 * A copy of `bytes` that no one else holds (R7): a plain `Uint8Array` even for a `Buffer`, whose
 * own `slice` would share memory. The empty array is the shared, immutable {@link EMPTY_VERSION}.
 * The bases copy with it; a backend that borrows the caller's arrays
 * (`ProjectionHandlerBaseOptions.borrowArrays`) copies with it what it keeps.
 *
 * @param bytes - a resource or a version.
 * @returns a copy no caller holds.
 *
 * @example
 * ```ts
 * declare const next: Uint8Array; // a caller's array, borrowed
 * const kept = ownedBytes(next); // the caller may change `next` from now on; `kept` stays
 * ```
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.length === 0 ? EMPTY_VERSION : new Uint8Array(bytes);
}
