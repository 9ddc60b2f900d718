import { InvalidArgumentError } from "../errors/argument-errors.js";
import { requireKnownKeys } from "../option-keys.js";
import { receivedValue } from "./received-value.js";

/**
 * How the driver retries retryable failures (clause G3): bounded exponential backoff with full
 * jitter (a delay drawn uniformly from 0 to min(maxDelayMs, baseDelayMs × 2^(retry − 1))); and
 * how many conflicts an event may meet while other writers move its stream's version.
 *
 * @example
 * ```ts
 * const retry: RetryPolicy = { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 1_000, maxConflicts: 50 };
 * ```
 */
export interface RetryPolicy {
  /** Attempts per delivery, the first included. Default 5. */
  readonly maxAttempts?: number | undefined;
  /** The first backoff's upper bound. Default 50 ms. */
  readonly baseDelayMs?: number | undefined;
  /** The cap of every backoff. Default 2,000 ms. */
  readonly maxDelayMs?: number | undefined;
  /**
   * Conflicts an event may meet before the driver gives up on it with a `VersionKeptMovingError`.
   * Only a conflict whose stored version is neither at nor past the event (another writer applied
   * other events of the stream in between) leads to another attempt, without backoff; a duplicate
   * or a gap settles the event at once. Default 20.
   */
  readonly maxConflicts?: number | undefined;
}

const RETRY_POLICY_KEYS = ["maxAttempts", "baseDelayMs", "maxDelayMs", "maxConflicts"] as const;

/** A {@link RetryPolicy} with every field set. */
export type ResolvedRetryPolicy = Required<{ [K in keyof RetryPolicy]: number }>;

/**
 * Fills in the defaults and checks the values.
 *
 * @param policy - the policy as given.
 * @returns the policy with defaults.
 * @throws `InvalidArgumentError` naming a field that is malformed or unknown (E2).
 *
 * @example
 * ```ts
 * resolveRetryPolicy({ maxAttempts: 3 }); // { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 2000, maxConflicts: 20 }
 * ```
 */
export function resolveRetryPolicy(policy?: RetryPolicy): ResolvedRetryPolicy {
  const given = requireKnownKeys(policy, "options.retry", RETRY_POLICY_KEYS) as RetryPolicy;
  const resolved = {
    maxAttempts: given.maxAttempts ?? 5,
    baseDelayMs: given.baseDelayMs ?? 50,
    maxDelayMs: given.maxDelayMs ?? 2_000,
    maxConflicts: given.maxConflicts ?? 20,
  };
  for (const key of ["maxAttempts", "maxConflicts"] as const) {
    const value: unknown = resolved[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new InvalidArgumentError(`options.retry.${key}`, `expected a positive integer, got ${receivedValue(value)}`);
    }
  }
  for (const key of ["baseDelayMs", "maxDelayMs"] as const) {
    const value: unknown = resolved[key];
    if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`options.retry.${key}`, `expected a non-negative number of milliseconds, got ${receivedValue(value)}`);
    }
  }
  return resolved;
}

/**
 * The backoff before retry number `retry` (1 for the first retry), with full jitter.
 *
 * @param policy - the policy.
 * @param retry - which retry, from 1.
 * @param random - a uniform random number in [0, 1).
 * @returns milliseconds to wait.
 *
 * @example
 * ```ts
 * backoffDelay(resolveRetryPolicy(), 3, Math.random()); // somewhere in [0, 200)
 * ```
 */
export function backoffDelay(policy: ResolvedRetryPolicy, retry: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(ceiling * random);
}

/**
 * Waits, or rejects with the signal's reason as soon as it aborts.
 *
 * @param ms - milliseconds.
 * @param signal - stops the wait.
 * @returns a promise that resolves after `ms`.
 *
 * @example
 * ```ts
 * await sleep(100, controller.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
