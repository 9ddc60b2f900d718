import type { DynamoDBClient, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { OperationOptions, ProjectionCompactScope, ProjectionEvent, ProjectionEventScope, ProjectionLogic } from "@projectionkit/core";

/**
 * The projection logic a user writes for DynamoDB (D4): for each event, the transaction actions to
 * apply to the read model. {@link dynamoProjection} commits them in one `TransactWriteItems`
 * together with the version write, or, when there are none, commits the version alone with one
 * single-item write.
 *
 * `handleEvent` must not write anything itself and should have no side effects: it runs before
 * the version check (its actions are part of the same request), so it also runs for events that
 * turn out to be duplicates, and again on retries. For items that many events of one stream update
 * (balances, counters), also give `handleEvents`, which returns the actions of a whole run of
 * events at once (D16).
 *
 * @typeParam E - the events it consumes.
 *
 * @example
 * ```ts
 * const balances: DynamoProjectionHandler<AccountEvent> = {
 *   configure(c) {
 *     c.identity("balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("MoneyDeposited");
 *   },
 *   handleEvent(_scope, event) {
 *     return [
 *       documentItem({
 *         Update: {
 *           TableName: "Balances",
 *           Key: { account: event.account },
 *           UpdateExpression: "ADD balance :amount",
 *           ExpressionAttributeValues: { ":amount": event.amount },
 *         },
 *       }),
 *     ];
 *   },
 * };
 * ```
 */
export interface DynamoProjectionHandler<E extends ProjectionEvent = ProjectionEvent> extends ProjectionLogic<E> {
  /**
   * Returns the actions that apply `event` to the read model (may be none). Use `documentItem`
   * to write them with plain values. Up to 99 actions (the version write is the 100th).
   *
   * @param scope - the event's context.
   * @param event - the event, of a declared type.
   * @param options - the caller's abort signal.
   * @returns the actions, or nothing.
   */
  handleEvent(
    scope: ProjectionEventScope,
    event: E,
    options: OperationOptions,
  ): readonly TransactWriteItem[] | void | Promise<readonly TransactWriteItem[] | void>;

  /**
   * Optional coalescing (D16): returns the actions that apply a whole run of consecutive events of
   * one resource at once, e.g. one `ADD balance :sum` for 200 deposits instead of 200 updates of
   * one item. `handleEventBatch` uses it for every run of two or more events; a run of one event,
   * and every `handleEvent` call of the projection, use {@link DynamoProjectionHandler.handleEvent}.
   *
   * The actions must have the effect of applying each event's `handleEvent` actions in order, and
   * must touch each item at most once. They commit with the version write of the run (from the
   * version before its first event to the version after its last) in one `TransactWriteItems`, so
   * the run applies as a unit or not at all. When they do not fit one transaction (over 99
   * actions, over 4 MB, two actions on one item), the adapter calls it again on the longest run
   * from the same first event that fits, found by bisection, and carries on after it. Like
   * `handleEvent`, it must not write anything itself and should have no side effects.
   *
   * Write it for hot items: balances, counters, "latest state" documents, where each event of a
   * stream updates the same item and DynamoDB allows one action per item and transaction.
   *
   * @param deliveries - two or more consecutive events of one resource, in order, with their
   *   scopes.
   * @param options - the caller's abort signal.
   * @returns the actions of the whole run, or nothing.
   *
   * @example
   * ```ts
   * handleEvents(deliveries) {
   *   const sum = deliveries.reduce((total, { event }) => total + event.amount, 0);
   *   return [documentItem({ Update: { TableName: "Balances", Key: { account: deliveries[0]!.event.account }, UpdateExpression: "ADD balance :sum", ExpressionAttributeValues: { ":sum": sum } } })];
   * }
   * ```
   */
  handleEvents?(
    deliveries: readonly EventDelivery<E>[],
    options: OperationOptions,
  ): readonly TransactWriteItem[] | void | Promise<readonly TransactWriteItem[] | void>;

  /**
   * Shrinks the read model in small steps (H5). Not covered by the version check: it gets the
   * client and works on its own tables.
   *
   * @param client - the client the projection was bound to.
   * @param scope - the compaction's context.
   * @param options - the caller's abort signal.
   */
  compact?(client: DynamoDBClient, scope: ProjectionCompactScope, options: OperationOptions): Promise<void>;
}

/**
 * One event of a run that {@link DynamoProjectionHandler.handleEvents} coalesces: the event and its
 * scope, as `handleEvent` receives them.
 *
 * @typeParam E - the event type.
 *
 * @example
 * ```ts
 * const total = deliveries.reduce((sum, delivery: EventDelivery<Deposited>) => sum + delivery.event.amount, 0);
 * ```
 */
export interface EventDelivery<E extends ProjectionEvent = ProjectionEvent> {
  /** The event, of a declared type. */
  readonly event: E;
  /** Its scope. */
  readonly scope: ProjectionEventScope;
}
