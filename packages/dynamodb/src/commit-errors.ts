import { codedError, type ProjectionKitErrorOptions } from "@projectionkit/core";

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_AMBIGUOUS_COMMIT: AmbiguousCommitError;
    ERR_TRANSACTION_CONFLICT: TransactionConflictError;
    ERR_THROTTLED: ThrottledError;
    ERR_ITEM_CONDITION_FAILED: ItemConditionFailedError;
    ERR_TRANSACTION_CANCELED: TransactionCanceledError;
    ERR_MALFORMED_CANCELLATION: MalformedCancellationError;
    ERR_MALFORMED_VERSION_ITEM: MalformedVersionItemError;
    ERR_DYNAMODB_REQUEST_FAILED: DynamoRequestError;
  }
}

/**
 * A write may or may not have committed, and the adapter could not find out: every attempt of the
 * call lost its response (network error, timeout, server error), or a single-item delete's
 * outcome cannot be read back (D8). Retryable: the engine retries the event, and if the write did
 * commit the retry resolves `false` (already applied); it never applies twice.
 *
 * Code: `ERR_AMBIGUOUS_COMMIT`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT")) {
 *   // retry the event; a `false` then means it had been applied
 * }
 * ```
 */
export class AmbiguousCommitError extends codedError("ERR_AMBIGUOUS_COMMIT", "AmbiguousCommitError") {
  /**
   * @param message - what happened.
   * @param options - the last failure as `cause`.
   */
  constructor(message: string, options: Omit<ProjectionKitErrorOptions, "retryable"> = {}) {
    super(message, { ...options, retryable: true });
  }
}

/**
 * DynamoDB cancelled the write because another transaction or write touched one of its items at
 * the same time (`TransactionConflict`). Not a version conflict: nothing is known about the stored
 * version. Retryable.
 *
 * Code: `ERR_TRANSACTION_CONFLICT`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_TRANSACTION_CONFLICT")) await retryLater();
 * ```
 */
export class TransactionConflictError extends codedError("ERR_TRANSACTION_CONFLICT", "TransactionConflictError") {
  /**
   * @param message - what happened.
   * @param options - the service error as `cause`.
   */
  constructor(message: string, options: Omit<ProjectionKitErrorOptions, "retryable"> = {}) {
    super(message, { ...options, retryable: true });
  }
}

/**
 * DynamoDB throttled the write (`ThrottlingException`, `ProvisionedThroughputExceeded`,
 * `RequestLimitExceeded`, or a throttling cancellation reason). Nothing was written. Retryable,
 * with backoff.
 *
 * Code: `ERR_THROTTLED`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_THROTTLED")) await sleep(backoff);
 * ```
 */
export class ThrottledError extends codedError("ERR_THROTTLED", "ThrottledError") {
  /**
   * @param message - what happened.
   * @param options - the service error as `cause`.
   */
  constructor(message: string, options: Omit<ProjectionKitErrorOptions, "retryable"> = {}) {
    super(message, { ...options, retryable: true });
  }
}

/**
 * The condition of one of the projection's own items failed, while the version check passed: the
 * projection's data is not what its handler expected. Not a version conflict, and nothing was
 * written. Not retryable by default: the same items will fail the same way.
 *
 * Code: `ERR_ITEM_CONDITION_FAILED`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_ITEM_CONDITION_FAILED")) console.error(error.itemIndex, error.storedItem);
 * ```
 */
export class ItemConditionFailedError extends codedError("ERR_ITEM_CONDITION_FAILED", "ItemConditionFailedError") {
  /** The index of the failing item among the handler's items (the version write not counted). */
  readonly itemIndex: number;
  /** The item as stored, when the item asked for it with `ReturnValuesOnConditionCheckFailure`. */
  readonly storedItem: Readonly<Record<string, unknown>> | undefined;

  /**
   * @param itemIndex - the index of the failing item among the handler's items.
   * @param storedItem - the stored item, if DynamoDB returned it.
   * @param options - the service error as `cause`.
   */
  constructor(itemIndex: number, storedItem: Readonly<Record<string, unknown>> | undefined, options: ProjectionKitErrorOptions = {}) {
    super(`the condition of the projection's item ${itemIndex} failed; nothing was written`, options);
    this.itemIndex = itemIndex;
    this.storedItem = storedItem;
  }
}

/**
 * One reason of a cancelled transaction, as DynamoDB gave it.
 *
 * @example
 * ```ts
 * const reason: CancellationReason = { index: 0, code: "ValidationError", message: "…" };
 * ```
 */
export interface CancellationReason {
  /** The index of the action in the transaction (0 is the version write). */
  readonly index: number;
  /** DynamoDB's code, e.g. `"ValidationError"`. */
  readonly code: string;
  /** DynamoDB's message, if any. */
  readonly message: string | undefined;
}

