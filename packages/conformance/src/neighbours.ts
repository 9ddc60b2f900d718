import { encodeOffset, type Resource, type Version } from "@projectionkit/core";
import { concatBytes, filledBytes, swapLetterCase, withByteChanged } from "./byte-domain.js";

/**
 * A new copy of the resource the example tests use: letters, a zero byte and a byte that is not
 * UTF-8, so that its neighbours collide in a backend that keys resources by C strings,
 * case-folded text or decoded text.
 *
 * @returns the bytes of "Resource-1", then 0x00 and 0xFE.
 *
 * @example
 * ```ts
 * await repository.storeResourceVersion(exampleResource(), v1);
 * ```
 */
export function exampleResource(): Resource {
  return concatBytes(new TextEncoder().encode("Resource-1"), [0x00, 0xfe]);
}

/**
 * A resource next to an example's resource: one that a backend which does not treat resources as
 * plain bytes mixes up with it. Every example writes its neighbours first and checks afterwards
 * that they are unchanged (isolation).
 *
 * @example
 * ```ts
 * const [first] = neighboursOf(exampleResource(), 1024);
 * console.log(first?.relation); // "only its letter case differs"
 * ```
 */
export interface Neighbour {
  /** The neighbour. */
  readonly resource: Resource;
  /** How it differs from the example's resource, for messages. */
  readonly relation: string;
  /** The version the neighbour is given before the example runs. */
  readonly version: Version;
  /** The probe list the neighbour's event appends to (projection examples). */
  readonly list: string;
}

/**
 * The neighbours of a resource of at least two bytes: only its letter case differs (the first
 * letter swapped), its last byte differs, it has a trailing zero byte, and it is a prefix. Each
 * gets its own version: one zero byte, a version with a trailing zero, a long one (up to 300
 * bytes), and one that is a stream version followed by a zero byte.
 *
 * @param resource - the example's resource.
 * @param maxVersionBytes - the longest version the backend accepts.
 * @returns the neighbours, all different from it and from each other.
 *
 * @example
 * ```ts
 * for (const neighbour of neighboursOf(exampleResource(), 1024)) await repository.storeResourceVersion(neighbour.resource, neighbour.version);
 * ```
 */
export function neighboursOf(resource: Resource, maxVersionBytes: number): Neighbour[] {
  const last = resource.length - 1;
  const letter = resource.findIndex((byte) => (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a);
  return [
    { relation: "only its letter case differs", resource: swapLetterCase(resource, Math.max(letter, 0)), version: Uint8Array.of(0) },
    { relation: "its last byte differs", resource: withByteChanged(resource, last, (resource[last] ?? 0) ^ 0x01), version: Uint8Array.of(0xff, 0) },
    { relation: "it has a trailing zero byte", resource: concatBytes(resource, [0]), version: filledBytes([0x4e], Math.min(300, maxVersionBytes), [0x00, 0xff]) },
    { relation: "it is a prefix", resource: resource.slice(0, last), version: concatBytes(encodeOffset(1), [0]) },
  ].map((neighbour, i) => ({ ...neighbour, list: `neighbour-${i}` }));
}
