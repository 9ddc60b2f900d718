import { InvalidArgumentError } from "../errors/argument-errors.js";
import { isRetryableError } from "../errors/projection-kit-error.js";
import { requireKnownKeys } from "../option-keys.js";
import type { ProjectionEvent } from "../projection-event.js";
import { describeValue } from "../validation.js";
import type { DriverHooks } from "./driver-hooks.js";
import { receivedValue } from "./received-value.js";
import { resolveRetryPolicy, type ResolvedRetryPolicy, type RetryPolicy } from "./retry-policy.js";

/**
 * The default of {@link DeliveryDriverOptions.maxBatchSize}, chosen from a measurement on dynalite
 * (BENCHMARKS.md, "Batch size"): at 250, events that each write one item cost 0.012 write requests
 * per event, near DynamoDB's floor of one transaction per 99 such events; larger batches only help
 * runs of events without items, and make a batch that fails, or is cut by a deadline, cost more.
 *
 * @example
 * ```ts
 * const driver = new DeliveryDriver(projection, { maxBatchSize: DEFAULT_MAX_BATCH_SIZE / 2 });
 * ```
 */
export const DEFAULT_MAX_BATCH_SIZE = 250;

/**
 * Options of `DeliveryDriver`. Unknown keys are refused (E2).
 *
 * @example
 * ```ts
 * const options: DeliveryDriverOptions = { concurrency: 16, maxBatchSize: 50, retry: { maxAttempts: 8 }, attemptTimeoutMs: 5_000 };
 * ```
 */
export interface DeliveryDriverOptions<E extends ProjectionEvent = ProjectionEvent> {
  /** Streams (resources) delivered in parallel by `deliverAll`. Default 8. */
  readonly concurrency?: number | undefined;
  /**
   * The most events of one stream committed by one call of the handler's `handleEventBatch`
   * (clause G8), when the handler offers it. `1` turns batching off: every event is one
   * `handleEvent` call. Default {@link DEFAULT_MAX_BATCH_SIZE}.
   */
  readonly maxBatchSize?: number | undefined;
  /** Backoff for retryable failures, and how many conflicts in a row an event may meet. */
  readonly retry?: RetryPolicy | undefined;
  /**
   * The deadline of one attempt when the handler's `timeoutHint` gives none, in milliseconds.
   * Default 0: no deadline of its own. A batch's deadline is the sum of its events' deadlines.
   */
  readonly attemptTimeoutMs?: number | undefined;
  /** Which errors are worth a retry. Default `isRetryableError`. */
  readonly isRetryable?: ((error: unknown) => boolean) | undefined;
  /** Observability hooks (clause G6). A hook that throws is ignored. */
  readonly hooks?: DriverHooks<E> | undefined;
  /** A uniform random number in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

/**
 * Options of one `deliver` or `deliverAll` call. Unknown keys are refused (E2).
 *
 * @example
 * ```ts
 * const options: DeliverOptions = { signal: AbortSignal.timeout(10_000) };
 * ```
 */
export interface DeliverOptions {
  /** Cancels the delivery: between attempts, and the attempt in flight through its own signal. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * {@link DeliveryDriverOptions} checked, with defaults.
 *
 * @internal
 */
export interface ResolvedDriverOptions<E extends ProjectionEvent> {
  readonly concurrency: number;
  readonly maxBatchSize: number;
  readonly retry: ResolvedRetryPolicy;
  readonly attemptTimeoutMs: number;
  readonly isRetryable: (error: unknown) => boolean;
  readonly hooks: DriverHooks<E>;
  readonly random: () => number;
}

const DRIVER_OPTION_KEYS = ["concurrency", "maxBatchSize", "retry", "attemptTimeoutMs", "isRetryable", "hooks", "random"] as const;
const HOOK_KEYS = ["onOutcome", "onConflict", "onRetry"] as const;
const DELIVER_OPTION_KEYS = ["signal"] as const;

/**
 * Checks the driver's options and fills in the defaults.
 *
 * @param value - the options as given.
 * @returns the resolved options.
 * @throws `InvalidArgumentError` naming the malformed or unknown option.
 * @internal
 */
export function resolveDriverOptions<E extends ProjectionEvent>(value: DeliveryDriverOptions<E> | undefined): ResolvedDriverOptions<E> {
  const options = requireKnownKeys(value, "options", DRIVER_OPTION_KEYS) as DeliveryDriverOptions<E>;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 0;
  if (typeof attemptTimeoutMs !== "number" || !(attemptTimeoutMs >= 0) || !Number.isFinite(attemptTimeoutMs)) {
    throw new InvalidArgumentError("options.attemptTimeoutMs", `expected a non-negative number of milliseconds, got ${receivedValue(attemptTimeoutMs)}`);
  }
  return {
    concurrency: positiveInteger(options.concurrency ?? 8, "options.concurrency"),
    maxBatchSize: positiveInteger(options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE, "options.maxBatchSize"),
    retry: resolveRetryPolicy(options.retry),
    attemptTimeoutMs,
    isRetryable: optionalFunction(options.isRetryable, "options.isRetryable") ?? isRetryableError,
    hooks: resolveHooks(options.hooks),
    random: optionalFunction(options.random, "options.random") ?? Math.random,
  };
}

/**
 * Checks the options of one `deliver` or `deliverAll` call.
 *
 * @param value - the options as given.
 * @returns the caller's signal, if any; an aborted one is returned, not thrown.
 * @throws `InvalidArgumentError` for options that are not an object, an unknown key, or a
 *   `signal` that is not an `AbortSignal`.
 * @internal
 */
export function requireDeliverOptions(value: DeliverOptions | undefined): AbortSignal | undefined {
  const { signal } = requireKnownKeys(value, "options", DELIVER_OPTION_KEYS);
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError("options.signal", `expected an AbortSignal, got ${describeValue(signal)}`);
  }
  return signal;
}

function resolveHooks<E extends ProjectionEvent>(value: DriverHooks<E> | undefined): DriverHooks<E> {
  const hooks = requireKnownKeys(value, "options.hooks", HOOK_KEYS) as DriverHooks<E>;
  for (const name of HOOK_KEYS) {
    optionalFunction(hooks[name], `options.hooks.${name}`);
  }
  return hooks;
}

function positiveInteger(value: unknown, argument: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, `expected a positive integer, got ${receivedValue(value)}`);
  }
  return value;
}

function optionalFunction<F>(value: F | undefined, argument: string): F | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new InvalidArgumentError(argument, `expected a function, got ${describeValue(value)}`);
  }
  return value;
}
