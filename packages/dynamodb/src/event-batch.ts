import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type {
  BatchDelivery as CoreBatchDelivery,
  BatchResult as CoreBatchResult,
  BatchStop as CoreBatchStop,
  ProjectionEvent,
  Version,
} from "@projectionkit/core";
import type { TransactionBudget } from "./transaction-limits.js";

/**
 * One event of a batch.
 *
 * @deprecated Import `BatchDelivery` from `@projectionkit/core`; this alias will be removed in the
 *   next minor release.
 *
 * @typeParam E - the event type.
 *
 * @example
 * ```ts
 * import type { BatchDelivery } from "@projectionkit/core";
 * const delivery: BatchDelivery<AccountEvent> = { ...streamEventVersions("acc-1", 3), event, scope: createEventScope() };
 * ```
 */
export type BatchDelivery<E extends ProjectionEvent = ProjectionEvent> = CoreBatchDelivery<E>;

/**
 * Where and why a batch stopped before its end.
 *
 * @deprecated Import `BatchStop` from `@projectionkit/core`; this alias will be removed in the
 *   next minor release.
 *
 * @example
 * ```ts
 * import type { BatchStop } from "@projectionkit/core";
 * const stop: BatchStop | undefined = result.stopped;
 * ```
 */
export type BatchStop = CoreBatchStop;

/**
 * The outcome of `handleEventBatch`.
 *
 * @deprecated Import `BatchResult` from `@projectionkit/core`; this alias will be removed in the
 *   next minor release.
 *
 * @example
 * ```ts
 * import type { BatchResult } from "@projectionkit/core";
 * const { applied, requests, stopped }: BatchResult = await projection.handleEventBatch(r, deliveries);
 * ```
 */
export type BatchResult = CoreBatchResult;

/**
 * A run of consecutive deliveries committed by one request: the version write goes from the
 * `current` of its first delivery to the `next` of its last.
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
 * The runs of a batch, to be sent in order, and where planning stopped early, if it did: the
 * delivery whose actions could not be had (the handler threw or returned malformed actions) or do
 * not fit a transaction even alone. The runs before it can still be sent.
 *
 * @internal
 */
export interface BatchPlan {
  readonly runs: readonly BatchRun[];
  readonly failure: { readonly index: number; readonly error: unknown } | undefined;
}

/**
 * Where a plan gets the actions of its events, and the budget of a transaction.
 *
 * @internal
 */
export interface BatchItemSource {
  /** The checked actions of delivery `index` alone (the handler's `handleEvent`). */
  itemsOf(index: number): Promise<readonly TransactWriteItem[]>;
  /** The checked actions of `count` (two or more) deliveries from `first` (`handleEvents`), if the handler coalesces. */
  readonly itemsOfRun: ((first: number, count: number) => Promise<readonly TransactWriteItem[]>) | undefined;
  /** A fresh budget holding the version write from `current` to `next`. */
  budgetFor(current: Version, next: Version): TransactionBudget;
}

type PlannedDelivery = { readonly current: Version; readonly next: Version };

/**
 * Splits consecutive deliveries into as few runs as DynamoDB's transaction limits allow (D10,
 * D16). Without coalescing, a run grows while the next event's actions still fit its transaction
 * (count, size, one action per item). With coalescing, a run is the longest one from its first
 * delivery whose coalesced actions fit: the whole rest first, then by bisection; a run of one uses
 * the event's own actions.
 *
 * @param deliveries - the checked deliveries, consecutive.
 * @param source - the actions and budgets.
 * @returns the runs, and where planning stopped early if it did.
 * @internal
 */
export async function planBatch(deliveries: readonly PlannedDelivery[], source: BatchItemSource): Promise<BatchPlan> {
  const { itemsOfRun } = source;
  return itemsOfRun === undefined ? planConcatenated(deliveries, source) : planCoalesced(deliveries, source, itemsOfRun);
}

async function planConcatenated(deliveries: readonly PlannedDelivery[], source: BatchItemSource): Promise<BatchPlan> {
  const runs: BatchRun[] = [];
  let run: { first: number; count: number; current: Version; next: Version; items: TransactWriteItem[] } | undefined;
  let budget: TransactionBudget | undefined;
  for (const [index, delivery] of deliveries.entries()) {
    try {
      const items = await source.itemsOf(index);
      if (run !== undefined && budget !== undefined && budget.check(items).fits) {
        budget.add(items);
        run.count++;
        run.next = delivery.next;
        run.items.push(...items);
        continue;
      }
      if (run !== undefined) {
        runs.push(run);
        run = undefined;
      }
      budget = source.budgetFor(delivery.current, delivery.next);
      // Throws the limit's typed error when the event's actions do not fit a transaction alone.
      budget.add(items);
      run = { first: index, count: 1, current: delivery.current, next: delivery.next, items: [...items] };
    } catch (error) {
      return { runs: run === undefined ? runs : [...runs, run], failure: { index, error } };
    }
  }
  return { runs: run === undefined ? runs : [...runs, run], failure: undefined };
}

async function planCoalesced(
  deliveries: readonly PlannedDelivery[],
  source: BatchItemSource,
  itemsOfRun: (first: number, count: number) => Promise<readonly TransactWriteItem[]>,
): Promise<BatchPlan> {
  const runs: BatchRun[] = [];
  let first = 0;
  while (first < deliveries.length) {
    try {
      const run = await longestRun(deliveries, first, source, itemsOfRun);
      runs.push(run);
      first += run.count;
    } catch (error) {
      return { runs, failure: { index: first, error } };
    }
  }
  return { runs, failure: undefined };
}

/** The longest run from `first` whose coalesced actions fit one transaction; at least one delivery. */
async function longestRun(
  deliveries: readonly PlannedDelivery[],
  first: number,
  source: BatchItemSource,
  itemsOfRun: (first: number, count: number) => Promise<readonly TransactWriteItem[]>,
): Promise<BatchRun> {
  const run = (count: number, items: readonly TransactWriteItem[]): BatchRun => ({
    first,
    count,
    current: (deliveries[first] as PlannedDelivery).current,
    next: (deliveries[first + count - 1] as PlannedDelivery).next,
    items,
  });
  const coalesced = async (count: number): Promise<readonly TransactWriteItem[] | undefined> => {
    const items = await itemsOfRun(first, count);
    const { current, next } = run(count, items);
    const budget = source.budgetFor(current, next);
    const check = budget.check(items);
    if (!check.fits && check.reason === "version-item") {
      // No shorter run can mend a projection that writes the version item: its typed error.
      budget.add(items);
    }
    return check.fits ? items : undefined;
  };
  let fitting = 1;
  let fittingItems: readonly TransactWriteItem[] | undefined;
  let tooLong = deliveries.length - first + 1;
  if (tooLong - 1 >= 2) {
    const all = await coalesced(tooLong - 1);
    if (all !== undefined) {
      return run(tooLong - 1, all);
    }
    tooLong--;
  }
  while (tooLong - fitting > 1) {
    const middle = Math.floor((fitting + tooLong) / 2);
    const items = await coalesced(middle);
    if (items === undefined) {
      tooLong = middle;
    } else {
      fitting = middle;
      fittingItems = items;
    }
  }
  if (fittingItems !== undefined) {
    return run(fitting, fittingItems);
  }
  const items = await source.itemsOf(first);
  const { current, next } = run(1, items);
  // Throws the limit's typed error when the event's actions do not fit a transaction alone.
  source.budgetFor(current, next).add(items);
  return run(1, items);
}
