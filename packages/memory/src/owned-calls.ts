import { ownedBytes, type EventBatchCall, type EventCall, type ProjectionEvent } from "@projectionkit/core";

// The memory adapter borrows the caller's arrays (core's `borrowArrays`): a call that completes in
// one synchronous step reads them before the caller can change them, and copies nothing. A call
// that goes on after a turn of the event loop (it waits for the queue, or the handler or a hook
// returns a promise) first takes copies of the arrays it still reads, with these functions.

/**
 * The call with copies of its arrays.
 *
 * @internal
 */
export function ownedEventCall<E extends ProjectionEvent>(call: EventCall<E>): EventCall<E> {
  return { ...call, resource: ownedBytes(call.resource), current: ownedBytes(call.current), next: ownedBytes(call.next) };
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
    resource: ownedBytes(call.resource),
    deliveries: call.deliveries.map((delivery) => ({ ...delivery, current: ownedBytes(delivery.current), next: ownedBytes(delivery.next) })),
  };
}
