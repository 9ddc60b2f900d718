import { InvalidArgumentError, InvalidResourceError, InvalidVersionError } from "./errors/argument-errors.js";
import type { ConditionalWriteOptions, OperationOptions } from "./operation-options.js";
import { EMPTY_VERSION, type Resource, type Version } from "./resource.js";

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
 * an object whose `signal`, if any, is an `AbortSignal`. Then throws the signal's reason if it is
 * already aborted, so that an aborted call does no work.
 *
 * @param value - the options argument as received.
 * @param argument - its name, for the error. Default `"options"`.
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
): Partial<O> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== "object") {
    throw new InvalidArgumentError(argument, `expected an object, got ${describeValue(value)}`);
  }
  const signal: unknown = value.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(`${argument}.signal`, `expected an AbortSignal, got ${describeValue(signal)}`);
  }
  const onRequest: unknown = value.onRequest;
  if (onRequest !== undefined && typeof onRequest !== "function") {
    throw new InvalidArgumentError(`${argument}.onRequest`, `expected a function, got ${describeValue(onRequest)}`);
  }
  signal?.throwIfAborted();
  return value;
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
  const options = requireOperationOptions(value, argument);
  if (options.onConflict !== undefined && typeof options.onConflict !== "function") {
    throw new InvalidArgumentError(
      `${argument}.onConflict`,
      `expected a function, got ${describeValue(options.onConflict)}`,
    );
  }
  return options;
}

/**
 * Names a value's type for an error message without dumping its contents (which may be large or
 * secret). Adapters use it in their argument errors.
 *
 * @param value - any value.
 * @returns `"null"`, the constructor name of an object, or the `typeof` of anything else.
 *
 * @example
 * ```ts
 * describeValue(new Uint16Array(2)); // "Uint16Array"
 * describeValue("x"); // "string"
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (typeof value === "object") {
    return value.constructor?.name ?? "object";
  }
  return typeof value;
}
