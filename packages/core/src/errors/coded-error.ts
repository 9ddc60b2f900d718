import { ProjectionKitError, type ProjectionKitErrorCode } from "./projection-kit-error.js";

/**
 * An error class that a {@link codedError} base can extend: {@link ProjectionKitError} itself or
 * one of its abstract subclasses (such as `ArgumentError`), with whatever constructor it has.
 *
 * @example
 * ```ts
 * const base: ProjectionKitErrorClass = ArgumentError;
 * ```
 */
// `...args: any[]` is what TypeScript requires of a mixin's base; the base's own signature is kept.
export type ProjectionKitErrorClass = (abstract new (...args: any[]) => ProjectionKitError) & {
  readonly code: string | undefined;
};

/**
 * What {@link codedError} returns: an abstract class that extends `B`, with `B`'s constructor, whose
 * errors have the code `C` and the name `N`, as has the class itself (its static `code`).
 *
 * @example
 * ```ts
 * const base: CodedErrorClass<"ERR_INVALID_ARGUMENT", "InvalidArgumentError", typeof ArgumentError> = codedError(
 *   "ERR_INVALID_ARGUMENT",
 *   "InvalidArgumentError",
 *   ArgumentError,
 * );
 * ```
 */
export type CodedErrorClass<C extends ProjectionKitErrorCode, N extends string, B extends ProjectionKitErrorClass> = (abstract new (
  ...args: any[]
) => ProjectionKitError & { readonly code: C; readonly name: N }) & { readonly code: C } & B;

/**
 * The base of an error class with one stable code: it gives the class its static and instance
 * `code` and its `name`, so that the class itself says only what it carries and how its message
 * reads. The base keeps the constructor of `base` ({@link ProjectionKitError}'s
 * `(message, options)` by default), and `instanceof` keeps working across copies of the package.
 * Register the code in {@link ProjectionKitErrorCodes} so that {@link isProjectionKitError} narrows
 * to the class.
 *
 * @param code - the stable code of the class's errors.
 * @param name - the class's name, which becomes the errors' `name`.
 * @param base - the class to extend; default {@link ProjectionKitError}.
 * @returns an abstract class to extend.
 *
 * @example
 * ```ts
 * declare module "@projectionkit/core" {
 *   interface ProjectionKitErrorCodes {
 *     ERR_QUEUE_FULL: QueueFullError;
 *   }
 * }
 *
 * class QueueFullError extends codedError("ERR_QUEUE_FULL", "QueueFullError") {}
 *
 * new QueueFullError("the queue is full", { retryable: true }).code; // "ERR_QUEUE_FULL"
 * ```
 */
export function codedError<
  const C extends ProjectionKitErrorCode,
  const N extends string,
  B extends ProjectionKitErrorClass = typeof ProjectionKitError,
>(code: C, name: N, base: B = ProjectionKitError as ProjectionKitErrorClass as B): CodedErrorClass<C, N, B> {
  abstract class CodedError extends base {
    static override readonly code: C = code;
    override readonly code: C = code;
    override readonly name: N = name;
  }
  return CodedError;
}
