import { codedError, describeValue, InvalidArgumentError } from "@projectionkit/core";
import { requestFingerprint } from "./request-fingerprint.js";

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_DECORATOR_BROKE_VERSION_CHECK: DecoratorBrokeVersionCheckError;
    ERR_DECORATOR_CHANGED_ITEMS: DecoratorChangedItemsError;
  }
}

/**
 * Changes a request's input just before it is sent (D11): mutate it in place, or return a
 * replacement object. It runs synchronously (a returned Promise is an error). Decorators see the
 * fully built input, including the version write, which they must not change (see
 * {@link DecoratorBrokeVersionCheckError}), and the projection's items, to which they may only
 * append (see {@link DecoratorChangedItemsError}).
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
 * A decorator changed a part of a request that conflict detection depends on (D11, D14): in a
 * transaction, the version write (action 0: its table, key, condition, values, position) or the
 * request token; in a request on the version item alone (`getItem`, `putItem`, `updateItem`,
 * `deleteItem`), anything but `ReturnConsumedCapacity` and `ReturnItemCollectionMetrics`, so
 * neither its `TableName` nor its key, condition, values or `ReturnValuesOnConditionCheckFailure`.
 * The request was not sent. Not retryable.
 *
 * Code: `ERR_DECORATOR_BROKE_VERSION_CHECK`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_DECORATOR_BROKE_VERSION_CHECK")) console.error(error.operation);
 * ```
 */
export class DecoratorBrokeVersionCheckError extends codedError("ERR_DECORATOR_BROKE_VERSION_CHECK", "DecoratorBrokeVersionCheckError") {
  /** The operation whose decorator did it, e.g. `"transactWriteItems"`. */
  readonly operation: string;

  /**
   * @param operation - the decorated operation.
   */
  constructor(operation: string) {
    super(
      `a ${operation} decorator changed the version check (the version item's table, key, condition or values, its position, the request token or ReturnValuesOnConditionCheckFailure); decorators may add items and set ReturnConsumedCapacity or ReturnItemCollectionMetrics, nothing else`,
    );
    this.operation = operation;
  }
}

/**
 * A `transactWriteItems` decorator removed, reordered, replaced or changed one of the projection's
 * own items (its table, key, expressions or values): the version write would have committed with
 * other writes than the handler returned, and a redelivery would then be taken for a duplicate
 * (D14). Decorators may append items (checked against the limits like the others) and set
 * request-level fields, nothing else. The request was not sent. Not retryable.
 *
 * Code: `ERR_DECORATOR_CHANGED_ITEMS`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_DECORATOR_CHANGED_ITEMS")) console.error(error.operation, error.index);
 * ```
 */
export class DecoratorChangedItemsError extends codedError("ERR_DECORATOR_CHANGED_ITEMS", "DecoratorChangedItemsError") {
  /** The operation whose decorator did it: `"transactWriteItems"`. */
  readonly operation: string;
  /** The index, among the projection's items, of the first one missing or changed. */
  readonly index: number;

  /**
   * @param operation - the decorated operation.
   * @param index - the index of the first item missing or changed.
   * @param removed - whether the item is missing (fewer items than the projection returned).
   */
  constructor(operation: string, index: number, removed: boolean) {
    super(
      `a ${operation} decorator ${removed ? "removed" : "changed or moved"} the projection's items[${index}]; decorators may append items and set request-level fields, but not remove, reorder, replace or retarget the projection's own items`,
    );
    this.operation = operation;
    this.index = index;
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
 * Applies decorators in order. Each must change the input in place and return nothing, or return
 * an input object; anything else (a Promise, a number, an array …) is an `InvalidArgumentError`
 * naming the decorator's option. When `protectedPart` is given, the part of the input it selects
 * must come out unchanged (compared by {@link requestFingerprint}).
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
  const before = protectedPart === undefined ? undefined : requestFingerprint(protectedPart(input));
  const list = typeof decorators === "function" ? [decorators] : decorators;
  let current = input;
  for (const [index, decorator] of list.entries()) {
    const returned: unknown = decorator(current);
    if (returned !== undefined) {
      const option = `options.decorators.${operation}${typeof decorators === "function" ? "" : `[${index}]`}`;
      if (typeof (returned as { then?: unknown } | null)?.then === "function") {
        throw new InvalidArgumentError(option, `expected the decorator to change the input in place or return an input object, got ${describeValue(returned)}; decorators are synchronous, they run just before the request is sent`);
      }
      if (typeof returned !== "object" || returned === null || Array.isArray(returned)) {
        throw new InvalidArgumentError(option, `expected the decorator to change the input in place or return an input object, got ${describeValue(returned)}`);
      }
      current = returned as I;
    }
  }
  if (protectedPart !== undefined && requestFingerprint(protectedPart(current)) !== before) {
    throw new DecoratorBrokeVersionCheckError(operation);
  }
  return current;
}
