import { decodeOffset, OFFSET_VERSION_LENGTH } from "@projectionkit/core";

/**
 * How a resource or a version is shown: as text, as an offset, as hexadecimal digits, or `empty`.
 *
 * @example
 * ```ts
 * const form: ByteForm = "utf-8";
 * ```
 */
export type ByteForm = "utf-8" | "offset" | "hex" | "empty";

/**
 * Bytes as they are shown, with the form that says how to read {@link ShownBytes.shown}.
 *
 * @example
 * ```ts
 * const resource: ShownBytes = { shown: "acc-1", form: "utf-8" };
 * ```
 */
export interface ShownBytes {
  /** The text to print: the text itself, the decimal offset, the hexadecimal digits, or `-`. */
  readonly shown: string;
  /** How to read `shown`. */
  readonly form: ByteForm;
}

/** Letters, marks, numbers, punctuation and symbols: no white space, no control or format characters. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]+$/u;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The bytes as text when they are valid UTF-8 made only of printable characters without white
 * space (letters, marks, numbers, punctuation, symbols), else `undefined`. White space is left out
 * so that a column of resources can be read back unambiguously.
 *
 * @param bytes - any bytes.
 * @returns the text, or `undefined`.
 *
 * @example
 * ```ts
 * printableText(new TextEncoder().encode("acc-1")); // "acc-1"
 * printableText(new Uint8Array([0, 255])); // undefined
 * ```
 */
export function printableText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) {
    return undefined;
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return PRINTABLE.test(text) ? text : undefined;
}

/**
 * Lower-case hexadecimal digits of the bytes, two per byte.
 *
 * @param bytes - any bytes.
 * @returns the digits; empty for no bytes.
 *
 * @example
 * ```ts
 * hex(new Uint8Array([0, 255])); // "00ff"
 * ```
 */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/**
 * The bytes in base64.
 *
 * @param bytes - any bytes.
 * @returns the base64 text; empty for no bytes.
 *
 * @example
 * ```ts
 * base64(new Uint8Array([0, 255])); // "AP8="
 * ```
 */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * How a resource is shown: its UTF-8 text when {@link printableText} accepts it, else hex (`-`
 * for an empty resource, which only a foreign writer can leave behind).
 *
 * @param resource - the resource bytes.
 * @returns the shown text and its form.
 *
 * @example
 * ```ts
 * showResource(new TextEncoder().encode("acc-1")); // { shown: "acc-1", form: "utf-8" }
 * showResource(new Uint8Array([1, 2])); // { shown: "0102", form: "hex" }
 * ```
 */
export function showResource(resource: Uint8Array): ShownBytes {
  if (resource.length === 0) {
    return { shown: "-", form: "empty" };
  }
  const text = printableText(resource);
  return text === undefined ? { shown: hex(resource), form: "hex" } : { shown: text, form: "utf-8" };
}

/**
 * The offset a version encodes, when it is 8 bytes (`encodeOffset`'s form), else `undefined`.
 *
 * @param version - the version bytes.
 * @returns the offset, or `undefined`.
 *
 * @example
 * ```ts
 * versionOffset(encodeOffset(41)); // 41n
 * versionOffset(new Uint8Array([1])); // undefined
 * ```
 */
export function versionOffset(version: Uint8Array): bigint | undefined {
  return version.length === OFFSET_VERSION_LENGTH ? decodeOffset(version) : undefined;
}

/**
 * How a version is shown: the decimal offset when it is 8 bytes, `-` when it is empty, else hex.
 *
 * @param version - the version bytes.
 * @returns the shown text and its form.
 *
 * @example
 * ```ts
 * showVersion(encodeOffset(41)); // { shown: "41", form: "offset" }
 * showVersion(new Uint8Array()); // { shown: "-", form: "empty" }
 * ```
 */
export function showVersion(version: Uint8Array): ShownBytes {
  if (version.length === 0) {
    return { shown: "-", form: "empty" };
  }
  const offset = versionOffset(version);
  return offset === undefined ? { shown: hex(version), form: "hex" } : { shown: offset.toString(), form: "offset" };
}
