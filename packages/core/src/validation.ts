import { InvalidArgumentError, InvalidResourceError, InvalidVersionError } from "./errors/argument-errors.js";
import type { ConditionalWriteOptions, OperationOptions } from "./operation-options.js";
import { describeValue } from "./describe-value.js";
import { requireKnownKeys } from "./option-keys.js";
import { EMPTY_VERSION, type Resource, type Version } from "./resource.js";

export { describeValue } from "./describe-value.js";

/** The keys of {@link OperationOptions}. */
export const OPERATION_OPTION_KEYS: readonly string[] = Object.freeze(["signal", "onRequest"]);

/** The keys of {@link ConditionalWriteOptions}. */
export const CONDITIONAL_WRITE_OPTION_KEYS: readonly string[] = Object.freeze([...OPERATION_OPTION_KEYS, "onConflict"]);

/**
 * Checks that `value` is a resource (a non-empty `Uint8Array`) and returns it. Adapters call it
 * before any I/O.
 *
 * @param value - the argument as received.
 * @param argument - its name, for the error. Default `"resource"`.
 * @returns `value`, typed as a {@link Resource}.
 * @throws {@link InvalidResourceError} when `value` is not a non-empty `Uint8Array`.
 *
 * @example
 * ```ts
 * const r = requireResource(resource); // throws ERR_INVALID_RESOURCE if empty
 * ```
 */
export function requireResource(value: unknown, argument = "resource"): Resource {
  if (!(value instanceof Uint8Array)) {
    throw new InvalidResourceError(argument, `expected a Uint8Array, got ${describeValue(value)}`);
  }
  if (value.length === 0) {
    throw new InvalidResourceError(argument, "a resource must not be empty");
  }
  return value;
}

/**
 * Checks that `value` is a version and returns it normalised: `undefined` and `null` become
 * {@link EMPTY_VERSION}. Adapters call it before any I/O.
 *
 * @param value - the argument as received.
 * @param argument - its name, for the error. Default `"version"`.
 * @returns the version; never `undefined`.
 * @throws {@link InvalidVersionError} when `value` is neither absent nor a `Uint8Array`.
 *
 * @example
 * ```ts
 * requireVersion(undefined, "current").length; // 0
 * ```
 */
export function requireVersion(value: unknown, argument = "version"): Version {
  if (value === undefined || value === null) {
    return EMPTY_VERSION;
  }
  if (!(value instanceof Uint8Array)) {
    throw new InvalidVersionError(argument, `expected a Uint8Array or undefined, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks an options object of an asynchronous operation: it may be absent; if present it must be
 * an object with only known keys (E2: a misspelt `signal` is an error, never ignored) whose
 * `signal`, if any, is an `AbortSignal` and `onRequest`, if any, a function. Then throws the
 * signal's reason if it is already aborted, so that an aborted call does no work.
 *
 * @param value - the options argument as received.
 * @param argument - its name, for the error. Default `"options"`.
 * @param extraKeys - keys the caller accepts besides `signal` and `onRequest`; the caller checks
 *   their values.
 * @returns the options, or an empty object.
 * @throws {@link InvalidArgumentError} for malformed options; the abort reason when aborted.
 *
 * @example
 * ```ts
 * async function resourceVersion(resource: Resource, options?: OperationOptions) {
 *   const { signal } = requireOperationOptions(options);
 *   // … I/O that passes `signal` on …
 * }
 * ```
 */
export function requireOperationOptions<O extends OperationOptions>(
  value: O | undefined,
  argument = "options",
  extraKeys: readonly string[] = [],
): Partial<O> {
  const options = requireKnownKeys(value, argument, extraKeys.length === 0 ? OPERATION_OPTION_KEYS : [...OPERATION_OPTION_KEYS, ...extraKeys]);
  const signal: unknown = options["signal"];
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(`${argument}.signal`, `expected an AbortSignal, got ${describeValue(signal)}`);
  }
  const onRequest: unknown = options["onRequest"];
  if (onRequest !== undefined && typeof onRequest !== "function") {
    throw new InvalidArgumentError(`${argument}.onRequest`, `expected a function, got ${describeValue(onRequest)}`);
  }
  signal?.throwIfAborted();
  return options as Partial<O>;
}

/**
 * Checks the options of a conditional write like {@link requireOperationOptions}, and that
 * `onConflict`, if given, is a function.
 *
 * @param value - the options argument as received.
 * @param argument - its name, for the error. Default `"options"`.
 * @returns the options, or an empty object.
 * @throws {@link InvalidArgumentError} for malformed options; the abort reason when aborted.
 *
 * @example
 * ```ts
 * const { signal, onConflict } = requireConditionalWriteOptions(options);
 * ```
 */
export function requireConditionalWriteOptions(
  value: ConditionalWriteOptions | undefined,
  argument = "options",
): ConditionalWriteOptions {
  const options = requireOperationOptions(value, argument, ["onConflict"]);
  if (options.onConflict !== undefined && typeof options.onConflict !== "function") {
    throw new InvalidArgumentError(
      `${argument}.onConflict`,
      `expected a function, got ${describeValue(options.onConflict)}`,
    );
  }
  return options;
}
