import { randomUUID } from "node:crypto";
import {
  InvalidArgumentError,
  readProjectionConfiguration,
  requireConditionalWriteOptions,
  requireHandledEvent,
  requireOperationOptions,
  requireResource,
  requireVersion,
  versionsEqual,
  type BatchDelivery,
  type BatchResult,
  type BatchStop,
  type ConditionalWriteOptions,
  type ProjectionConfigurer,
  type ProjectionMessageHandler,
  type Resource,
  type Version,
} from "@projectionkit/core";
import { PROBE_EVENT_TYPE, type BackendContext, type FaultKind, type ProbeEvent, type ProjectionBackend } from "@projectionkit/conformance";
import { BrokenVersionStore } from "./broken-version-store.js";
import type { Mutation } from "./catalogue.js";
import { SerialLock } from "./serial-lock.js";

/** The error the probe's own failed write rejects with (what `isUserItemFailure` recognises). */
export class ProbeItemFailedError extends Error {
  override readonly name = "ProbeItemFailedError";
}

const IDENTITY_KEY = "0b7c1a52-6a0e-4a8e-9e0f-3c2d1b4a5f60";

/** How many deliveries of a batch go in one request, like a store with a limit per transaction. */
const DELIVERIES_PER_REQUEST = 2;

/** A checked delivery of a batch. */
interface Delivery {
  readonly current: Version;
  readonly next: Version;
  readonly event: ProbeEvent;
}

/** Checks a batch's deliveries as `ProjectionHandlerBase` does: versions, consecutive, declared events. */
function checkedDeliveries(deliveries: readonly BatchDelivery<ProbeEvent>[], check: (event: ProbeEvent, argument: string) => void): Delivery[] {
  if (!Array.isArray(deliveries)) {
    throw new InvalidArgumentError("deliveries", "expected an array");
  }
  return deliveries.map((delivery, index, all) => {
    const current = requireVersion(delivery.current, `deliveries[${index}].current`);
    const next = requireVersion(delivery.next, `deliveries[${index}].next`);
    const previous = all[index - 1];
    if (previous !== undefined && !versionsEqual(requireVersion(previous.next), current)) {
      throw new InvalidArgumentError(`deliveries[${index}].current`, "expected the previous delivery's next version");
    }
    check(delivery.event, `deliveries[${index}].event`);
    return { current, next, event: delivery.event };
  });
}

/**
 * The probe projection (see `ProbeEvent`) with the given mutation, with fault injection.
 *
 * @example
 * ```ts
 * const backend = brokenProjection("two-step-write", { pause: async () => {} });
 * ```
 */
