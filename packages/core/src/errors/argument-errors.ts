import { codedError } from "./coded-error.js";
import { ProjectionKitError, type ProjectionKitErrorOptions } from "./projection-kit-error.js";

/**
 * The base of the errors for malformed arguments. They are raised before any I/O, so nothing was
 * written, and {@link ArgumentError.argument} names the argument. Not retryable.
 *
 * @example
 * ```ts
 * if (error instanceof ArgumentError) {
 *   console.error(`${error.code}: ${error.argument}`);
 * }
 * ```
 */
export abstract class ArgumentError extends ProjectionKitError {
  /** The name of the malformed argument, e.g. `"resource"` or `"options.signal"`. */
  readonly argument: string;

  /**
   * @param argument - the name of the argument, e.g. `"resource"` or `"options.signal"`.
   * @param message - what is wrong with it.
   * @param options - the cause, if any.
   */
  constructor(argument: string, message: string, options?: ProjectionKitErrorOptions) {
    super(`invalid ${argument}: ${message}`, options);
    this.argument = argument;
  }

  /** Matches any of the argument errors, whichever copy of the package made it. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ArgumentError) {
      return super[Symbol.hasInstance](value);
    }
    return (
      ProjectionKitError[Symbol.hasInstance](value) &&
      typeof (value as { argument?: unknown }).argument === "string"
    );
  }
}

/**
 * An argument is malformed: wrong type, out of range, an unknown or ill-typed option.
 *
 * Code: `ERR_INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_INVALID_ARGUMENT")) {
 *   console.error(error.argument); // e.g. "options.signal"
 * }
 * ```
 */
export class InvalidArgumentError extends codedError("ERR_INVALID_ARGUMENT", "InvalidArgumentError", ArgumentError) {}

/**
 * A resource is not a non-empty `Uint8Array`, or (in an adapter) is too large for the backend's key.
 *
 * Code: `ERR_INVALID_RESOURCE`.
 *
 * @example
 * ```ts
 * await repository.resourceVersion(new Uint8Array()).catch((error: unknown) => {
 *   isProjectionKitError(error, "ERR_INVALID_RESOURCE"); // true; error.argument === "resource"
 * });
 * ```
 */
export class InvalidResourceError extends codedError("ERR_INVALID_RESOURCE", "InvalidResourceError", ArgumentError) {}

/**
 * A version is neither a `Uint8Array` nor absent (`undefined` or `null`, which mean the empty
 * version), or cannot be decoded as what the caller expects (an offset of the wrong width).
 *
 * Code: `ERR_INVALID_VERSION`.
 *
 * @example
 * ```ts
 * decodeOffset(new Uint8Array([1, 2, 3])); // throws InvalidVersionError; argument "version"
 * ```
 */
export class InvalidVersionError extends codedError("ERR_INVALID_VERSION", "InvalidVersionError", ArgumentError) {}

/**
 * An offset is not an integer in `[0, 2^64 - 1]`, or is a `number` that is not a safe integer.
 *
 * Code: `ERR_INVALID_OFFSET`.
 *
 * @example
 * ```ts
 * encodeOffset(-1); // throws InvalidOffsetError; argument "offset"
 * ```
 */
export class InvalidOffsetError extends codedError("ERR_INVALID_OFFSET", "InvalidOffsetError", ArgumentError) {}
