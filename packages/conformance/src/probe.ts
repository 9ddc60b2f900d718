import type { ProjectionEvent } from "@projectionkit/core";

/** The event type of {@link ProbeEvent}: the one type a probe projection declares. */
export const PROBE_EVENT_TYPE = "ProbeRecorded";

/** An event type no probe projection declares, to check that it is refused (H3). */
export const UNEXPECTED_EVENT_TYPE = "ProbeNeverDeclared";

/**
 * The only event of the probe projection, the small projection every backend implements so that
 * the kit can see a projection's effects without trusting the handler under test.
 *
 * What a probe projection must do with it, in the backend's own storage:
 *
 * - append `id` to the list named `list` (a list that does not exist yet starts empty);
 * - when `failUserItem` is `true`, also write an item whose own condition fails (DynamoDB: a
 *   `ConditionCheck` on an item that does not exist; a SQL store: a constraint that is violated;
 *   the memory store: throw), so that the whole commit fails and nothing is written;
 * - before it produces its changes, `await` the {@link BackendContext.pause} it was created with
 *   (the kit's concurrency properties use it to interleave concurrent calls).
 *
 * @example
 * ```ts
 * const event: ProbeEvent = { type: PROBE_EVENT_TYPE, list: "account-1", id: "e1" };
 * ```
 */
export interface ProbeEvent extends ProjectionEvent {
  readonly type: typeof PROBE_EVENT_TYPE;
  /** The list to append to: in the kit, the UTF-8 text of the event's resource. */
  readonly list: string;
  /** The id to append. */
  readonly id: string;
  /** When `true`, the projection's own write must fail its condition (K4). */
  readonly failUserItem?: boolean | undefined;
}

/**
 * What the kit gives a backend factory for each fresh backend.
 *
 * @example
 * ```ts
 * const create = async ({ pause }: BackendContext) => ({
 *   handler: memoryProjection(probeHandler(pause)),
 *   readList: async (list) => readRows(list),
 * });
 * ```
 */
export interface BackendContext {
  /**
   * The probe projection awaits this once per event, before it produces its changes. Outside the
   * concurrency properties it resolves at once.
   */
  readonly pause: () => Promise<void>;
}

/**
 * Makes a probe event.
 *
 * @param list - the list to append to.
 * @param id - the id to append.
 * @param failUserItem - ask the projection to write an item whose condition fails.
 * @returns the event.
 *
 * @example
 * ```ts
 * await handler.handleEvent(resource, c, n, scope, probeEvent("account-1", "e1"));
 * ```
 */
export function probeEvent(list: string, id: string, failUserItem = false): ProbeEvent {
  return failUserItem ? { type: PROBE_EVENT_TYPE, list, id, failUserItem } : { type: PROBE_EVENT_TYPE, list, id };
}
