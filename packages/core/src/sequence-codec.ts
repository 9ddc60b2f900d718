import { InvalidArgumentError, InvalidVersionError } from "./errors/argument-errors.js";
import type { Version, VersionInput } from "./resource.js";
import { describeValue, requireVersion } from "./validation.js";

const DECIMAL = /^(0|[1-9]\d*)$/;
const MAX_BYTES = 255;

/**
 * Encodes an ordered but non-contiguous sequence number (Kinesis, DynamoDB Streams and SQS FIFO
 * sequence numbers: decimal strings of up to 129 digits) as a version whose byte order equals the
 * numeric order: one byte with the length of the big-endian magnitude, then the magnitude without
 * leading zeros. A longer magnitude is a larger number, so comparing the bytes compares the
 * numbers (clause G1).
 *
 * @param sequence - a non-negative integer, as a decimal string or a bigint.
 * @returns the version.
 * @throws `InvalidArgumentError` for anything else.
 *
 * @example
 * ```ts
 * const version = encodeSequence("49590338271490256608559692538361571095921575989136588898");
 * compareVersions(encodeSequence("9"), encodeSequence("10")); // -1
 * ```
 */
export function encodeSequence(sequence: string | bigint): Version {
  let value: bigint;
  if (typeof sequence === "bigint") {
    value = sequence;
  } else if (typeof sequence === "string" && DECIMAL.test(sequence)) {
    value = BigInt(sequence);
  } else {
    throw new InvalidArgumentError("sequence", `expected a non-negative decimal integer string or bigint, got ${typeof sequence === "string" ? JSON.stringify(sequence) : describeValue(sequence)}`);
  }
  if (value < 0n) {
    throw new InvalidArgumentError("sequence", `expected a non-negative integer, got ${value}`);
  }
  const digits = value === 0n ? "" : value.toString(16);
  const magnitude = Buffer.from(digits.length % 2 === 0 ? digits : `0${digits}`, "hex");
  if (magnitude.length > MAX_BYTES) {
    throw new InvalidArgumentError("sequence", `expected at most ${MAX_BYTES} bytes, got ${magnitude.length}`);
  }
  const version = new Uint8Array(1 + magnitude.length);
  version[0] = magnitude.length;
  version.set(magnitude, 1);
  return version;
}

/**
 * Decodes a version made by {@link encodeSequence}.
 *
 * @param version - the version; empty means "no sequence yet".
 * @returns the sequence number, or `undefined` for the empty version.
 * @throws `InvalidVersionError` for a version that {@link encodeSequence} did not make.
 *
 * @example
 * ```ts
 * decodeSequence(encodeSequence("42")); // 42n
 * ```
 */
export function decodeSequence(version: VersionInput): bigint | undefined {
  const bytes = requireVersion(version);
  if (bytes.length === 0) {
    return undefined;
  }
  const length = bytes[0];
  if (length === undefined || bytes.length !== 1 + length || (length > 0 && bytes[1] === 0)) {
    throw new InvalidVersionError("version", "not a sequence version (length byte and big-endian magnitude without leading zeros)");
  }
  return length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.subarray(1)).toString("hex")}`);
}

