import { UNBOUNDED_GENERATION_BYTES, type BackendCapabilities } from "./capabilities.js";

/**
 * How long the kit makes resources and versions for one backend (clause K9): its declared maxima,
 * or {@link UNBOUNDED_GENERATION_BYTES} where it declares none.
 *
 * @example
 * ```ts
 * const limits: ByteLimits = { resourceBytes: 2011, versionBytes: 4096 };
 * ```
 */
export interface ByteLimits {
  /** The longest resource the kit uses. */
  readonly resourceBytes: number;
  /** The longest version the kit uses. */
  readonly versionBytes: number;
}

/**
 * The byte limits the kit uses for a backend.
 *
 * @param capabilities - the backend's capabilities.
 * @returns its maxima, or the kit's cap where it declares none.
 *
 * @example
 * ```ts
 * byteLimits({ concurrentCalls: true, reportsStoredVersion: true }).resourceBytes; // 1024
 * ```
 */
export function byteLimits(capabilities: BackendCapabilities): ByteLimits {
  return {
    resourceBytes: capabilities.maxResourceBytes ?? UNBOUNDED_GENERATION_BYTES,
    versionBytes: capabilities.maxVersionBytes ?? UNBOUNDED_GENERATION_BYTES,
  };
}

/**
 * How two byte strings are related, in the ways that break backends that do not treat them as
 * plain bytes: C strings (a zero byte ends them), case-insensitive or text keys, keys cut to a
 * length, loose version comparison.
 *
 * - `"prefix"`: one is a proper prefix of the other.
 * - `"trailing-zero"`: one is the other followed by zero bytes only.
 * - `"one-byte"`: same length, different in exactly one byte.
 * - `"last-byte"`: same length, different in the last byte only.
 * - `"letter-case"`: same length, different only in the case of ASCII letters.
 *
 * @example
 * ```ts
 * const relation: ByteRelation = "letter-case";
 * ```
 */
export type ByteRelation = "prefix" | "trailing-zero" | "one-byte" | "last-byte" | "letter-case";

/**
 * Every {@link ByteRelation}.
 *
 * @example
 * ```ts
 * for (const relation of BYTE_RELATIONS) console.log(relation);
 * ```
 */
export const BYTE_RELATIONS: readonly ByteRelation[] = Object.freeze(["prefix", "trailing-zero", "one-byte", "last-byte", "letter-case"]);

/**
 * The relations between two byte strings (see {@link ByteRelation}); none for equal or unrelated
 * strings.
 *
 * @param a - one byte string.
 * @param b - the other.
 * @returns the relations that hold.
 *
 * @example
 * ```ts
 * relationsBetween(Uint8Array.of(0x61), Uint8Array.of(0x41)); // ["one-byte", "last-byte", "letter-case"]
 * ```
 */
export function relationsBetween(a: Uint8Array, b: Uint8Array): ByteRelation[] {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const relations: ByteRelation[] = [];
  if (short.length < long.length) {
    if (short.every((byte, i) => long[i] === byte)) {
      relations.push("prefix");
      if (long.subarray(short.length).every((byte) => byte === 0)) {
        relations.push("trailing-zero");
      }
    }
    return relations;
  }
  const differences = differingPositions(a, b);
  if (differences.length === 1) {
    relations.push("one-byte");
    if (differences[0] === a.length - 1) {
      relations.push("last-byte");
    }
  }
  if (differences.length > 0 && differences.every((i) => isLetterCasePair(a[i] ?? 0, b[i] ?? 0))) {
    relations.push("letter-case");
  }
  return relations;
}

function differingPositions(a: Uint8Array, b: Uint8Array): number[] {
  const positions: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      positions.push(i);
    }
  }
  return positions;
}

function isAsciiLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

function isLetterCasePair(x: number, y: number): boolean {
  return isAsciiLetter(x) && (x ^ 0x20) === y;
}

