import type { ProjectionEvent } from "./projection-event.js";

/**
 * What a handler's `configure` method talks to. The handler declares its identity once and the
 * event types it consumes.
 *
 * @typeParam E - the events of the projection; `handlesEvents` accepts only their type names.
 *
 * @example
 * ```ts
 * configure(configurer: ProjectionConfigurer<AccountEvent>) {
 *   configurer.identity("account-balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *   configurer.handlesEvents("AccountOpened", "MoneyDeposited");
 * }
 * ```
 */
export interface ProjectionConfigurer<E extends ProjectionEvent = ProjectionEvent> {
  /**
   * Declares the handler's identity. Call exactly once.
   *
   * @param name - 1–255 printable characters, no white space.
   * @param key - a UUID string that never changes; storage is keyed by it.
   */
  identity(name: string, key: string): void;

  /**
   * Declares event types the handler consumes. May be called several times; each type once.
   *
   * @param eventTypes - the `type` values of the consumed events.
   */
  handlesEvents(...eventTypes: ReadonlyArray<E["type"]>): void;
}
