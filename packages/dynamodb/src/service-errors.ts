import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  ThrottledError,
  TransactionCanceledError,
  TransactionConflictError,
  ItemConditionFailedError,
  MalformedCancellationError,
  DynamoRequestError,
  type CancellationReason,
} from "./commit-errors.js";

/*
 * The one place that reads what the SDK threw: which failures are throttling, which are transient,
 * which prove that the request never reached DynamoDB, and what a failed write means for the
 * version check. The adapter's writes, its reads and the table operations all classify here.
 */

/**
 * What a failed write means for the version check.
 *
 * - `conflict`: the version condition failed; `storedItem` is the stored version item when
 *   DynamoDB returned it (`ReturnValuesOnConditionCheckFailure: ALL_OLD`).
 * - `unknown`: the request may or may not have committed (no response, a server error, our own
 *   earlier attempt still in progress); retrying with the same token finds out.
 * - `failed`: it did not commit; `error` is the typed error to raise.
 *
 * @internal
 */
export type WriteFailure =
  | { readonly kind: "conflict"; readonly storedItem: Record<string, AttributeValue> | undefined }
  | { readonly kind: "unknown"; readonly cause: unknown }
  | { readonly kind: "failed"; readonly error: Error };

interface ServiceException {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly errors?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly Item?: Record<string, AttributeValue>;
  readonly CancellationReasons?: unknown;
}

function asException(error: unknown): ServiceException {
  return (typeof error === "object" && error !== null ? error : {}) as ServiceException;
}

/** Exceptions that mean "too many requests": nothing was written, retry with backoff. */
const THROTTLING = new Set(["ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"]);

/** Cancellation reasons with the same meaning. */
const THROTTLING_REASONS = new Set(["ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"]);

/** More errors of table operations that asking again may cure. */
const TRANSIENT = new Set([...THROTTLING, "LimitExceededException", "InternalServerError"]);

/**
 * Node.js network errors raised before a connection exists: the name did not resolve, or the
 * connection was refused or had no route. No byte of the request was sent. (A reset or timeout of
 * an open connection is not among them: the request may have been processed.)
 */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

/**
 * Whether `error` is a service exception of that name, such as the SDK's `ResourceInUseException`.
 *
 * @internal
 */
export function isException(error: unknown, name: string): boolean {
  return asException(error).name === name;
}

/**
 * Whether `error` proves that the request never reached DynamoDB: the connection could not be
 * made (`ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`, `EHOSTUNREACH` …; with several addresses, every
 * one of them failed so). Such a request cannot have committed (E3).
 *
 * @internal
 */
export function neverReachedDynamo(error: unknown): boolean {
  const exception = asException(error);
  if (Array.isArray(exception.errors) && exception.errors.length > 0) {
    // Node.js tries each address of a name in turn and reports all failures in an AggregateError.
    return exception.errors.every((inner) => neverReachedDynamo(inner));
  }
  return typeof exception.code === "string" && NEVER_CONNECTED.has(exception.code);
}

/**
 * Whether DynamoDB may have applied a write that failed with `error`: it reached DynamoDB and no
 * answer says it did not (no answer at all, a server error, or our own earlier attempt still in
 * progress). A client error (4xx) is a definite "not applied".
 *
 * @internal
 */
export function mayHaveCommitted(error: unknown): boolean {
  if (neverReachedDynamo(error)) {
    return false;
  }
  const exception = asException(error);
  if (exception.name === "TransactionInProgressException") {
    return true;
  }
  const status = exception.$metadata?.httpStatusCode;
  return !(typeof status === "number" && status >= 400 && status < 500);
}

/**
 * Whether asking again may cure a failed read or table operation: throttling, a server or network
 * error, or anything the SDK marks retryable.
 *
 * @internal
 */
export function isTransientError(error: unknown): boolean {
  const exception = asException(error);
  const status = exception.$metadata?.httpStatusCode;
  return (
    (typeof exception.name === "string" && TRANSIENT.has(exception.name)) ||
    exception.$retryable !== undefined ||
    exception.$fault === "server" ||
    typeof status !== "number" ||
    status >= 500
  );
}

/**
 * Maps a failed read or unconditional write to a typed error: the abort reason when the caller's
 * signal aborted, throttling and transaction conflicts to their retryable errors, anything else to
 * a {@link DynamoRequestError} that keeps the SDK's exception as `cause` (retryable unless DynamoDB
 * answered with a client error).
 *
 * @param operation - the operation, e.g. `"GetItem"`.
 * @param error - what `client.send` threw.
 * @param signal - the caller's signal.
 * @param tables - the tables the request used, named when one does not exist.
 *
 * @internal
 */
