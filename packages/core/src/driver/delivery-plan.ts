import { InvalidArgumentError, InvalidResourceError } from "../errors/argument-errors.js";
import { encodeOffset } from "../offset-codec.js";
import type { ProjectionEvent } from "../projection-event.js";
import { EMPTY_VERSION, type Resource, type Version } from "../resource.js";
import { encodeSequence } from "../sequence-codec.js";
import { streamResource } from "../stream-versions.js";
import { describeValue } from "../validation.js";
import { receivedValue } from "./received-value.js";
import type { SourceEvent } from "./source-event.js";
import { streamKey } from "./stream-key.js";

/**
 * What the driver derives from a source event before any I/O: its stream and the version it
 * moves the stream to. An offset also gives the version before it; a sequence number does not
 * (c is the stored version, clause G1).
 *
 * @internal
 */
export type DeliveryPlan =
  | { readonly mode: "offset"; readonly key: string; readonly resource: Resource; readonly current: Version; readonly next: Version }
  | { readonly mode: "sequence"; readonly key: string; readonly resource: Resource; readonly next: Version };

/**
 * Checks a source event and plans its delivery.
 *
 * @param source - the event as given.
 * @param argument - its name for errors: `source`, or `sources[3]` in a batch.
 * @returns the plan.
 * @throws `InvalidArgumentError` naming the malformed field, e.g. `sources[3].sequence`.
 * @internal
 */
export function planDelivery<E extends ProjectionEvent>(source: SourceEvent<E>, argument: string): DeliveryPlan {
  if (typeof source !== "object" || source === null) {
    throw new InvalidArgumentError(argument, `expected a source event, got ${describeValue(source)}`);
  }
  if (typeof source.event !== "object" || source.event === null) {
    throw new InvalidArgumentError(`${argument}.event`, `expected an event object, got ${describeValue(source.event)}`);
  }
  const resource = resourceOf(source.stream, `${argument}.stream`);
  const key = streamKey(resource);
  if (source.offset !== undefined && source.sequence === undefined) {
    const offset = offsetOf(source.offset, `${argument}.offset`);
    return { mode: "offset", key, resource, current: offset === 0n ? EMPTY_VERSION : encodeOffset(offset - 1n), next: encodeOffset(offset) };
  }
  if (source.sequence !== undefined && source.offset === undefined) {
    const next = sequenceVersionOf(source.sequence, `${argument}.sequence`);
    return { mode: "sequence", key, resource, next };
  }
  throw new InvalidArgumentError(argument, "expected exactly one of offset and sequence");
}

function offsetOf(value: unknown, argument: string): bigint {
  const offset = typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : -1n;
  if (offset < 0n) {
    throw new InvalidArgumentError(argument, `expected a non-negative integer, got ${receivedValue(value)}`);
  }
  return offset;
}

function resourceOf(stream: unknown, argument: string): Resource {
  if (typeof stream !== "string" && !(stream instanceof Uint8Array)) {
    throw new InvalidArgumentError(argument, `expected a stream id (a string or a Uint8Array), got ${receivedValue(stream)}`);
  }
  if (stream.length === 0) {
    throw new InvalidResourceError(argument, "a stream id must not be empty");
  }
  return streamResource(stream);
}

const DECIMAL = /^(0|[1-9]\d*)$/;

function sequenceVersionOf(sequence: unknown, argument: string): Version {
  if (!(typeof sequence === "bigint" ? sequence >= 0n : typeof sequence === "string" && DECIMAL.test(sequence))) {
    throw new InvalidArgumentError(argument, `expected a non-negative decimal integer string or bigint, got ${receivedValue(sequence)}`);
  }
  try {
    return encodeSequence(sequence as string | bigint);
  } catch (error) {
    throw new InvalidArgumentError(argument, "expected a sequence number of at most 255 bytes", { cause: error });
  }
}
