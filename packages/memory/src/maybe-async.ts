/**
 * Whether `value` is a promise or another thenable.
 *
 * @internal
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

/**
 * Calls `next` with `value`, or with what it resolves to: synchronously when `value` is not a
 * promise, so that a chain of steps costs no turn of the event loop unless one of them awaits.
 *
 * @internal
 */
export function andThen<T, R>(value: T | PromiseLike<T>, next: (value: T) => R | PromiseLike<R>): R | Promise<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : (next(value) as R | Promise<R>);
}

/**
 * Runs `run`, and calls `onError` with what it throws or rejects with (`onError` decides what to
 * return or throw), synchronously when `run` is.
 *
 * @internal
 */
export function orElse<R>(run: () => R | PromiseLike<R>, onError: (error: unknown) => R): R | Promise<R> {
  let result: R | PromiseLike<R>;
  try {
    result = run();
  } catch (error) {
    return onError(error);
  }
  return isPromiseLike(result) ? Promise.resolve(result).then(undefined, onError) : result;
}
