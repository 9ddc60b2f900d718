/**
 * The shape of the events a projection consumes: any object with a string `type` discriminant, the
 * usual shape of TypeScript event unions. The handler declares which types it consumes in
 * `configure`; the adapters read `type` to reject undeclared ones (H3).
 *
 * @example
 * ```ts
 * type AccountEvent =
 *   | { type: "AccountOpened"; accountId: string }
 *   | { type: "MoneyDeposited"; accountId: string; amount: number };
 * ```
 */
export interface ProjectionEvent {
  /** The event's type name, as declared with `configurer.handlesEvents(...)`. */
  readonly type: string;
}
