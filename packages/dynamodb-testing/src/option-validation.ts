import { InvalidArgumentError, requireKnownKeys } from "@projectionkit/core";

/**
 * Checks that an options argument is absent or a plain object without unknown keys, so that a
 * misspelt option fails loudly instead of being ignored.
 *
 * @internal
 * @param value - the options argument as received.
 * @param argument - its name for the error, e.g. `"options"`.
 * @param knownKeys - the option names the function accepts.
 * @returns the options as a record, empty when absent.
 * @throws `InvalidArgumentError` when `value` is not an object or has an unknown key.
 */
export function requireOptionsObject(
  value: unknown,
  argument: string,
  knownKeys: readonly string[],
): Readonly<Record<string, unknown>> {
  if (value === undefined) {
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(argument, `expected an object, got ${describe(value)}`);
  }
  return requireKnownKeys(value, argument, knownKeys);
}

/**
 * Checks an optional option that must be a non-empty string.
 *
 * @internal
 * @param value - the option's value.
 * @param argument - its name for the error, e.g. `"options.javaPath"`.
 * @returns the string, or `undefined` when absent.
 * @throws `InvalidArgumentError` for anything else.
 */
export function optionalNonEmptyString(value: unknown, argument: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidArgumentError(argument, `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/**
 * Checks an optional `AbortSignal` option and throws its reason if it is already aborted, so that
 * an aborted call does no work.
 *
 * @internal
 * @param value - the option's value.
 * @param argument - its name for the error, e.g. `"options.signal"`.
 * @returns the signal, or `undefined` when absent.
 * @throws `InvalidArgumentError` when not an `AbortSignal`; the abort reason when aborted.
 */
export function optionalSignal(value: unknown, argument: string): AbortSignal | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!(value instanceof AbortSignal)) {
    throw new InvalidArgumentError(argument, `expected an AbortSignal, got ${describe(value)}`);
  }
  value.throwIfAborted();
  return value;
}

/**
 * Checks an optional integer option against an inclusive range.
 *
 * @internal
 * @param value - the option's value.
 * @param argument - its name for the error, e.g. `"options.port"`.
 * @param min - the smallest allowed value.
 * @param max - the largest allowed value.
 * @returns the number, or `undefined` when absent.
 * @throws `InvalidArgumentError` when not an integer in `[min, max]`.
 */
export function optionalInteger(value: unknown, argument: string, min: number, max: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const got = typeof value === "number" ? String(value) : describe(value);
    throw new InvalidArgumentError(argument, `expected an integer from ${min} to ${max}, got ${got}`);
  }
  return value;
}

/**
 * Checks an optional option that must be a plain object (not `null`, not an array).
 *
 * @internal
 * @param value - the option's value.
 * @param argument - its name for the error, e.g. `"options.clientConfig"`.
 * @returns the object, or `undefined` when absent.
 * @throws `InvalidArgumentError` for anything else.
 */
export function optionalObject(value: unknown, argument: string): object | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(argument, `expected an object, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  if (typeof value === "string") {
    return value.length === 0 ? "an empty string" : "a string";
  }
  if (typeof value === "object") {
    return value.constructor?.name ?? "object";
  }
  return typeof value;
}
