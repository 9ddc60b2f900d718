import { EMPTY_VERSION, type EventBatchCall, type EventCall, type ProjectionEvent } from "@projectionkit/core";

// The memory adapter borrows the caller's arrays (core's `borrowArrays`): a call that completes in
// one synchronous step reads them before the caller can change them, and copies nothing. A call
// that goes on after a turn of the event loop (it waits for the queue, or the handler or a hook
// returns a promise) first takes copies of the arrays it still reads, with these functions.

/**
 * A copy of `bytes` that no one else holds; the shared empty version for empty bytes.
 *
 * @internal
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return bytes.length === 0 ? EMPTY_VERSION : new Uint8Array(bytes);
}

/**
 * The call with copies of its arrays.
 *
 * @internal
 */
export function ownedEventCall<E extends ProjectionEvent>(call: EventCall<E>): EventCall<E> {
  return { ...call, resource: copyBytes(call.resource), current: copyBytes(call.current), next: copyBytes(call.next) };
}

/**
 * The batch with copies of its arrays (core made the delivery objects; only their arrays are the
 * caller's).
 *
 * @internal
 */
export function ownedBatchCall<E extends ProjectionEvent>(call: EventBatchCall<E>): EventBatchCall<E> {
  return {
    ...call,
    resource: copyBytes(call.resource),
    deliveries: call.deliveries.map((delivery) => ({ ...delivery, current: copyBytes(delivery.current), next: copyBytes(delivery.next) })),
  };
}
