import type {
  BatchDelivery,
  BatchResult,
  ConditionalWriteOptions,
  ProjectionEvent,
  ProjectionMessageHandler,
  ResourceRepository,
  VersionConflict,
} from "@projectionkit/core";

/**
 * Changes every byte of an array in place. Adding an odd number cycles each byte through all 256
 * values, so applying it to the same bytes twice (two views of one buffer) never restores them.
 *
 * @param array - the array to change.
 *
 * @example
 * ```ts
 * scribble(version); // every byte of version is now different
 * ```
 */
export function scribble(array: Uint8Array): void {
  for (let i = 0; i < array.length; i++) {
    array[i] = ((array[i] as number) + 0x55) & 0xff;
  }
}

/**
 * The arrays of one call that the kit changes once the call has settled (clause K10): the copies
 * it passed in and the arrays it got back. The caller gets copies of what came back, so the kit's
 * own checks see the values as they were returned.
 */
class CallArrays {
  readonly #arrays = new Set<Uint8Array>();

  /** A copy of an argument to pass to the backend; anything else (a bad argument) unchanged. */
  passIn<T>(value: T): T {
    if (!(value instanceof Uint8Array)) {
      return value;
    }
    const copy = new Uint8Array(value);
    this.#arrays.add(copy);
    return copy as T;
  }

  /** Remembers a returned array and gives the caller a copy of it. */
  takeBack<T>(value: T): T {
    if (!(value instanceof Uint8Array)) {
      return value;
    }
    this.#arrays.add(value);
    return new Uint8Array(value) as T;
  }

  /** The options with `onConflict` wrapped so that the conflict's arrays are taken back. */
  options<O extends ConditionalWriteOptions | undefined>(options: O): O {
    const onConflict = (options as ConditionalWriteOptions | undefined)?.onConflict;
    if (typeof onConflict !== "function") {
      return options;
    }
    return {
      ...options,
      onConflict: (conflict: VersionConflict) =>
        onConflict({
          resource: this.takeBack(conflict.resource),
          expectedVersion: this.takeBack(conflict.expectedVersion),
          storedVersion: this.takeBack(conflict.storedVersion),
        }),
    } as O;
  }

  /** Copies of the deliveries' versions, for the backend; anything else unchanged. */
  passInDeliveries<E extends ProjectionEvent>(deliveries: readonly BatchDelivery<E>[]): readonly BatchDelivery<E>[] {
    if (!Array.isArray(deliveries)) {
      return deliveries;
    }
    return deliveries.map((delivery: unknown) =>
      typeof delivery === "object" && delivery !== null
        ? { ...(delivery as BatchDelivery<E>), current: this.passIn((delivery as BatchDelivery<E>).current), next: this.passIn((delivery as BatchDelivery<E>).next) }
        : (delivery as BatchDelivery<E>),
    );
  }

  /** The result of a batch with the stored version of its conflict taken back. */
  takeBackBatchResult(result: BatchResult): BatchResult {
    const stopped = result?.stopped;
    if (stopped?.reason !== "conflict") {
      return result;
    }
    return { ...result, stopped: { ...stopped, storedVersion: this.takeBack(stopped.storedVersion) } };
  }

  /** Changes every array of the call. */
  scribbleAll(): void {
    for (const array of this.#arrays) {
      scribble(array);
    }
  }
}

async function checkedCall<T>(call: (arrays: CallArrays) => Promise<T>): Promise<T> {
  const arrays = new CallArrays();
  try {
    return arrays.takeBack(await call(arrays));
  } finally {
    arrays.scribbleAll();
  }
}

/**
 * Wraps a repository so that every call checks ownership (clauses R7, K10): the backend gets
 * copies of the arrays, and once the call has settled the kit changes those copies and every
 * array the call returned or reported through `onConflict`. A backend that kept or handed out one
 * of them shows the change on its next read, and the kit's checks catch it.
 *
 * @param repository - the repository under test.
 * @returns the same contract, checking ownership.
 *
 * @example
 * ```ts
 * const repository = ownershipCheckedRepository(backend.repository);
 * ```
 */
export function ownershipCheckedRepository(repository: ResourceRepository): ResourceRepository {
  return {
    resourceVersion: (resource, options) => checkedCall((arrays) => repository.resourceVersion(arrays.passIn(resource), options)),
    storeResourceVersion: (resource, version, options) =>
      checkedCall((arrays) => repository.storeResourceVersion(arrays.passIn(resource), arrays.passIn(version), options)),
    updateResourceVersion: (resource, current, next, options) =>
      checkedCall((arrays) => repository.updateResourceVersion(arrays.passIn(resource), arrays.passIn(current), arrays.passIn(next), arrays.options(options))),
    deleteResource: (resource, options) => checkedCall((arrays) => repository.deleteResource(arrays.passIn(resource), options)),
  };
}

/**
 * Wraps a projection handler so that every call checks ownership, like
 * {@link ownershipCheckedRepository}: `handleEvent`, `handleEventBatch` (when the handler has it),
 * `resourceVersion` and `closeResource` get copies, and the copies, the results and the arrays
 * reported through `onConflict` or in a batch's conflict are changed once the call has settled.
 *
 * @param handler - the handler under test.
 * @returns the same contract, checking ownership.
 *
 * @example
 * ```ts
 * const handler = ownershipCheckedHandler(backend.handler);
 * ```
 */
export function ownershipCheckedHandler<E extends ProjectionEvent>(handler: ProjectionMessageHandler<E>): ProjectionMessageHandler<E> {
  const batch = handler.handleEventBatch?.bind(handler);
  return {
    ...(batch === undefined
      ? {}
      : {
          handleEventBatch: (resource, deliveries, options) =>
            checkedCall(async (arrays) => arrays.takeBackBatchResult(await batch(arrays.passIn(resource), arrays.passInDeliveries(deliveries), options))),
        }),
    configure: (configurer) => handler.configure(configurer),
    handleEvent: (resource, current, next, scope, event, options) =>
      checkedCall((arrays) => handler.handleEvent(arrays.passIn(resource), arrays.passIn(current), arrays.passIn(next), scope, event, arrays.options(options))),
    resourceVersion: (resource, options) => checkedCall((arrays) => handler.resourceVersion(arrays.passIn(resource), options)),
    closeResource: (resource, options) => checkedCall((arrays) => handler.closeResource(arrays.passIn(resource), options)),
    timeoutHint: (event) => handler.timeoutHint(event),
    compact: (scope, options) => handler.compact(scope, options),
  };
}
