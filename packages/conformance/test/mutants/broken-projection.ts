import { randomUUID } from "node:crypto";
import {
  readProjectionConfiguration,
  requireConditionalWriteOptions,
  requireHandledEvent,
  requireOperationOptions,
  requireResource,
  requireVersion,
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
