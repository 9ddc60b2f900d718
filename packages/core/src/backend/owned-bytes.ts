import { EMPTY_VERSION } from "../resource.js";

/**
 * A copy of `bytes` that no one else holds (R7): a plain `Uint8Array` even for a `Buffer`, whose
 * own `slice` would share memory. The empty array is the shared, immutable {@link EMPTY_VERSION}.
 *
 * @internal
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.length === 0 ? EMPTY_VERSION : new Uint8Array(bytes);
}
