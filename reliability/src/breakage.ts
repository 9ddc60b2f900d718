import type { ProjectionEvent, ProjectionMessageHandler } from "@projectionkit/core";

/**
 * The deliberately broken variants, to show that the checks can fail:
 * - `double`: a decorator skips the version check (it reads the stored version and passes it as
 *   `current`), so every delivery applies: duplicates and redeliveries double.
 * - `split`: the read model is written in a second request after the version commit instead of
 *   in the same one, so a fault or a crash between the two loses the event.
 */
export type Breakage = "none" | "double" | "split";

/**
 * Reads the variant from an environment variable: unset, empty, `0` or `none` is the correct
 * projection; `1` or `double` skips the version check; `split` splits the commit.
 *
 * @param value - the variable's value.
 * @param name - the variable's name, for the error.
 * @returns the variant.
 * @throws Error for another value.
 *
 * @example
 * ```ts
 * const breakage = parseBreakage(process.env["SOAK_BREAK"], "SOAK_BREAK");
 * ```
 */
export function parseBreakage(value: string | undefined, name: string): Breakage {
  switch (value ?? "") {
    case "":
    case "0":
    case "none":
      return "none";
    case "1":
    case "double":
      return "double";
    case "split":
      return "split";
    default:
      throw new Error(`${name}=${String(value)}: expected double (or 1), split, or none (or 0)`);
  }
}

/**
 * The `double` variant: applies every delivery, whatever the stored version, by passing the
 * stored version as `current`. Without `handleEventBatch`, so a driver delivers one event per call.
 *
 * @param inner - a correct projection.
 * @returns the broken projection.
 *
 * @example
 * ```ts
 * const driver = new DeliveryDriver(withoutVersionCheck(projection));
 * ```
 */
export function withoutVersionCheck<E extends ProjectionEvent>(inner: ProjectionMessageHandler<E>): ProjectionMessageHandler<E> {
  return delegate(inner, async (resource, _current, next, scope, event, options) => {
    const stored = await inner.resourceVersion(resource, options?.signal === undefined ? {} : { signal: options.signal });
    return inner.handleEvent(resource, stored, next, scope, event, options);
  });
}

/**
 * The `split` variant: commits the version with a projection that writes no read model, then
 * writes the read model in a request of its own. Without `handleEventBatch`.
 *
 * @param versionOnly - a projection whose commits move the version and write nothing else.
 * @param writeReadModel - writes one event's read-model changes, unconditionally.
 * @returns the broken projection.
 *
 * @example
 * ```ts
 * const broken = splitCommit(dynamoProjection(client, table, versionOnlyHandler), (event) => client.send(writes(event)));
 * ```
 */
export function splitCommit<E extends ProjectionEvent>(
  versionOnly: ProjectionMessageHandler<E>,
  writeReadModel: (event: E, signal: AbortSignal | undefined) => Promise<void>,
): ProjectionMessageHandler<E> {
  return delegate(versionOnly, async (resource, current, next, scope, event, options) => {
    const applied = await versionOnly.handleEvent(resource, current, next, scope, event, options);
    if (applied) {
      await writeReadModel(event, options?.signal);
    }
    return applied;
  });
}

function delegate<E extends ProjectionEvent>(inner: ProjectionMessageHandler<E>, handleEvent: ProjectionMessageHandler<E>["handleEvent"]): ProjectionMessageHandler<E> {
  return {
    configure: (configurer) => inner.configure(configurer),
    handleEvent,
    resourceVersion: (resource, options) => inner.resourceVersion(resource, options),
    closeResource: (resource, options) => inner.closeResource(resource, options),
    timeoutHint: (event) => inner.timeoutHint(event),
    compact: (scope, options) => inner.compact(scope, options),
  };
}
