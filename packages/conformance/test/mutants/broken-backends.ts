import {
  readProjectionConfiguration,
  requireConditionalWriteOptions,
  requireHandledEvent,
  requireOperationOptions,
  requireResource,
  requireVersion,
  versionsEqual,
  type ConditionalWriteOptions,
  type OperationOptions,
  type ProjectionMessageHandler,
  type Resource,
  type ResourceRepository,
  type Version,
  type VersionInput,
} from "@projectionkit/core";
import { PROBE_EVENT_TYPE, type BackendContext, type FaultKind, type ProbeEvent, type ProjectionBackend } from "@projectionkit/conformance";

/**
 * The deliberately broken backends of clause K6, each one small mistake away from a correct
 * backend ("none"). The kit must catch every one of them.
 */
export type Mutation =
  | "none"
  /** Ignores the current version: every update wins. */
  | "ignores-current"
  /** Treats an empty current version as "any version". */
  | "empty-current-matches-any"
  /** Moves the version first, then applies the projection's changes in a second step. */
  | "two-step-write"
  /** Reads the version, awaits, then writes without a condition. */
  | "read-then-write"
  /** Keeps an empty version as a stored value instead of deleting (a poisoned resource). */
  | "keeps-empty-version"
  /** Resolves true for an empty next version but keeps the old version. */
  | "drops-empty-next"
  /** Rejects a failing user item with a misleading error (a timeout) instead of its own. */
  | "misreports-item-failure";

export const MUTATIONS: readonly Mutation[] = [
  "none",
  "ignores-current",
  "empty-current-matches-any",
  "two-step-write",
  "read-then-write",
  "keeps-empty-version",
  "drops-empty-next",
  "misreports-item-failure",
];

/** The error the probe's own failed write rejects with (what `isUserItemFailure` recognises). */
export class ProbeItemFailedError extends Error {
  override readonly name = "ProbeItemFailedError";
}

const EMPTY = new Uint8Array(0);

/** A version store keyed by the resource's hex, with the mutation's idea of matching and writing. */
class VersionTable {
  readonly #versions = new Map<string, Version>();
  readonly #mutation: Mutation;

  constructor(mutation: Mutation) {
    this.#mutation = mutation;
  }

  get(resource: Resource): Version {
    return this.#versions.get(key(resource)) ?? EMPTY;
  }

  matches(resource: Resource, current: Version): boolean {
    const stored = this.#versions.get(key(resource));
    switch (this.#mutation) {
      case "ignores-current":
        return true;
      case "empty-current-matches-any":
        return current.length === 0 || versionsEqual(stored ?? EMPTY, current);
      case "keeps-empty-version":
        return stored === undefined ? current.length === 0 : current.length > 0 && versionsEqual(stored, current);
      default:
        return versionsEqual(stored ?? EMPTY, current);
    }
  }

  set(resource: Resource, next: Version): void {
    if (next.length > 0 || this.#mutation === "keeps-empty-version") {
      this.#versions.set(key(resource), next);
    } else if (this.#mutation !== "drops-empty-next") {
      this.#versions.delete(key(resource));
    }
  }

  delete(resource: Resource): void {
    this.#versions.delete(key(resource));
  }
}

function key(resource: Resource): string {
  return Buffer.from(resource).toString("hex");
}

/** One call at a time, in order: the lock a correct backend holds around check and write. */
class Lock {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => {});
    return result;
  }
}

/**
 * A resource repository with the given mutation.
 *
 * @example
 * ```ts
 * const repository = brokenRepository("read-then-write");
 * ```
 */
export function brokenRepository(mutation: Mutation): ResourceRepository {
  const table = new VersionTable(mutation);
  const lock = new Lock();
  const update = async (resource: Resource, current: Version, next: Version, options: ConditionalWriteOptions): Promise<boolean> => {
    if (!table.matches(resource, current)) {
      options.onConflict?.({ resource, expectedVersion: current, storedVersion: table.get(resource) });
      return false;
    }
    if (mutation === "read-then-write") {
      await new Promise((resolve) => setImmediate(resolve));
    }
    table.set(resource, next);
    return true;
  };
  return {
    async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
      requireResource(resource);
      requireOperationOptions(options);
      return table.get(resource);
    },
    async storeResourceVersion(resource: Resource, version: VersionInput, options?: OperationOptions): Promise<void> {
      requireResource(resource);
      const next = requireVersion(version);
      requireOperationOptions(options);
      table.set(resource, next);
    },
    async updateResourceVersion(resource: Resource, current: VersionInput, next: VersionInput, options?: ConditionalWriteOptions): Promise<boolean> {
      requireResource(resource);
      const c = requireVersion(current, "current");
      const n = requireVersion(next, "next");
      const checked = requireConditionalWriteOptions(options);
      return mutation === "read-then-write" ? update(resource, c, n, checked) : lock.run(() => update(resource, c, n, checked));
    },
    async deleteResource(resource: Resource, options?: OperationOptions): Promise<void> {
      requireResource(resource);
      requireOperationOptions(options);
      table.delete(resource);
    },
  };
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
  const table = new VersionTable(mutation);
  const lists = new Map<string, string[]>();
  const lock = new Lock();
  const pending: FaultKind[] = [];
  const takeFault = (kind: FaultKind): boolean => {
    if (pending[0] === kind) {
      pending.shift();
      return true;
    }
    return false;
  };
  const configurable = {
    configure(configurer: { identity(name: string, key: string): void; handlesEvents(...types: string[]): void }) {
      configurer.identity("broken-probe", "0b7c1a52-6a0e-4a8e-9e0f-3c2d1b4a5f60");
      configurer.handlesEvents(PROBE_EVENT_TYPE);
    },
  };
  const configuration = readProjectionConfiguration(configurable);
  const apply = (event: ProbeEvent): void => {
    const ids = lists.get(event.list) ?? [];
    lists.set(event.list, [...ids, event.id]);
  };
  const commit = async (resource: Resource, current: Version, next: Version, event: ProbeEvent, options: ConditionalWriteOptions): Promise<boolean> => {
    if (!table.matches(resource, current)) {
      options.onConflict?.({ resource, expectedVersion: current, storedVersion: table.get(resource) });
      return false;
    }
    if (mutation === "two-step-write") {
      table.set(resource, next);
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
      table.set(resource, next);
    }
    apply(event);
    if (takeFault("lost-response")) {
      throw new Error("injected: the response was lost");
    }
    return true;
  };
  const handler: ProjectionMessageHandler<ProbeEvent> = {
    configure: (configurer) => configurable.configure(configurer as never),
    async handleEvent(resource, current, next, _scope, event, options) {
      requireResource(resource);
      const c = requireVersion(current, "current");
      const n = requireVersion(next, "next");
      requireHandledEvent(configuration, event);
      const checked = requireConditionalWriteOptions(options);
      return mutation === "read-then-write" ? commit(resource, c, n, event, checked) : lock.run(() => commit(resource, c, n, event, checked));
    },
    async resourceVersion(resource, options) {
      requireResource(resource);
      requireOperationOptions(options);
      return table.get(resource);
    },
    async closeResource(resource, options) {
      requireResource(resource);
      requireOperationOptions(options);
      table.delete(resource);
    },
    timeoutHint: () => 0,
    async compact(_scope, options) {
      requireOperationOptions(options);
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
