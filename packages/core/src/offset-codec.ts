import { InvalidOffsetError, InvalidVersionError } from "./errors/argument-errors.js";
import { EMPTY_VERSION, type Version, type VersionInput } from "./resource.js";
import { describeValue, requireVersion } from "./validation.js";

/** The width of a version made by {@link encodeOffset}: 8 bytes, an unsigned 64-bit integer. */
export const OFFSET_VERSION_LENGTH = 8;

const MAX_OFFSET = (1n << 64n) - 1n;

/**
 * Encodes a stream offset as a version: 8 bytes, big-endian, so that byte order is numeric order
 * (V1). No offset (`undefined`) is the empty version.
 *
 * @param offset - an integer in `[0, 2^64 - 1]` (a `number` must be a safe integer), or `undefined`.
 * @returns the version.
 * @throws {@link InvalidOffsetError} for anything else.
 *
 * @example
 * ```ts
 * encodeOffset(258); // Uint8Array [0, 0, 0, 0, 0, 0, 1, 2]
 * encodeOffset(undefined).length; // 0
 * ```
 */
export function encodeOffset(offset: bigint | number | undefined): Version {
  if (offset === undefined) {
    return EMPTY_VERSION;
  }
  let value: bigint;
  if (typeof offset === "number") {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new InvalidOffsetError("offset", `expected a non-negative safe integer, got ${offset}`);
    }
    value = BigInt(offset);
  } else if (typeof offset === "bigint") {
    if (offset < 0n || offset > MAX_OFFSET) {
      throw new InvalidOffsetError("offset", `expected an integer in [0, 2^64 - 1], got ${offset}`);
    }
    value = offset;
  } else {
    throw new InvalidOffsetError("offset", `expected a bigint, a number or undefined, got ${describeValue(offset)}`);
  }
  const version = new Uint8Array(OFFSET_VERSION_LENGTH);
  new DataView(version.buffer).setBigUint64(0, value, false);
  return version;
}

/**
 * Decodes a version made by {@link encodeOffset} (V1).
 *
 * @param version - an 8-byte version, or the empty version.
 * @returns the offset, or `undefined` for the empty version.
 * @throws {@link InvalidVersionError} for a version of another width.
 *
 * @example
 * ```ts
 * decodeOffset(encodeOffset(41)); // 41n
 * decodeOffset(new Uint8Array()); // undefined
 * ```
 */
export function decodeOffset(version: VersionInput): bigint | undefined {
  const bytes = requireVersion(version, "version");
  if (bytes.length === 0) {
    return undefined;
  }
  if (bytes.length !== OFFSET_VERSION_LENGTH) {
    throw new InvalidVersionError(
      "version",
      `expected ${OFFSET_VERSION_LENGTH} bytes (an encoded offset) or none, got ${bytes.length}`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, false);
}