/**
 * DynamoDB cancelled the transaction for a reason other than a version conflict, a transaction
 * conflict, throttling or a failed item condition (for example `ValidationError` or
 * `ItemCollectionSizeLimitExceeded`). Nothing was written. Not retryable.
 *
 * Code: `ERR_TRANSACTION_CANCELED`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_TRANSACTION_CANCELED")) console.error(error.reasons);
 * ```
 */
export class TransactionCanceledError extends codedError("ERR_TRANSACTION_CANCELED", "TransactionCanceledError") {
  /** The reasons that are not `None`. */
  readonly reasons: readonly CancellationReason[];

  /**
   * @param reasons - the reasons other than `None`.
   * @param options - the service error as `cause`.
   */
  constructor(reasons: readonly CancellationReason[], options: ProjectionKitErrorOptions = {}) {
    super(
      `DynamoDB cancelled the transaction: ${reasons.map((r) => `action ${r.index}: ${r.code}${r.message ? ` (${r.message})` : ""}`).join("; ") || "no reason given"}`,
      options,
    );
    this.reasons = reasons;
  }
}

/**
 * A transaction cancellation came without usable reasons (none, or no code for the version
 * write), so the adapter cannot tell a conflict from a failure. Nothing was written (the
 * transaction was cancelled). Not retryable: it points at a broken backend or proxy.
 *
 * Code: `ERR_MALFORMED_CANCELLATION`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_MALFORMED_CANCELLATION")) reportBackendBug(error.cause);
 * ```
 */
export class MalformedCancellationError extends codedError("ERR_MALFORMED_CANCELLATION", "MalformedCancellationError") {}

/**
 * A version item in the table does not have the expected shape (its version attribute is not of
 * type B, or its token not of type S). Not retryable.
 *
 * Code: `ERR_MALFORMED_VERSION_ITEM`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_MALFORMED_VERSION_ITEM")) console.error(error.message);
 * ```
 */
export class MalformedVersionItemError extends codedError("ERR_MALFORMED_VERSION_ITEM", "MalformedVersionItemError") {}

/**
 * A DynamoDB request failed for another reason (a missing table, a validation error, access
 * denied, a connection that could not be made …). The SDK's exception is the `cause`; `retryable`
 * follows the SDK's judgement, and is `true` for a request that provably never reached DynamoDB
 * (connection refused, name not resolved: nothing can have been written, E3). When a table does not
 * exist, the message names the tables the request used.
 *
 * Code: `ERR_DYNAMODB_REQUEST_FAILED`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_DYNAMODB_REQUEST_FAILED")) console.error(error.operation, error.serviceErrorName, error.tables);
 * ```
 */
export class DynamoRequestError extends codedError("ERR_DYNAMODB_REQUEST_FAILED", "DynamoRequestError") {
  /** The operation, e.g. `"TransactWriteItems"`. */
  readonly operation: string;
  /** The name of the service's exception, e.g. `"ResourceNotFoundException"`. */
  readonly serviceErrorName: string | undefined;
  /** The tables the request used, when the adapter knows them (the version table first). */
  readonly tables: readonly string[];

  /**
   * @param operation - the failed operation.
   * @param cause - the SDK's exception.
   * @param retryable - whether retrying may succeed.
   * @param context - the tables the request used (named in the message when one does not exist),
   *   and why the adapter sent it, when that helps to fix the failure.
   */
  constructor(operation: string, cause: unknown, retryable: boolean, context: { readonly tables?: readonly string[]; readonly purpose?: string } = {}) {
    const name = (cause as { name?: unknown } | null)?.name;
    const detail = (cause as Error | null)?.message ?? String(cause);
    const tables = context.tables ?? [];
    const missing = name === "ResourceNotFoundException" ? missingTableHint(tables) : "";
    super(`DynamoDB ${operation} failed: ${detail}${missing}${context.purpose === undefined ? "" : `; ${context.purpose}`}`, { cause, retryable });
    this.operation = operation;
    this.serviceErrorName = typeof name === "string" ? name : undefined;
    this.tables = [...tables];
  }
}

/** The most table names a message lists. */
const MAX_LISTED_TABLES = 5;

function missingTableHint(tables: readonly string[]): string {
  const unique = [...new Set(tables)];
  if (unique.length === 0) {
    return "";
  }
  if (unique.length === 1) {
    return ` (table "${unique[0]}" does not exist in this client's region and account)`;
  }
  const listed = unique.slice(0, MAX_LISTED_TABLES).map((table) => `"${table}"`).join(", ");
  const more = unique.length > MAX_LISTED_TABLES ? ` and ${unique.length - MAX_LISTED_TABLES} more` : "";
  return ` (one of the tables it uses does not exist in this client's region and account: ${listed}${more})`;
}
