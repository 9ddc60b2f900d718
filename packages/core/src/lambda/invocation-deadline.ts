/** The longest delay `setTimeout` takes; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A signal that aborts `marginMs` before a Lambda invocation times out, and a way to stop its timer.
 *
 * @example
 * ```ts
 * const { signal, dispose }: InvocationDeadline = invocationDeadline(context, 1_000);
 * ```
 */
export interface InvocationDeadline {
  /** Undefined without a usable context: no deadline. */
  readonly signal: AbortSignal | undefined;
  /** Clears the timer; call it when the work is done. */
  dispose(): void;
}

/**
 * Starts the deadline of an invocation from `context.getRemainingTimeInMillis()`. The signal's
 * reason is a `TimeoutError` `DOMException`, like `AbortSignal.timeout`'s. Already aborted when
 * less than `marginMs` is left.
 *
 * @param context - the Lambda context, if any; without `getRemainingTimeInMillis`, no deadline.
 * @param marginMs - how long before the end to abort.
 * @returns the signal and its disposer.
 *
 * @example
 * ```ts
 * const deadline = invocationDeadline(context, 1_000);
 * try {
 *   await driver.deliverAll(sources, { signal: deadline.signal });
 * } finally {
 *   deadline.dispose();
 * }
 * ```
 */
export function invocationDeadline(context: unknown, marginMs: number): InvocationDeadline {
  const getRemaining = typeof context === "object" && context !== null ? (context as { getRemainingTimeInMillis?: unknown }).getRemainingTimeInMillis : undefined;
  if (typeof getRemaining !== "function") {
    return { signal: undefined, dispose: () => {} };
  }
  const remaining: unknown = getRemaining.call(context);
  if (typeof remaining !== "number" || Number.isNaN(remaining)) {
    return { signal: undefined, dispose: () => {} };
  }
  const controller = new AbortController();
  const abort = (): void =>
    controller.abort(new DOMException(`the Lambda invocation times out in less than ${marginMs} ms`, "TimeoutError"));
  const delayMs = remaining - marginMs;
  if (delayMs <= 0) {
    abort();
    return { signal: controller.signal, dispose: () => {} };
  }
  if (delayMs > MAX_TIMER_MS) {
    return { signal: controller.signal, dispose: () => {} };
  }
  const timer = setTimeout(abort, delayMs);
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}
