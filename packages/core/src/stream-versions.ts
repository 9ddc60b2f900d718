import { InvalidArgumentError } from "./errors/argument-errors.js";
import { decodeOffset, encodeOffset } from "./offset-codec.js";
import type { Resource, Version, VersionInput } from "./resource.js";
import { describeValue, requireResource } from "./validation.js";

/**
 * The three arguments of `handleEvent` that say where an event stands: resource, current version,
 * next version.
 *
 * @example
 * ```ts
 * const { resource, current, next }: EventVersions = streamEventVersions("account-42", 0);
 * ```
 */
export interface EventVersions {
  /** The resource: the stream id's bytes. */
  readonly resource: Resource;
  /** The version before the event: the previous offset, empty for offset 0. */
  readonly current: Version;
  /** The version after the event: its own offset. */
  readonly next: Version;
}

const utf8 = new TextEncoder();

/**
 * Turns a stream id into a resource: the UTF-8 bytes of a string, or the bytes themselves.
 *
 * @param streamId - a non-empty string or byte array.
 * @returns the resource.
 * @throws {@link InvalidResourceError} for an empty id.
 *
 * @example
 * ```ts
 * streamResource("account-42"); // the UTF-8 bytes of "account-42"
 * ```
 */
export function streamResource(streamId: string | Uint8Array): Resource {
  if (typeof streamId === "string") {
    return requireResource(utf8.encode(streamId), "streamId");
  }
  if (streamId instanceof Uint8Array) {
    return requireResource(streamId, "streamId");
  }
  throw new InvalidArgumentError("streamId", `expected a string or a Uint8Array, got ${describeValue(streamId)}`);
}

/**
 * Turns "the event at `offset` of stream `streamId`" into `handleEvent`'s resource, current and
 * next versions (V1), for streams whose offsets are contiguous from 0 (event stores): the version of
 * a stream is the offset of its last applied event, encoded with {@link encodeOffset}.
 *
 * @param streamId - the stream, as a string (UTF-8) or bytes.
 * @param offset - the event's zero-based offset in the stream.
 * @returns the resource and the versions before and after the event.
 * @throws {@link InvalidOffsetError} for a negative or non-integer offset.
 *
 * @example
 * ```ts
 * const { resource, current, next } = streamEventVersions("account-42", 5);
 * // current = encodeOffset(4), next = encodeOffset(5)
 * await handler.handleEvent(resource, current, next, scope, event);
 * ```
 */
export function streamEventVersions(streamId: string | Uint8Array, offset: bigint | number): EventVersions {
  const next = encodeOffset(offset);
  const value = typeof offset === "bigint" ? offset : BigInt(offset);
  const current = encodeOffset(value === 0n ? undefined : value - 1n);
  return { resource: streamResource(streamId), current, next };
}

/**
 * The offset of the next event to apply, given a stream's stored version: 0 for the empty version,
 * otherwise one after the stored offset. Engines resume a stream from here.
 *
 * @param version - a version made by {@link encodeOffset}, or empty.
 * @returns the next offset.
 * @throws {@link InvalidVersionError} for a version of another width.
 *
 * @example
 * ```ts
 * nextStreamOffset(await handler.resourceVersion(resource)); // 0n for a new stream
 * ```
 */
export function nextStreamOffset(version: VersionInput): bigint {
  const last = decodeOffset(version);
  return last === undefined ? 0n : last + 1n;
}
