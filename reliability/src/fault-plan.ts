import { isProjectionKitError } from "@projectionkit/core";

/**
 * The faults of the soak:
 * - `throttled`: DynamoDB's `ThrottlingException`, before sending (nothing reached the store);
 * - `refused`: the connection was refused (`ECONNREFUSED`): nothing reached the store;
 * - `lost`: the request reached the store and committed, then the answer was lost;
 * - `conflict`: a `TransactionCanceledException` with a `TransactionConflict` reason, before
 *   sending (transactions only).
 */
export type FaultKind = "throttled" | "refused" | "lost" | "conflict";

/** The chance of each fault per request. */
export type FaultRates = Readonly<Record<FaultKind, number>>;

/** How many faults of each kind were injected. */
export type FaultCounts = Record<FaultKind, number>;

/** The rates: 5% throttled, 5% refused, 2% lost after commit, 1% transaction conflict. */
export const SOAK_FAULT_RATES: FaultRates = Object.freeze({ throttled: 0.05, refused: 0.05, lost: 0.02, conflict: 0.01 });

const KINDS: readonly FaultKind[] = ["throttled", "refused", "lost", "conflict"];

/**
 * Counts of zero.
 *
 * @returns a fresh record.
 *
 * @example
 * ```ts
 * const injected = emptyFaultCounts();
 * ```
 */
export function emptyFaultCounts(): FaultCounts {
  return { throttled: 0, refused: 0, lost: 0, conflict: 0 };
}

/**
 * Draws the fault of one request: one number in [0, 1) against the rates laid end to end, so that
 * each kind keeps its own rate. A kind the request cannot have (a conflict on a read) is no fault.
 *
 * @param rates - the chance of each kind.
 * @param random - the random generator.
 * @param possible - which kinds this request can have.
 * @returns the fault, or `undefined`.
 *
 * @example
 * ```ts
 * const fault = drawFault(SOAK_FAULT_RATES, random, (kind) => kind !== "conflict" || isTransaction);
 * ```
 */
export function drawFault(rates: FaultRates, random: () => number, possible: (kind: FaultKind) => boolean): FaultKind | undefined {
  let dice = random();
  for (const kind of KINDS) {
    if (dice < rates[kind]) {
      return possible(kind) ? kind : undefined;
    }
    dice -= rates[kind];
  }
  return undefined;
}

/**
 * Adds counts into a total.
 *
 * @param total - where to add.
 * @param more - what to add.
 *
 * @example
 * ```ts
 * addFaultCounts(all, worker.injected);
 * ```
 */
export function addFaultCounts(total: FaultCounts, more: Readonly<FaultCounts>): void {
  for (const kind of KINDS) {
    total[kind] += more[kind];
  }
}

/**
 * A fault injected into the memory adapter's commit hooks; the soak's drivers retry it, as they
 * retry its DynamoDB twins.
 *
 * @example
 * ```ts
 * const isRetryable = (error: unknown) => isRetryableError(error) || error instanceof InjectedFault;
 * ```
 */
export class InjectedFault extends Error {
  readonly kind: FaultKind;

  constructor(kind: FaultKind) {
    super(`injected ${kind} fault`);
    this.name = "InjectedFault";
    this.kind = kind;
  }
}

/**
 * How the driver saw a failure: the projectionkit error code (`ERR_THROTTLED` …), else the
 * injected fault's kind, else the error's name.
 *
 * @param error - what an attempt failed with.
 * @returns a label to count by.
 *
 * @example
 * ```ts
 * observed.set(observedFault(error), (observed.get(observedFault(error)) ?? 0) + 1);
 * ```
 */
export function observedFault(error: unknown): string {
  if (isProjectionKitError(error)) {
    return error.code;
  }
  if (error instanceof InjectedFault) {
    return `injected ${error.kind}`;
  }
  return error instanceof Error ? error.name : typeof error;
}
