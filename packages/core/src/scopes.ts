/**
 * Receives the messages a handler logs through its scope. The default discards them.
 *
 * @example
 * ```ts
 * const logger: ScopeLogger = (message, ...args) => console.debug(message, ...args);
 * ```
 */
export type ScopeLogger = (message: string, ...args: unknown[]) => void;

/**
 * What a handler learns about the event it is handling, besides the event itself.
 *
 * @example
 * ```ts
 * handleEvent(state, scope, event) {
 *   scope.log("applying %s recorded at %s", event.type, scope.recordedAt.toISOString());
 * }
 * ```
 */
export interface ProjectionEventScope {
  /** When the event was recorded at its source. */
  readonly recordedAt: Date;
  /**
   * Whether this is the primary delivery of the event. Always `true` for unicast delivery; under
   * broadcast delivery, `true` on exactly one handler instance.
   */
  readonly isPrimaryDelivery: boolean;
  /**
   * Logs an informational message in the engine's log, in the context of this event.
   *
   * @param message - the message; may contain `%s`-style placeholders for `args`.
   * @param args - values for the placeholders.
   */
  log(message: string, ...args: unknown[]): void;
}

/**
 * What a handler learns when it is asked to compact its data.
 *
 * @example
 * ```ts
 * compact(state, scope) {
 *   const cutoff = scope.now().getTime() - 86_400_000;
 *   scope.log("dropping entries older than %d", cutoff);
 * }
 * ```
 */
export interface ProjectionCompactScope {
  /** The engine's current time (tests may fake it). */
  now(): Date;
  /**
   * Logs an informational message in the engine's log, in the context of this compaction.
   *
   * @param message - the message; may contain `%s`-style placeholders for `args`.
   * @param args - values for the placeholders.
   */
  log(message: string, ...args: unknown[]): void;
}

/**
 * What {@link createEventScope} accepts; every field has a default.
 *
 * @example
 * ```ts
 * const init: EventScopeInit = { recordedAt: new Date("2026-01-01T00:00:00Z") };
 * ```
 */
export interface EventScopeInit {
  /** Default: the time of the call. */
  readonly recordedAt?: Date | undefined;
  /** Default: `true`. */
  readonly isPrimaryDelivery?: boolean | undefined;
  /** Default: discard log messages. */
  readonly logger?: ScopeLogger | undefined;
}

/**
 * What {@link createCompactScope} accepts; every field has a default.
 *
 * @example
 * ```ts
 * const init: CompactScopeInit = { now: () => new Date("2026-01-01T00:00:00Z") };
 * ```
 */
export interface CompactScopeInit {
  /** Default: the system clock. */
  readonly now?: (() => Date) | undefined;
  /** Default: discard log messages. */
  readonly logger?: ScopeLogger | undefined;
}

const discard: ScopeLogger = () => {};

/**
 * Makes an event scope, as an engine (or a test) passes to `handleEvent`.
 *
 * @param init - the fields to set; the rest take their defaults.
 * @returns a scope.
 *
 * @example
 * ```ts
 * const scope = createEventScope({ recordedAt: new Date(event.at) });
 * await handler.handleEvent(r, c, n, scope, event);
 * ```
 */
export function createEventScope(init: EventScopeInit = {}): ProjectionEventScope {
  const logger = init.logger ?? discard;
  return {
    recordedAt: init.recordedAt ?? new Date(),
    isPrimaryDelivery: init.isPrimaryDelivery ?? true,
    log: (message, ...args) => logger(message, ...args),
  };
}

/**
 * Makes a compact scope, as an engine (or a test) passes to `compact`.
 *
 * @param init - the fields to set; the rest take their defaults.
 * @returns a scope.
 *
 * @example
 * ```ts
 * await handler.compact(createCompactScope({ now: () => fakeClock.now() }));
 * ```
 */
export function createCompactScope(init: CompactScopeInit = {}): ProjectionCompactScope {
  const logger = init.logger ?? discard;
  const now = init.now ?? (() => new Date());
  return {
    now: () => now(),
    log: (message, ...args) => logger(message, ...args),
  };
}
