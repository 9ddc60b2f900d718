import type {
  InvalidArgumentError,
  InvalidOffsetError,
  InvalidResourceError,
  InvalidVersionError,
} from "./argument-errors.js";
import type {
  InvalidConfigurationError,
  InvalidIdentityError,
  UnexpectedMessageError,
} from "./configuration-errors.js";
import type { InvalidBatchResultError, VersionKeptMovingError } from "./delivery-errors.js";

/**
 * The brand that marks every projectionkit error. `Symbol.for` makes it the same symbol in every
 * copy of this package (ESM and CJS builds, duplicate installs), which `instanceof` is not.
 */
const BRAND: unique symbol = Symbol.for("@projectionkit/core/ProjectionKitError");

/**
 * The map from each stable error `code` to its error class. Adapters add their own codes by
 * augmenting this interface, so that {@link isProjectionKitError} narrows to their classes too.
 *
 * @example
 * ```ts
 * declare module "@projectionkit/core" {
 *   interface ProjectionKitErrorCodes {
 *     ERR_MY_BACKEND_DOWN: MyBackendDownError;
 *   }
 * }
 * ```
 */
export interface ProjectionKitErrorCodes {
  ERR_INVALID_ARGUMENT: InvalidArgumentError;
  ERR_INVALID_RESOURCE: InvalidResourceError;
  ERR_INVALID_VERSION: InvalidVersionError;
  ERR_INVALID_OFFSET: InvalidOffsetError;
  ERR_INVALID_IDENTITY: InvalidIdentityError;
  ERR_INVALID_CONFIGURATION: InvalidConfigurationError;
  ERR_UNEXPECTED_MESSAGE: UnexpectedMessageError;
  ERR_VERSION_KEPT_MOVING: VersionKeptMovingError;
  ERR_INVALID_BATCH_RESULT: InvalidBatchResultError;
}

/**
 * A stable error code. Codes are API: they do not change between releases, messages may.
 *
 * @example
 * ```ts
 * const code: ProjectionKitErrorCode = "ERR_UNEXPECTED_MESSAGE";
 * ```
 */
export type ProjectionKitErrorCode = keyof ProjectionKitErrorCodes & string;

/**
 * Options every projectionkit error accepts.
 *
 * @example
 * ```ts
 * const options: ProjectionKitErrorOptions = { cause: err, retryable: true };
 * ```
 */
export interface ProjectionKitErrorOptions {
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /**
   * Whether retrying the same operation may succeed. Defaults to the class's own default
   * (`false` for programming errors).
   */
  readonly retryable?: boolean;
}

/**
 * The base class of every error that projectionkit raises on purpose. Each subclass has one stable
 * {@link ProjectionKitError.code}. Recognise errors with {@link isProjectionKitError} rather than
 * `instanceof`, which breaks when two copies of the package are loaded (ESM and CJS); `instanceof`
 * is nevertheless made to work across copies too, by comparing codes.
 *
 * @example
 * ```ts
 * try {
 *   await handler.handleEvent(r, c, n, scope, event);
 * } catch (error) {
 *   if (isProjectionKitError(error, "ERR_UNEXPECTED_MESSAGE")) {
 *     console.error(error.eventType);
 *   }
 * }
 * ```
 */
export abstract class ProjectionKitError extends Error {
  /** The code of errors of this class, or `undefined` on the abstract base. */
  static readonly code: string | undefined = undefined;

  /** The stable code of this error. */
  abstract readonly code: ProjectionKitErrorCode;

  /** Whether retrying the same operation may succeed. */
  readonly retryable: boolean;

  /**
   * @param message - a human-readable description; not part of the API.
   * @param options - the cause and whether the failure is retryable.
   */
  constructor(message: string, options: ProjectionKitErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.retryable = options.retryable ?? false;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /**
   * Makes `instanceof` work across copies of this package: a value is an instance of an error
   * class when it carries the brand and, for a concrete class, the class's code.
   *
   * @param value - the value to test.
   * @returns whether `value` is an error of this class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!hasBrand(value)) {
      return false;
    }
    const code = (this as { code?: string | undefined }).code;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}

function hasBrand(value: unknown): value is ProjectionKitError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

/**
 * Tells whether `value` is a projectionkit error, whatever its code. Works across ESM/CJS copies of
 * the package.
 *
 * @param value - any caught value.
 * @returns whether `value` is a projectionkit error.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error)) console.error(error.code);
 * ```
 */
export function isProjectionKitError(value: unknown): value is ProjectionKitError;
/**
 * Tells whether `value` is a projectionkit error with the given code. Works across ESM/CJS copies
 * of the package and narrows the type to the error class of the code.
 *
 * @param value - any caught value.
 * @param code - the code to match.
 * @returns whether `value` is such an error.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_INVALID_RESOURCE")) {
 *   console.error(`bad argument: ${error.argument}`);
 * }
 * ```
 */
export function isProjectionKitError<C extends ProjectionKitErrorCode>(
  value: unknown,
  code: C,
): value is ProjectionKitErrorCodes[C];
export function isProjectionKitError(value: unknown, code?: string): boolean {
  return hasBrand(value) && (code === undefined || value.code === code);
}

/**
 * Tells whether retrying the operation that threw `value` may succeed: a projectionkit error marked
 * retryable (throttling, a transaction conflict, an ambiguous commit …). Conflicts are not errors
 * (`handleEvent` resolves `false`), and programming errors are never retryable.
 *
 * @param value - any caught value.
 * @returns whether `value` is a retryable projectionkit error.
 *
 * @example
 * ```ts
 * if (isRetryableError(error)) {
 *   await sleep(backoff);
 * }
 * ```
 */
export function isRetryableError(value: unknown): value is ProjectionKitError {
  return hasBrand(value) && value.retryable;
}
