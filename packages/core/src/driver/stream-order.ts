import type { ProjectionEvent } from "../projection-event.js";
import { compareVersions } from "../resource.js";
import type { DeliveryPlan } from "./delivery-plan.js";
import type { EventTally } from "./event-tally.js";

/**
 * One source event of a stream in a delivery call: where it was given, its plan, its tally.
 *
 * @internal
 */
export interface StreamEvent<E extends ProjectionEvent> {
  /** Its index among the sources given. */
  readonly index: number;
  readonly plan: DeliveryPlan;
  readonly tally: EventTally<E>;
}

/**
 * A position of a stream to deliver, with the other source events at the same position.
 *
 * @internal
 */
export interface StreamPosition<E extends ProjectionEvent> extends StreamEvent<E> {
  /** Exact repeats of this position, given later: they settle with it, without a request. */
  readonly repeats: readonly StreamEvent<E>[];
}

/**
 * Orders one stream's events of a delivery call by position (clause G7): by the version each moves
 * the stream to, which orders offsets and sequence numbers alike. Events at the same position keep
 * the order given; the first is delivered, the others become its repeats.
 *
 * @param events - one stream's events, in the order given.
 * @returns the positions to deliver, in stream order.
 * @internal
 */
export function orderStream<E extends ProjectionEvent>(events: readonly StreamEvent<E>[]): StreamPosition<E>[] {
  const sorted = [...events].sort((a, b) => compareVersions(a.plan.next, b.plan.next) || a.index - b.index);
  const positions: Array<StreamEvent<E> & { repeats: StreamEvent<E>[] }> = [];
  for (const event of sorted) {
    const last = positions.at(-1);
    if (last !== undefined && compareVersions(last.plan.next, event.plan.next) === 0) {
      last.repeats.push(event);
    } else {
      positions.push({ ...event, repeats: [] });
    }
  }
  return positions;
}