export function mapRequestFailure(operation: string, error: unknown, signal: AbortSignal | undefined, tables: readonly string[] = []): unknown {
  if (signal?.aborted) {
    return signal.reason;
  }
  const exception = asException(error);
  if (typeof exception.name === "string" && THROTTLING.has(exception.name)) {
    return new ThrottledError(`${operation} was throttled (${exception.name})`, { cause: error });
  }
  if (exception.name === "TransactionConflictException") {
    return new TransactionConflictError(`${operation} conflicted with a concurrent transaction`, { cause: error });
  }
  const status = exception.$metadata?.httpStatusCode;
  const clientError = typeof status === "number" && status >= 400 && status < 500;
  return new DynamoRequestError(operation, error, exception.$retryable !== undefined || !clientError, { tables });
}

/**
 * Classifies an exception from a version write that reached DynamoDB (D7, D8).
 *
 * @param operation - the operation, for error messages.
 * @param error - what `client.send` threw.
 * @param tables - the tables the request used, named when one does not exist.
 *
 * @internal
 */
export function classifyWriteFailure(operation: string, error: unknown, tables: readonly string[] = []): WriteFailure {
  const exception = asException(error);
  const name = typeof exception.name === "string" ? exception.name : undefined;
  if (name === "ConditionalCheckFailedException") {
    return { kind: "conflict", storedItem: exception.Item };
  }
  if (name === "TransactionCanceledException") {
    return classifyCancellation(exception, error);
  }
  if (name === "TransactionConflictException") {
    return { kind: "failed", error: new TransactionConflictError(`${operation} conflicted with a concurrent transaction`, { cause: error }) };
  }
  if (name !== undefined && THROTTLING.has(name)) {
    return { kind: "failed", error: new ThrottledError(`${operation} was throttled (${name})`, { cause: error }) };
  }
  if (mayHaveCommitted(error)) {
    // No response, a server error, or an earlier attempt with the same token still in progress:
    // DynamoDB may have committed the write (D8).
    return { kind: "unknown", cause: error };
  }
  return { kind: "failed", error: new DynamoRequestError(operation, error, exception.$retryable !== undefined || neverReachedDynamo(error), { tables }) };
}

function classifyCancellation(exception: ServiceException, error: unknown): WriteFailure {
  const raw = exception.CancellationReasons;
  if (!Array.isArray(raw) || raw.length === 0) {
    return {
      kind: "failed",
      error: new MalformedCancellationError("DynamoDB cancelled the transaction without reasons", { cause: error }),
    };
  }
  const reasons = raw.map((reason: unknown, index): CancellationReason & { item: Record<string, AttributeValue> | undefined } => {
    const r = (typeof reason === "object" && reason !== null ? reason : {}) as {
      Code?: unknown;
      Message?: unknown;
      Item?: Record<string, AttributeValue>;
    };
    return {
      index,
      code: typeof r.Code === "string" ? r.Code : "",
      message: typeof r.Message === "string" ? r.Message : undefined,
      item: r.Item,
    };
  });
  const version = reasons[0];
  if (version === undefined || version.code === "") {
    return {
      kind: "failed",
      error: new MalformedCancellationError("DynamoDB cancelled the transaction without a reason for the version write", { cause: error }),
    };
  }
  if (version.code === "ConditionalCheckFailed") {
    return { kind: "conflict", storedItem: version.item };
  }
  const failing = reasons.filter((reason) => reason.code !== "None");
  if (failing.some((reason) => reason.code === "TransactionConflict")) {
    return { kind: "failed", error: new TransactionConflictError("the transaction conflicted with a concurrent write", { cause: error }) };
  }
  if (failing.some((reason) => THROTTLING_REASONS.has(reason.code))) {
    return { kind: "failed", error: new ThrottledError("the transaction was throttled", { cause: error }) };
  }
  const itemFailure = failing.find((reason) => reason.index > 0 && reason.code === "ConditionalCheckFailed");
  if (itemFailure !== undefined) {
    return { kind: "failed", error: new ItemConditionFailedError(itemFailure.index - 1, itemFailure.item, { cause: error }) };
  }
  return {
    kind: "failed",
    error: new TransactionCanceledError(
      failing.map(({ index, code, message }) => ({ index, code, message })),
      { cause: error },
    ),
  };
}
