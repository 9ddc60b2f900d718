import { encodeOffset, type Resource, type Version } from "@projectionkit/core";
import { concatBytes, filledBytes, withByteChanged, type ByteLimits } from "./byte-domain.js";

const text = new TextEncoder();

/**
 * Resources that are all different, in pairs that backends which do not treat resources as plain
 * bytes mix up (K9): zero bytes and 0xFF, trailing zero bytes, letter case, one byte after a zero
 * byte, bytes that are not UTF-8, prefixes.
 *
 * @returns the resources, each with what makes it special.
 *
 * @example
 * ```ts
 * for (const { resource } of tellApartResources()) await repository.storeResourceVersion(resource, v);
 * ```
 */
export function tellApartResources(): Array<{ readonly resource: Resource; readonly note: string }> {
  return [
    { resource: Uint8Array.of(0x00), note: "one zero byte" },
    { resource: Uint8Array.of(0x00, 0x00), note: "two zero bytes" },
    { resource: Uint8Array.of(0xff), note: "0xff" },
    { resource: Uint8Array.of(0xfe), note: "0xfe (not UTF-8 either)" },
    { resource: text.encode("account"), note: "lowercase" },
    { resource: text.encode("accoun"), note: "a prefix" },
    { resource: text.encode("Account"), note: "capitalised" },
    { resource: text.encode("ACCOUNT"), note: "uppercase" },
    { resource: concatBytes(text.encode("account"), [0x00]), note: "with a trailing zero byte" },
    { resource: concatBytes(text.encode("id"), [0x00], text.encode("a")), note: "a zero byte, then a" },
    { resource: concatBytes(text.encode("id"), [0x00], text.encode("b")), note: "a zero byte, then b" },
    { resource: Uint8Array.of(0x61, 0xc3), note: "a, then a lone UTF-8 lead byte C3" },
    { resource: Uint8Array.of(0x61, 0xc4), note: "a, then a lone UTF-8 lead byte C4" },
  ];
}

/**
 * Resources of the longest length the backend accepts that share all their bytes but the last, or
 * differ there only in letter case, and last, their common prefix one byte shorter (K9).
 *
 * @param limits - the backend's limits.
 * @returns the resources.
 *
 * @example
 * ```ts
 * const [longest] = longestResources(byteLimits(capabilities));
 * ```
 */
export function longestResources(limits: ByteLimits): Resource[] {
  const longest = filledBytes(text.encode("longest-"), limits.resourceBytes, [0x00, 0xff, 0x61]);
  longest[longest.length - 1] = 0x61;
  return [longest, withByteChanged(longest, longest.length - 1, 0x41), withByteChanged(longest, longest.length - 1, 0x62), longest.slice(0, -1)];
}

/**
 * Versions of many lengths with zero bytes anywhere (K9): one byte, zero bytes, a stream version,
 * hundreds of bytes, and the longest the backend accepts.
 *
 * @param limits - the backend's limits.
 * @returns the versions, all different and non-empty.
 *
 * @example
 * ```ts
 * for (const version of versionsOfEveryLength(limits)) await repository.storeResourceVersion(r, version);
 * ```
 */
export function versionsOfEveryLength(limits: ByteLimits): Version[] {
  return [
    Uint8Array.of(0x00),
    Uint8Array.of(0x00, 0x00),
    Uint8Array.of(0x01),
    Uint8Array.of(0x01, 0x00),
    encodeOffset(5),
    new Uint8Array(8),
    filledBytes([0x00, 0x76], Math.min(300, limits.versionBytes - 1), [0x00, 0x00, 0xff]),
    filledBytes([0x76], limits.versionBytes, [0x00]),
  ];
}

/**
 * Versions that a loose comparison mistakes for `version` (K9): with a trailing zero byte, without
 * its last byte (or empty), with the last byte changed, and the same length with the first byte
 * changed.
 *
 * @param version - a non-empty version.
 * @param limits - the backend's limits.
 * @returns versions that are all different from `version`.
 *
 * @example
 * ```ts
 * for (const almost of nearVersions(v, limits)) expect(await repository.updateResourceVersion(r, almost, n)).toBe(false);
 * ```
 */
export function nearVersions(version: Version, limits: ByteLimits): Version[] {
  const near = [version.slice(0, -1), withByteChanged(version, version.length - 1, 0x00), withByteChanged(version, 0, 0xff)];
  if (version.length < limits.versionBytes) {
    near.unshift(concatBytes(version, [0]));
  }
  return near;
}
