import type { BatchDelivery, ProjectionMessageHandler, Version } from "@projectionkit/core";
import type { LedgerEvent } from "./fixtures.js";

/** What a driver asked of its handler. */
export interface HandlerCalls {
  handleEvent: number;
  resourceVersion: number;
  /** One entry per `handleEventBatch` call: the number of deliveries and their versions. */
  batches: Array<{ size: number; currents: Version[]; nexts: Version[] }>;
}

/**
 * Wraps a projection so that a test sees every call the driver makes. `batches: false` hides the
 * batch capability; `hideStoredVersion` keeps conflicts from reporting the stored version.
 */
export function spied(
  inner: ProjectionMessageHandler<LedgerEvent>,
  options: { batches?: boolean; hideStoredVersion?: boolean } = {},
): { handler: ProjectionMessageHandler<LedgerEvent>; calls: HandlerCalls } {
  const calls: HandlerCalls = { handleEvent: 0, resourceVersion: 0, batches: [] };
  const handler: ProjectionMessageHandler<LedgerEvent> = {
    configure: (c) => inner.configure(c),
    handleEvent: (r, c, n, scope, event, o) => {
      calls.handleEvent++;
      return inner.handleEvent(r, c, n, scope, event, options.hideStoredVersion === true ? { signal: o?.signal } : o);
    },
    resourceVersion: (r, o) => {
      calls.resourceVersion++;
      return inner.resourceVersion(r, o);
    },
    closeResource: (r, o) => inner.closeResource(r, o),
    timeoutHint: (e) => inner.timeoutHint(e),
    compact: (s, o) => inner.compact(s, o),
  };
  const batch = inner.handleEventBatch?.bind(inner);
  if (options.batches !== false && batch !== undefined) {
    return {
      handler: {
        ...handler,
        handleEventBatch: async (r, deliveries: readonly BatchDelivery<LedgerEvent>[], o) => {
          calls.batches.push({ size: deliveries.length, currents: deliveries.map((d) => d.current as Version), nexts: deliveries.map((d) => d.next as Version) });
          const result = await batch(r, deliveries, o);
          return options.hideStoredVersion === true && result.stopped?.reason === "conflict"
            ? { ...result, stopped: { ...result.stopped, storedVersion: undefined } }
            : result;
        },
      },
      calls,
    };
  }
  return { handler, calls };
}
