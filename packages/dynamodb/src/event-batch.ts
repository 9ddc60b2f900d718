import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { ProjectionEventScope, Version, VersionInput } from "@projectionkit/core";
import type { TransactionBudget } from "./transaction-limits.js";

/**
 * One event of a batch: the event with its versions and scope, as `handleEvent` takes them.
 *
 * @typeParam E - the event type.
 *
 * @example
 * ```ts
 * const delivery: BatchDelivery<AccountEvent> = { ...streamEventVersions("acc-1", 3), event, scope: createEventScope() };
 * ```
 */
export interface BatchDelivery<E> {
  /** The version before the event (the previous delivery's `next`). */
  readonly current: VersionInput;
  /** The version after the event. */
  readonly next: VersionInput;
  /** The event. */
  readonly event: E;
  /** Its scope. */
  readonly scope: ProjectionEventScope;
}

/**
 * Where and why a batch stopped before its end.
 *
 * - `conflict`: the stored version was not the `current` of delivery `index`, so it and the rest
 *   were not applied; `storedVersion` is the stored version when DynamoDB returned it.
 * - `error`: the request that starts at delivery `index` failed; `error` says how (an
 *   `AmbiguousCommitError` means that request may have committed).
 *
 * @example
 * ```ts
 * if (result.stopped?.reason === "conflict") resumeFrom(result.stopped.storedVersion);
 * ```
 */
export type BatchStop =
  | { readonly index: number; readonly reason: "conflict"; readonly storedVersion: Version | undefined }
  | { readonly index: number; readonly reason: "error"; readonly error: unknown };

/**
 * The outcome of `handleEventBatch` (D10).
 *
 * @example
 * ```ts
 * const { applied, requests, stopped } = await projection.handleEventBatch(r, deliveries);
 * ```
 */
export interface BatchResult {
  /** How many deliveries, from the first, were applied. */
  readonly applied: number;
  /** How many write requests were sent. */
  readonly requests: number;
  /** Why it stopped early; `undefined` when every delivery was applied. */
  readonly stopped: BatchStop | undefined;
}

/**
 * A run of consecutive deliveries committed by one request.
 *
 * @internal
 */
export interface BatchRun {
  /** The index of its first delivery. */
  readonly first: number;
  /** How many deliveries it covers. */
  readonly count: number;
  readonly current: Version;
  readonly next: Version;
  readonly items: readonly TransactWriteItem[];
}

/**
 * Splits consecutive deliveries into as few runs as the transaction limits allow: a run grows
 * while its actions fit one transaction (count, size, one action per item) and starts anew where
 * they would not.
 *
 * @param deliveries - the checked deliveries with their items.
 * @param budgetFor - a fresh budget holding the version write from `current` to `next`.
 * @throws the budget's typed error when one delivery's items do not fit a transaction on their own.
 * @internal
 */
export function planBatch(
  deliveries: ReadonlyArray<{ readonly current: Version; readonly next: Version; readonly items: readonly TransactWriteItem[] }>,
  budgetFor: (current: Version, next: Version) => TransactionBudget,
): BatchRun[] {
  const runs: BatchRun[] = [];
  let run: { first: number; count: number; current: Version; next: Version; items: TransactWriteItem[] } | undefined;
  let budget: TransactionBudget | undefined;
  for (const [index, delivery] of deliveries.entries()) {
    if (run !== undefined && budget !== undefined && !budget.check(delivery.items).fits) {
      runs.push(run);
      run = undefined;
    }
    if (run === undefined) {
      run = { first: index, count: 0, current: delivery.current, next: delivery.next, items: [] };
      budget = budgetFor(delivery.current, delivery.next);
    }
    budget?.add(delivery.items);
    run.count++;
    run.next = delivery.next;
    run.items.push(...delivery.items);
  }
  if (run !== undefined) {
    runs.push(run);
  }
  return runs;
}
