import type { ProjectionMessageHandler, ProjectionEvent } from "@projectionkit/core";

/**
 * What one call of a handler's `configure` declared (H1).
 *
 * @example
 * ```ts
 * const declared: DeclaredConfiguration = { identities: [{ name: "probe", key: "…" }], eventTypes: ["ProbeRecorded"] };
 * ```
 */
export interface DeclaredConfiguration {
  /** Every identity declared, in order. */
  readonly identities: ReadonlyArray<{ readonly name: string; readonly key: string }>;
  /** Every event type declared, in order. */
  readonly eventTypes: readonly string[];
}

/**
 * Calls `configure` once and records what it declared.
 *
 * @param handler - the handler.
 * @returns its declarations.
 *
 * @example
 * ```ts
 * expect(declaredConfiguration(handler)).toEqual(declaredConfiguration(handler));
 * ```
 */
export function declaredConfiguration<E extends ProjectionEvent>(handler: ProjectionMessageHandler<E>): DeclaredConfiguration {
  const identities: Array<{ name: string; key: string }> = [];
  const eventTypes: string[] = [];
  handler.configure({
    identity: (name, key) => identities.push({ name, key }),
    handlesEvents: (...types) => eventTypes.push(...types),
  });
  return { identities, eventTypes };
}
