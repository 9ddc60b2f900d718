import { InvalidArgumentError } from "../errors/argument-errors.js";

/**
 * How the driver retries retryable failures (clause G3): bounded exponential backoff with full
 * jitter (a delay drawn uniformly from 0 to min(maxDelayMs, baseDelayMs × 2^(retry − 1))).
 *
 * @example
 * ```ts
 * const retry: RetryPolicy = { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 1_000 };
 * ```
 */
export interface RetryPolicy {
  /** Attempts per delivery, the first included. Default 5. */
  readonly maxAttempts?: number | undefined;
  /** The first backoff's upper bound. Default 50 ms. */
  readonly baseDelayMs?: number | undefined;
  /** The cap of every backoff. Default 2,000 ms. */
  readonly maxDelayMs?: number | undefined;
}

/** A {@link RetryPolicy} with every field set. */
export type ResolvedRetryPolicy = Required<{ [K in keyof RetryPolicy]: number }>;

/**
 * Fills in the defaults and checks the values.
 *
 * @param policy - the policy as given.
 * @returns the policy with defaults.
 * @throws `InvalidArgumentError` naming a field that is not a positive number.
 *
 * @example
 * ```ts
 * resolveRetryPolicy({ maxAttempts: 3 }); // { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 2000 }
 * ```
 */
export function resolveRetryPolicy(policy: RetryPolicy = {}): ResolvedRetryPolicy {
  if (typeof policy !== "object" || policy === null) {
    throw new InvalidArgumentError("options.retry", "expected an object");
  }
  const resolved = { maxAttempts: policy.maxAttempts ?? 5, baseDelayMs: policy.baseDelayMs ?? 50, maxDelayMs: policy.maxDelayMs ?? 2_000 };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new InvalidArgumentError("options.retry.maxAttempts", `expected a positive integer, got ${String(resolved.maxAttempts)}`);
  }
  for (const key of ["baseDelayMs", "maxDelayMs"] as const) {
    if (typeof resolved[key] !== "number" || !(resolved[key] >= 0) || !Number.isFinite(resolved[key])) {
      throw new InvalidArgumentError(`options.retry.${key}`, `expected a non-negative number, got ${String(resolved[key])}`);
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