export function brokenProjection(mutation: Mutation, { pause }: BackendContext): ProjectionBackend {
  const store = new BrokenVersionStore(mutation);
  const lists = new Map<string, string[]>();
  const lock = new SerialLock();
  const pending: FaultKind[] = [];
  const takeFault = (kind: FaultKind): boolean => {
    if (pending[0] === kind) {
      pending.shift();
      return true;
    }
    return false;
  };
  const configureWith =
    (key: () => string) =>
    (configurer: ProjectionConfigurer<ProbeEvent>): void => {
      configurer.identity("broken-probe", key());
      configurer.handlesEvents(PROBE_EVENT_TYPE);
    };
  // The binding reads a stable configuration; the mutant's handler answers differently afterwards.
  const configuration = readProjectionConfiguration({ configure: configureWith(() => IDENTITY_KEY) });
  const configure = configureWith(mutation === "unstable-configure" ? randomUUID : () => IDENTITY_KEY);
  const apply = (event: ProbeEvent): void => {
    lists.set(event.list, [...(lists.get(event.list) ?? []), event.id]);
  };
  const commit = async (resource: Resource, current: Version, next: Version, event: ProbeEvent, options: ConditionalWriteOptions): Promise<boolean> => {
    if (!store.matches(resource, current)) {
      options.onConflict?.({ resource, expectedVersion: current, storedVersion: store.conflictVersion(resource, current) });
      return false;
    }
    if (mutation === "two-step-write") {
      store.write(resource, next);
    }
    await pause();
    if (event.failUserItem === true) {
      throw mutation === "misreports-item-failure"
        ? Object.assign(new Error(`timed out writing ${event.id}`), { name: "TimeoutError" })
        : new ProbeItemFailedError(`the probe's own write for ${event.id} failed its condition`);
    }
    if (takeFault("before-commit")) {
      throw new Error("injected: before commit");
    }
    if (mutation !== "two-step-write") {
      store.write(resource, next);
    }
    apply(event);
    if (takeFault("lost-response")) {
      throw new Error("injected: the response was lost");
    }
    return true;
  };
  /** One request of a batch: all its deliveries or none, under the lock like a single event. */
  const commitRequest = async (resource: Resource, request: readonly Delivery[], conditional: boolean): Promise<BatchStop | undefined> => {
    const first = request[0] as Delivery;
    const last = request.at(-1) as Delivery;
    const matches =
      mutation === "batch-reapplies-redelivered-prefix" ? request.some((d) => store.matches(resource, d.current)) : store.matches(resource, first.current);
    if (conditional && !matches) {
      return { index: 0, reason: "conflict", storedVersion: store.conflictVersion(resource, first.current) };
    }
    await pause();
    const failing = request.find((d) => d.event.failUserItem === true);
    if (failing !== undefined) {
      return { index: 0, reason: "error", error: new ProbeItemFailedError(`the probe's own write for ${failing.event.id} failed its condition`) };
    }
    if (takeFault("before-commit")) {
      return { index: 0, reason: "error", error: new Error("injected: before commit") };
    }
    store.write(resource, mutation === "batch-version-from-first" ? first.next : last.next);
    if (mutation === "batch-last-write-wins") {
      // Every event's change is made against the lists as they were before the request.
      const before = new Map([...lists].map(([list, ids]) => [list, [...ids]]));
      for (const { event } of request) {
        lists.set(event.list, [...(before.get(event.list) ?? []), event.id]);
      }
    } else {
      request.forEach(({ event }) => apply(event));
    }
    if (takeFault("lost-response")) {
      return { index: 0, reason: "error", error: new Error("injected: the response was lost") };
    }
    return undefined;
  };
  const handleEventBatch = async (resource: Resource, deliveries: readonly Delivery[], signal: AbortSignal | undefined): Promise<BatchResult> => {
    const whole = mutation === "batch-version-from-first" || mutation === "batch-reapplies-redelivered-prefix";
    const perRequest = whole ? deliveries.length : DELIVERIES_PER_REQUEST;
    let firstStop: BatchStop | undefined;
    let requests = 0;
    for (let start = 0; start < deliveries.length; start += perRequest) {
      if (signal?.aborted === true) {
        return { applied: start, requests, stopped: { index: start, reason: "error", error: signal.reason } };
      }
      const request = deliveries.slice(start, start + perRequest);
      const conditional = mutation !== "batch-unconditional-after-first-request" || start === 0;
      requests++;
      const stop = await lock.run(() => commitRequest(resource, request, conditional));
      if (stop !== undefined) {
        firstStop ??= { ...stop, index: start };
        if (mutation !== "batch-continues-after-conflict" || stop.reason !== "conflict") {
          break;
        }
      }
    }
    return { applied: firstStop?.index ?? deliveries.length, requests, stopped: firstStop };
  };
  const handler: ProjectionMessageHandler<ProbeEvent> = {
    configure,
    async handleEvent(resource, current, next, _scope, event, options) {
      requireResource(resource);
      const c = requireVersion(current, "current");
      const n = requireVersion(next, "next");
      if (mutation !== "accepts-undeclared-events") {
        requireHandledEvent(configuration, event);
      }
      const checked = requireConditionalWriteOptions(options);
      return mutation === "read-then-write" ? commit(resource, c, n, event, checked) : lock.run(() => commit(resource, c, n, event, checked));
    },
    async handleEventBatch(resource, deliveries, options) {
      requireResource(resource);
      const checked = checkedDeliveries(deliveries, (event, argument) => {
        if (mutation !== "accepts-undeclared-events") {
          requireHandledEvent(configuration, event, argument);
        }
      });
      const { signal } = requireOperationOptions(options);
      return handleEventBatch(resource, checked, signal);
    },
    async resourceVersion(resource, options) {
      requireResource(resource);
      requireOperationOptions(options);
      return store.read(resource);
    },
    async closeResource(resource, options) {
      requireResource(resource);
      requireOperationOptions(options);
      store.delete(resource);
    },
    timeoutHint: () => 0,
    async compact(_scope, options) {
      requireOperationOptions(options);
      if (mutation === "compact-loses-data") {
        for (const [list, ids] of lists) {
          lists.set(list, ids.slice(-1));
        }
      }
    },
  };
  return {
    handler,
    readList: async (list) => lists.get(list) ?? [],
    isUserItemFailure: (error) => error instanceof ProbeItemFailedError,
    faults: {
      inject: (kind, times = 1) => pending.push(...Array.from({ length: times }, () => kind)),
      reset: () => pending.splice(0),
    },
  };
}