/**
 * The byte string with the case of the ASCII letter at `position` swapped; when there is no
 * letter there, the letter `a` (or `A`) is put there first, so that the result and
 * `withLetterAt(bytes, position)` differ only in letter case.
 *
 * @param bytes - a non-empty byte string.
 * @param position - any index; taken modulo the length.
 * @returns a new byte string.
 *
 * @example
 * ```ts
 * swapLetterCase(new TextEncoder().encode("ab"), 0); // "Ab"
 * ```
 */
export function swapLetterCase(bytes: Uint8Array, position: number): Uint8Array {
  const result = withLetterAt(bytes, position);
  const p = position % result.length;
  result[p] = (result[p] ?? 0) ^ 0x20;
  return result;
}

/**
 * The byte string with an ASCII letter at `position`: unchanged when there is one, else a copy
 * with the lowercase letter chosen by the position.
 *
 * @param bytes - a non-empty byte string.
 * @param position - any index; taken modulo the length.
 * @returns a new byte string.
 *
 * @example
 * ```ts
 * withLetterAt(Uint8Array.of(0, 0), 1); // [0x00, 0x62]
 * ```
 */
export function withLetterAt(bytes: Uint8Array, position: number): Uint8Array {
  const result = new Uint8Array(bytes);
  const p = position % result.length;
  if (!isAsciiLetter(result[p] ?? 0)) {
    result[p] = 0x61 + (position % 26);
  }
  return result;
}

/**
 * The byte string with the byte at `position` replaced by `byte`, or by another value when it is
 * already `byte`: the result always differs in exactly that byte.
 *
 * @param bytes - a non-empty byte string.
 * @param position - any index; taken modulo the length.
 * @param byte - the byte to put there.
 * @returns a new byte string.
 *
 * @example
 * ```ts
 * withByteChanged(Uint8Array.of(1, 2), 1, 0xff); // [1, 0xff]
 * ```
 */
export function withByteChanged(bytes: Uint8Array, position: number, byte: number): Uint8Array {
  const result = new Uint8Array(bytes);
  const p = position % result.length;
  result[p] = result[p] === byte ? byte ^ 0x01 : byte;
  return result;
}

/**
 * Joins byte strings.
 *
 * @param parts - the byte strings, or arrays of byte values.
 * @returns a new byte string.
 *
 * @example
 * ```ts
 * concatBytes(new TextEncoder().encode("a"), [0]); // [0x61, 0x00]
 * ```
 */
export function concatBytes(...parts: ReadonlyArray<Uint8Array | readonly number[]>): Uint8Array {
  const result = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/**
 * A byte string of `length` bytes that starts with `head` and repeats `pattern` after it (or
 * `head` cut to `length`).
 *
 * @param head - the first bytes.
 * @param length - the length of the result.
 * @param pattern - the bytes repeated after `head`; a non-empty array.
 * @returns a new byte string.
 *
 * @example
 * ```ts
 * filledBytes([0x41], 4, [0, 0xff]); // [0x41, 0, 0xff, 0]
 * ```
 */
export function filledBytes(head: Uint8Array | readonly number[], length: number, pattern: Uint8Array | readonly number[]): Uint8Array {
  const result = new Uint8Array(length);
  result.set(head.length > length ? head.slice(0, length) : head);
  for (let i = head.length; i < length; i++) {
    result[i] = pattern[(i - head.length) % pattern.length] ?? 0;
  }
  return result;
}

/**
 * A short readable form of bytes for messages and counterexamples: hex, and for long strings the
 * length, the first bytes and the last bytes.
 *
 * @param bytes - the bytes.
 * @returns e.g. `"41002d"` or `"2011 bytes 4100…2dfe"`.
 *
 * @example
 * ```ts
 * showBytes(Uint8Array.of(0x41, 0)); // "4100"
 * ```
 */
export function showBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
  return bytes.length <= 24 ? hex : `${bytes.length} bytes ${hex.slice(0, 16)}…${hex.slice(-16)}`;
}

/**
 * A text key that is one string per byte string, for the kit's own models.
 *
 * @param bytes - the bytes.
 * @returns their hex digits.
 *
 * @example
 * ```ts
 * bytesKey(Uint8Array.of(0, 255)); // "00ff"
 * ```
 */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}
