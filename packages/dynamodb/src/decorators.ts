import { InvalidArgumentError, ProjectionKitError } from "@projectionkit/core";

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_DECORATOR_BROKE_VERSION_CHECK: DecoratorBrokeVersionCheckError;
  }
}

/**
 * Changes a request's input just before it is sent (D11): mutate it in place, or return a
 * replacement. Decorators see the fully built input, including the version write, which they must
 * not change (see {@link DecoratorBrokeVersionCheckError}).
 *
 * @example
 * ```ts
 * const tag: Decorator<CreateTableCommandInput> = (input) => {
 *   input.Tags = [{ Key: "team", Value: "ledger" }];
 * };
 * ```
 */
export type Decorator<I> = (input: I) => I | void;

/**
 * One decorator or several, applied in order: a later decorator sees what the earlier ones made; it
 * never silently replaces them (pitfall GP8, docs/specification.md).
 *
 * @example
 * ```ts
 * const both: Decorators<GetItemCommandInput> = [addProjection, logInput];
 * ```
 */
export type Decorators<I> = Decorator<I> | ReadonlyArray<Decorator<I>>;

/**
 * A decorator changed a part of a request that conflict detection depends on: the version item's
 * key, condition, values or position, the request token, or `ReturnValuesOnConditionCheckFailure`.
 * The request was not sent. Not retryable.
 *
 * Code: `ERR_DECORATOR_BROKE_VERSION_CHECK`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_DECORATOR_BROKE_VERSION_CHECK")) console.error(error.operation);
 * ```
 */
export class DecoratorBrokeVersionCheckError extends ProjectionKitError {
  static override readonly code = "ERR_DECORATOR_BROKE_VERSION_CHECK";
  override readonly code = "ERR_DECORATOR_BROKE_VERSION_CHECK";
  override readonly name = "DecoratorBrokeVersionCheckError";
  /** The operation whose decorator did it, e.g. `"transactWriteItems"`. */
  readonly operation: string;

  /**
   * @param operation - the decorated operation.
   */
  constructor(operation: string) {
    super(
      `a ${operation} decorator changed the version check (the version item, its condition, the request token or ReturnValuesOnConditionCheckFailure); decorators may add to a request but not change that part`,
    );
    this.operation = operation;
  }
}

/**
 * Checks a decorators option: a function, an array of functions, or absent.
 *
 * @internal
 */
export function checkDecorators(value: unknown, argument: string): void {
  if (value === undefined) {
    return;
  }
  const list = Array.isArray(value) ? value : [value];
  list.forEach((decorator: unknown, index) => {
    if (typeof decorator !== "function") {
      throw new InvalidArgumentError(
        Array.isArray(value) ? `${argument}[${index}]` : argument,
        "expected a decorator function or an array of them",
      );
    }
  });
}

/**
 * Applies decorators in order. When `protectedPart` is given, the part of the input it selects must
 * come out unchanged.
 *
 * @internal
 */
export function applyDecorators<I>(
  operation: string,
  input: I,
  decorators: Decorators<I> | undefined,
  protectedPart?: (input: I) => unknown,
): I {
  if (decorators === undefined) {
    return input;
  }
  const before = protectedPart === undefined ? undefined : fingerprint(protectedPart(input));
  let current = input;
  for (const decorator of typeof decorators === "function" ? [decorators] : decorators) {
    current = decorator(current) ?? current;
  }
  if (protectedPart !== undefined && fingerprint(protectedPart(current)) !== before) {
    throw new DecoratorBrokeVersionCheckError(operation);
  }
  return current;
}

/** A deterministic text form of a request part; bytes as hexadecimal. */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Uint8Array ? `bytes:${Buffer.from(item).toString("hex")}` : item,
  );
}
